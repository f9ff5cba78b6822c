#!/usr/bin/env bash
# Installs what `npm run bench` needs beside the lab: Debian's Ansible, python3-lxml (for the xml
# module on the hosts) and GNU time (the fleet bench reads amq-run's peak memory with it).
set -euo pipefail
exec bash "$(dirname "$0")/apt-install.sh" 'bench packages' ansible python3-lxml time

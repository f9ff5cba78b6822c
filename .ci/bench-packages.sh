#!/usr/bin/env bash
# Installs what `npm run bench` needs beside the lab: Debian's Ansible and python3-lxml (for the
# xml module on the hosts).
set -euo pipefail
exec bash "$(dirname "$0")/apt-install.sh" 'bench packages' ansible python3-lxml

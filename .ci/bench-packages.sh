#!/usr/bin/env bash
# Installs what `npm run bench` needs beside the lab: Debian's Ansible, python3-lxml (for the xml
# module on the hosts) and GNU time (the fleet bench reads amq-run's peak memory with it).
# Idempotent: does nothing when all are installed.
set -euo pipefail

PACKAGES=(ansible python3-lxml time)
export DEBIAN_FRONTEND=noninteractive

AS_ROOT=()
if [ "$(id -u)" -ne 0 ]; then AS_ROOT=(sudo -E); fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "bench packages: all installed"
  exit 0
fi
echo "bench packages: installing ${missing[*]}"
"${AS_ROOT[@]}" apt-get update
"${AS_ROOT[@]}" apt-get install -y "${missing[@]}"

#!/usr/bin/env bash
# apt-install.sh LABEL PACKAGE...: installs the Debian packages that are missing, and nothing when
# all are there. apt may be locked by another apt for a while, so each step is retried.
set -euo pipefail
label=$1
shift
export DEBIAN_FRONTEND=noninteractive

AS_ROOT=()
if [ "$(id -u)" -ne 0 ]; then AS_ROOT=(sudo -E); fi

missing=()
for p in "$@"; do
  if ! dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "$label: all installed"
  exit 0
fi
echo "$label: installing ${missing[*]}"

retry() {
  local i
  for i in $(seq 60); do
    if "$@"; then return 0; fi
    echo "$label: '$*' failed (attempt $i of 60), retrying in 5 s" >&2
    sleep 5
  done
  echo "$label: giving up on '$*'" >&2
  return 1
}

retry "${AS_ROOT[@]}" apt-get update
retry "${AS_ROOT[@]}" apt-get install -y "${missing[@]}"

#!/usr/bin/env bash
# Installs what the test lab needs (sshd, nfs-ganesha, rpcbind, ActiveMQ, HAProxy, sudo) on Debian/Ubuntu.
# Idempotent: does nothing when every package is already installed. apt may be locked by another
# apt for a while, so each step is retried.
set -euo pipefail

PACKAGES=(openssh-server haproxy activemq nfs-ganesha nfs-ganesha-vfs libnfs-utils rpcbind nfs-common sudo procps iproute2 tmux tini util-linux attr systemd socat)
export DEBIAN_FRONTEND=noninteractive

AS_ROOT=()
if [ "$(id -u)" -ne 0 ]; then AS_ROOT=(sudo -E); fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "lab packages: all installed"
  exit 0
fi
echo "lab packages: installing ${missing[*]}"

retry() {
  local i
  for i in $(seq 60); do
    if "$@"; then return 0; fi
    echo "lab packages: '$*' failed (attempt $i of 60), retrying in 5 s" >&2
    sleep 5
  done
  echo "lab packages: giving up on '$*'" >&2
  return 1
}

retry "${AS_ROOT[@]}" apt-get update
retry "${AS_ROOT[@]}" apt-get install -y "${missing[@]}"

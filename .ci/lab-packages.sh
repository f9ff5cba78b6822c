#!/usr/bin/env bash
# Installs what the test lab needs (sshd, nfs-ganesha, rpcbind, ActiveMQ, HAProxy, sudo, openssl and
# the JDK's keytool for TLS, socat for HAProxy's stats socket) on Debian/Ubuntu.
set -euo pipefail
exec bash "$(dirname "$0")/apt-install.sh" 'lab packages' \
  openssh-server haproxy activemq nfs-ganesha nfs-ganesha-vfs libnfs-utils rpcbind nfs-common sudo procps iproute2 tmux tini util-linux attr systemd openssl openjdk-17-jdk-headless socat

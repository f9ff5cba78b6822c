#!/usr/bin/env bash
# Installs the editors the end-to-end tests drive: code-server (pinned, in a git-ignored folder, not
# in package.json), Debian's Chromium for it, and Debian's Neovim. Idempotent: a warm machine pays
# only the checks.
set -euo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION=4.100.3
# The ripgrep that code-server's @vscode/ripgrep 1.15.11 fetches at install time: seeded from
# Debian's rg, because the install cannot reach GitHub.
RIPGREP_CACHE_VERSION=1.15.11
RIPGREP_ARCHIVE=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
PACKAGES=(chromium libkrb5-dev pkg-config ripgrep neovim)

export DEBIAN_FRONTEND=noninteractive
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  for i in $(seq 60); do apt-get update && apt-get install -y "${missing[@]}" && break; echo "apt busy, retrying ($i)" >&2; sleep 5; done
  for p in "${missing[@]}"; do
    dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || { echo "install-editors: could not install $p" >&2; exit 1; }
  done
fi

CS_DIR=.cache/code-server-$CODE_SERVER_VERSION
if [ ! -x "$CS_DIR/node_modules/.bin/code-server" ]; then
  cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$RIPGREP_CACHE_VERSION"
  mkdir -p "$cache"
  [ -f "$cache/$RIPGREP_ARCHIVE" ] || tar czf "$cache/$RIPGREP_ARCHIVE" -C /usr/bin rg
  mkdir -p "$CS_DIR"
  (cd "$CS_DIR" && { [ -f package.json ] || npm init -y >/dev/null; } &&
    npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION")
fi
"$CS_DIR/node_modules/.bin/code-server" --config /dev/null --version | head -1

#!/usr/bin/env bash
# What the tests need beyond `npm ci`, installed when it is missing: the lab's Debian packages and
# the editors the end-to-end tests drive. `npm test` runs this first. Both scripts are idempotent and
# only check when everything is there (about half a second in all).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/lab-packages.sh
bash .ci/install-editors.sh

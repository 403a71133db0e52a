#!/usr/bin/env bash
# The end-to-end tier: builds or reuses the offline toolchain, then runs the e2e tests against the
# local emulator (started and stopped by the tests). Logs: .e2e/logs/.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash local/toolchain.sh
# Work directories of an earlier run hold lock files with the hashes of the providers it used.
rm -rf .e2e
exec node_modules/.bin/jest -c jest.e2e.config.js --runInBand "$@"

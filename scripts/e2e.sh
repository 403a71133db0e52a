#!/usr/bin/env bash
# The end-to-end tier: builds or reuses the offline toolchain, then runs the e2e tests against the
# local emulator (started and stopped by the tests). Logs: .e2e/logs/.
#
# One run at a time per machine: the emulators, the local cluster and their state live in the
# user's cache (~/.cache/cdktf-platform), whichever checkout runs. A second run stops at once,
# naming the one in progress, instead of stopping its emulators and cluster under it.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
source "$(dirname "${BASH_SOURCE[0]}")/../local/paths.sh"
cache="$PLATFORM_CACHE"
mkdir -p "$cache"
owner="$cache/e2e.owner"
# The owner file names the run's process (this one, which becomes jest); a run whose process is
# gone owns nothing. flock only makes the check and the claim one step.
exec 9>>"$cache/e2e.lock"
flock 9
running=""
if [[ -f "$owner" ]] && read -r _ pid rest <"$owner" && [[ -r "/proc/$pid/cmdline" ]]; then
  command="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
  [[ "$command" == *jest* || "$command" == *scripts/e2e.sh* ]] && running="pid $pid $rest"
fi
if [[ -n "$running" ]]; then
  echo "[e2e] another e2e run is in progress ($running): wait for it to end, or stop it, then run again" >&2
  exit 1
fi
echo "pid $$ in $repo since $(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$owner"
exec 9>&-
bash local/toolchain.sh
# Work directories of an earlier run hold lock files with the hashes of the providers it used.
rm -rf .e2e
# exec keeps this process's id: jest is the owner the file names.
exec node_modules/.bin/jest -c jest.e2e.config.js --runInBand "$@"

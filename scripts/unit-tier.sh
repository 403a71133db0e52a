#!/usr/bin/env bash
# The unit tier after Checkov's install check: `tsc --noEmit` and jest at once (jest with at least
# two workers, jest.config.js); the type-check is short next to jest, so the tier takes about as long
# as jest alone. Both must pass.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tsc_log="$(mktemp)"
node_modules/.bin/tsc --noEmit >"$tsc_log" 2>&1 &
tsc_pid=$!
node_modules/.bin/jest "$@"
jest_rc=$?
wait "$tsc_pid"
tsc_rc=$?
if [[ $tsc_rc -ne 0 ]]; then
  cat "$tsc_log" >&2
  echo "tsc --noEmit failed (above)" >&2
fi
rm -f "$tsc_log"
exit $((jest_rc != 0 || tsc_rc != 0))

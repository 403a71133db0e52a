#!/usr/bin/env bash
# The unit tier after Checkov's install check: jest (at least two workers, jest.config.js) with the
# type-check and both linters beside it. Each of those three is short next to jest, and each keeps a
# cache in node_modules/.cache (keyed by content, so a fresh clone or a checkout is handled), so
# the tier takes about as long as jest alone. All four must pass; the report of any that failed is
# printed after jest's.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit
bin=node_modules/.bin
cache=node_modules/.cache
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

declare -A pids
beside() {
  local name="$1"; shift
  "$@" >"$logs/$name" 2>&1 &
  pids[$name]=$!
}
# tsc in build mode: with no input changed since the last check it stops at once (tsconfig.json).
beside "tsc" "$bin/tsc" --build
beside "eslint" "$bin/eslint" --cache --cache-strategy content --cache-location "$cache/eslint/" .
beside "prettier --check" "$bin/prettier" --check --log-level warn --cache --cache-strategy content .

"$bin/jest" "$@"
failed=$?
for name in "${!pids[@]}"; do
  if ! wait "${pids[$name]}"; then
    cat "$logs/$name" >&2
    echo "$name failed (above)" >&2
    failed=1
  fi
done
exit "$failed"

#!/usr/bin/env bash
# OpenTofu or Terraform (the binary in PLATFORM_ENGINE), run exactly as asked, with one repair:
# a state lock that this very run wrote and then collided with is released, and the command runs
# once more. scripts/toolchain-env.sh makes this script the TERRAFORM_BINARY_NAME of every
# project command (cdktf, bootstrap, plan), in CI as on a laptop.
#
# The engine takes a state lock with one conditional write. When the write lands but its answer is
# lost, the AWS SDK sends it again, the retry fails its condition against the lock just written, and
# the engine reports its own lock as someone else's and leaves it behind (scripts/lock-repair.ts says
# when a lock counts as the run's own). Nothing else is changed: output, exit code and signals are
# the engine's. Commands that take no state lock run as is (exec).
set -uo pipefail
engine="${PLATFORM_ENGINE:-}"
if [[ -z "$engine" ]]; then
  echo "[engine] PLATFORM_ENGINE is not set: name the OpenTofu or Terraform binary this script runs" >&2
  exit 2
fi

# The commands that lock state (a flag such as -chdir may come first).
locks=0
for arg in "$@"; do
  case "$arg" in
    -*) continue ;;
    init | plan | apply | destroy | refresh | import | taint | untaint | state) locks=1 ;;
  esac
  break
done
[[ $locks == 1 ]] || exec "$engine" "$@"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/engine.XXXXXX")"
trap 'rm -rf "$work"' EXIT
errors="$work/stderr"
mkfifo "$work/pipe"

# Runs the engine with stderr copied to $errors; returns its exit code. INT and TERM reach it.
run() {
  local pid tee_pid code
  tee "$errors" <"$work/pipe" >&2 &
  tee_pid=$!
  # A background job reads /dev/null unless told otherwise: the engine keeps this stdin (prompts).
  "$engine" "$@" <&0 2>"$work/pipe" &
  pid=$!
  trap 'kill -INT "$pid" 2>/dev/null' INT
  trap 'kill -TERM "$pid" 2>/dev/null' TERM
  while :; do
    wait "$pid"
    code=$?
    kill -0 "$pid" 2>/dev/null || break
  done
  trap - INT TERM
  wait "$tee_pid" 2>/dev/null
  return "$code"
}

now() { date +%s%N; }
start=$(now)
run "$@"
code=$?
end=$(now)
if [[ $code == 0 ]] || ! grep -q "Error acquiring the state lock" "$errors" || [[ ! "$start$end" =~ ^[0-9]+$ ]]; then
  exit "$code"
fi
if ! node -r "$repo/scripts/register.js" "$repo/scripts/lock-repair.ts" "$errors" "$start" "$end"; then
  exit "$code"
fi
echo "[engine] running it again: $(basename "$engine") $*" >&2
run "$@"

#!/usr/bin/env bash
# OpenTofu or Terraform (the binary in PLATFORM_ENGINE), run exactly as asked, with one repair:
# a state lock that this very run wrote and then collided with is released, and the command runs
# once more. scripts/toolchain-env.sh makes this script the TERRAFORM_BINARY_NAME of every
# project command (cdktf, bootstrap, plan), in CI as on a laptop.
#
# The engine takes a state lock with one conditional write. When the write lands but its answer is
# lost, the AWS SDK sends it again, the retry fails its condition against the lock just written, and
# the engine reports its own lock as someone else's and leaves it behind (scripts/lock-repair.ts says
# when a lock counts as the run's own). Nothing else is changed: output and exit code are the
# engine's, and so are the signals it gets (see run). Commands that take no state lock run as is (exec).
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

# Runs the engine with stderr copied to $errors; returns its exit code.
#
# Signals are not forwarded: the engine shares this script's process group, so what a terminal's
# Ctrl-C or cdktf's abort (Ctrl-C written to its pty) sends reaches the engine directly, once. A
# forwarded copy would be a second interrupt, on which the engine exits at once instead of stopping
# gracefully. This script and tee outlast INT and TERM: tee so that the engine's last words still
# have somewhere to go (a closed stderr would kill it), this script to return the engine's exit
# code, and not to run the command again after an interrupt.
interrupted=0
trap 'interrupted=1' INT TERM
run() {
  local pid tee_pid code
  (trap '' INT TERM && exec tee "$errors" <"$work/pipe" >&2) &
  tee_pid=$!
  # A background job reads /dev/null unless told otherwise: the engine keeps this stdin (prompts).
  "$engine" "$@" <&0 2>"$work/pipe" &
  pid=$!
  while :; do
    wait "$pid"
    code=$?
    kill -0 "$pid" 2>/dev/null || break
  done
  wait "$tee_pid" 2>/dev/null
  return "$code"
}

now() { date +%s%N; }
start=$(now)
run "$@"
code=$?
end=$(now)
if [[ $code == 0 || $interrupted == 1 ]] || ! grep -q "Error acquiring the state lock" "$errors" || [[ ! "$start$end" =~ ^[0-9]+$ ]]; then
  exit "$code"
fi
if ! node -r "$repo/scripts/register.js" "$repo/scripts/lock-repair.ts" "$errors" "$start" "$end"; then
  exit "$code"
fi
echo "[engine] running it again: $(basename "$engine") $*" >&2
run "$@"

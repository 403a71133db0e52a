# shellcheck shell=bash
# Sourced by local/emulator.sh and local/cluster.sh.

# Seconds since START (an $EPOCHREALTIME), to a tenth.
seconds_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# The process and every process below it, its own id first.
process_tree() {
  local pids=("$1") i=0 child
  while ((i < ${#pids[@]})); do
    for child in $(ps -o pid= --ppid "${pids[$i]}" 2>/dev/null); do pids+=("$child"); done
    i=$((i + 1))
  done
  echo "${pids[@]}"
}

# stop_pid PID: ends the process and returns once it and everything it started are gone (LocalStack's
# Kinesis server is a child of its own session), so nothing outlives a stop and a start right after
# finds its ports free. What has not exited within 5 s is killed. Fails if PID was not running.
stop_pid() {
  local tree pid
  kill -0 "$1" 2>/dev/null || return 1
  read -ra tree <<<"$(process_tree "$1")"
  kill "$1" 2>/dev/null || true
  for _ in $(seq 50); do
    for pid in "${tree[@]}"; do
      if kill -0 "$pid" 2>/dev/null; then sleep 0.1 && continue 2; fi
    done
    return 0
  done
  for pid in "${tree[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}

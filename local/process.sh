# shellcheck shell=bash
# Sourced by local/emulator.sh and local/cluster.sh.
# stop_pid PID: ends the process and returns once it is gone (one that does not exit within 5 s is
# killed), so nothing outlives a stop and a start right after finds its ports free. Fails if PID was
# not running.
stop_pid() {
  local pid="$1"
  kill "$pid" 2>/dev/null || return 1
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

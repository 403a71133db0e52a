#!/usr/bin/env bash
# Starts, stops and checks the local AWS emulator on 127.0.0.1:4566.
#
#   local/emulator.sh start|stop|status|logs|requests   (requests: moto's request log, one line per request)
#   local/emulator.sh iam on|off     moto only: enforce IAM from now on (signatures and policies; the
#                                    test keys stop working), or stop enforcing
#
# EMULATOR picks the implementation: `localstack` (LocalStack in Docker, local/docker-compose.yml),
# `moto` (moto's server from the toolchain virtualenv, no Docker needed) or `auto` (default:
# LocalStack when a Docker engine answers, else moto). Logs and the pid live in $EMULATOR_DIR
# (default ~/.cache/cdktf-platform/emulator).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=local/process.sh
source "$here/process.sh"
port="${EMULATOR_PORT:-4566}"
host="127.0.0.1"
state_dir="${EMULATOR_DIR:-$HOME/.cache/cdktf-platform/emulator}"
pid_file="$state_dir/moto.pid"
log_file="$state_dir/emulator.log"
timeout_s="${EMULATOR_READY_TIMEOUT:-60}"
mkdir -p "$state_dir"

say() { printf '[emulator] %s\n' "$*" >&2; }

kind() {
  case "${EMULATOR:-auto}" in
    localstack|moto) echo "${EMULATOR}" ;;
    auto) if docker info >/dev/null 2>&1; then echo localstack; else echo moto; fi ;;
    *) say "EMULATOR must be localstack, moto or auto, not '${EMULATOR}'"; exit 2 ;;
  esac
}

health_url() {
  if [[ "$1" == localstack ]]; then echo "http://$host:$port/_localstack/health"; else echo "http://$host:$port/moto-api/"; fi
}

wait_ready() {
  local url; url=$(health_url "$1")
  local deadline=$((SECONDS + timeout_s))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    if ((SECONDS > deadline)); then
      say "not ready after ${timeout_s}s at $url; last log lines:"
      tail -20 "$log_file" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  say "$1 ready on http://$host:$port"
}

moto_python() {
  # The toolchain's virtualenv has the pinned moto (local/requirements.txt).
  local python="${PLATFORM_TOOLCHAIN_DIR:-$HOME/.cache/cdktf-platform/toolchain}/venv/bin/python"
  if [[ -x "$python" ]] && "$python" -c "import moto.server" 2>/dev/null; then echo "$python"; return; fi
  say "moto is not installed; run local/toolchain.sh venv first"
  exit 1
}

start() {
  local k; k=$(kind)
  if curl -fsS -o /dev/null "$(health_url "$k")" 2>/dev/null; then
    say "$k already answering on $host:$port"
    return
  fi
  if [[ "$k" == localstack ]]; then
    docker compose -f "$here/docker-compose.yml" up -d >>"$log_file" 2>&1
  else
    # Accounts: LocalStack reports 000000000000 for test credentials; make moto agree.
    # AWS managed policies (ReadOnlyAccess, ...) exist in every account; moto loads them on request.
    # Every request, with the SDK's attempt counter, goes to requests.log (local/moto_server.py).
    : >"$state_dir/requests.log"
    MOTO_REQUEST_LOG="$state_dir/requests.log" MOTO_ACCOUNT_ID=000000000000 MOTO_IAM_LOAD_MANAGED_POLICIES=true nohup "$(moto_python)" "$here/moto_server.py" -H "$host" -p "$port" >>"$log_file" 2>&1 &
    echo $! >"$pid_file"
  fi
  wait_ready "$k"
}

stop() {
  if [[ -f "$pid_file" ]]; then
    local pid; pid=$(cat "$pid_file")
    # Gone before stop returns: a start right after would otherwise find it still answering and keep it.
    if stop_pid "$pid"; then say "stopped moto (pid $pid)"; fi
    rm -f "$pid_file"
  fi
  if [[ "$(kind)" == localstack ]]; then docker compose -f "$here/docker-compose.yml" down >>"$log_file" 2>&1 && say "stopped LocalStack"; fi
}

# moto counts requests before it starts enforcing; resetting the count to 0 enforces at once, inf never.
iam() {
  [[ "$(kind)" == moto ]] || { say "IAM enforcement is switched here for moto only (LocalStack: ENFORCE_IAM, Pro)"; exit 2; }
  local count
  case "${1:-}" in on) count=0 ;; off) count=inf ;; *) echo "usage: local/emulator.sh iam on|off" >&2; exit 2 ;; esac
  curl -fsS -X POST -H 'content-type: text/plain' --data "$count" "http://$host:$port/moto-api/reset-auth" >/dev/null
  say "IAM enforcement $1"
}

case "${1:-}" in
  start) start ;;
  iam) iam "${2:-}" ;;
  stop) stop ;;
  status) k=$(kind); if curl -fsS -o /dev/null "$(health_url "$k")"; then say "$k up on $host:$port"; else say "$k down"; exit 1; fi ;;
  logs) cat "$log_file" ;;
  requests) cat "$state_dir/requests.log" ;;
  *) echo "usage: local/emulator.sh start|stop|status|logs|requests|iam on|off" >&2; exit 2 ;;
esac

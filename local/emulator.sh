#!/usr/bin/env bash
# Starts, stops and checks the local AWS emulator on 127.0.0.1:4566.
#
#   local/emulator.sh start|stop|status|logs|requests   (requests: moto's request log, one line per request)
#   local/emulator.sh install        LocalStack only: install it (host mode) without starting it
#   local/emulator.sh iam on|off     moto only: enforce IAM from now on (signatures and policies; the
#                                    test keys stop working), or stop enforcing
#
# EMULATOR picks the implementation: `moto` (default: moto's server from the toolchain virtualenv) or
# `localstack` (LocalStack community: in Docker where an engine answers, local/docker-compose.yml,
# else in host mode from a virtualenv on Python 3.13 that this script installs from
# local/localstack-requirements.txt). The `local` environment reads the same variable to switch off
# what the emulator cannot serve (environments/emulators.ts). Logs and the pid live in $EMULATOR_DIR
# (default ~/.cache/cdktf-platform/emulator).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=local/process.sh
source "$here/process.sh"
port="${EMULATOR_PORT:-4566}"
host="127.0.0.1"
source "$(dirname "${BASH_SOURCE[0]}")/paths.sh"
state_dir="$platform_emulator_dir"
pid_file="$state_dir/emulator.pid"
log_file="$state_dir/emulator.log"
timeout_s="${EMULATOR_READY_TIMEOUT:-60}"
# LocalStack in host mode: its virtualenv and the files it keeps (the packages it installs itself).
localstack_dir="$platform_localstack_dir"
localstack_requirements="$here/localstack-requirements.txt"
mkdir -p "$state_dir"

say() { printf '[emulator] %s\n' "$*" >&2; }

kind() {
  case "${EMULATOR:-moto}" in
    moto|localstack) echo "${EMULATOR:-moto}" ;;
    *) say "EMULATOR must be moto (the default) or localstack, not '${EMULATOR}'"; exit 2 ;;
  esac
}

docker_answers() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

health_url() {
  if [[ "$1" == localstack ]]; then echo "http://$host:$port/_localstack/health"; else echo "http://$host:$port/moto-api/"; fi
}

wait_ready() {
  local url; url=$(health_url "$1")
  local deadline=$((SECONDS + timeout_s)) began=$EPOCHREALTIME
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    if ((SECONDS > deadline)); then
      say "not ready after ${timeout_s}s at $url; last log lines:"
      tail -20 "$log_file" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
  say "$1 ready on http://$host:$port in $(seconds_since "$began") s"
}

moto_python() {
  # The toolchain's virtualenv has the pinned moto (local/requirements.txt).
  local python="$platform_toolchain_dir/venv/bin/python"
  if [[ -x "$python" ]] && "$python" -c "import moto.server" 2>/dev/null; then echo "$python"; return; fi
  say "moto is not installed; run local/toolchain.sh venv first"
  exit 1
}

# A Python 3.13 for LocalStack (its code needs 3.13): PLATFORM_PYTHON313, python3.13 on PATH, or pyenv's.
python313() {
  local candidates=("${PLATFORM_PYTHON313:-}" "$(command -v python3.13 || true)")
  local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}" p
  for p in "$pyenv_root"/versions/3.13*/bin/python3.13; do candidates+=("$p"); done
  for p in "${candidates[@]}"; do
    [[ -n "$p" && -x "$p" ]] && "$p" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null && { echo "$p"; return; }
  done
  say "LocalStack needs Python 3.13 and none was found (PLATFORM_PYTHON313, python3.13 on PATH, $pyenv_root/versions/3.13*): install it (pyenv install 3.13) or set PLATFORM_PYTHON313"
  exit 1
}

# Installs LocalStack into its virtualenv from the hashed lock file, once per version of that file.
install_localstack() {
  local venv="$localstack_dir/venv"
  if [[ -x "$venv/bin/python" ]] && cmp -s "$venv/.requirements" "$localstack_requirements"; then return; fi
  local python began=$SECONDS
  python=$(python313)
  say "installing LocalStack into $venv with $python (local/localstack-requirements.txt, hashes required)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes -r "$localstack_requirements"
  cp "$localstack_requirements" "$venv/.requirements"
  say "installed LocalStack in $((SECONDS - began)) s"
}

start_localstack_host() {
  install_localstack
  # Its S3 object store is this fixed path whatever the settings: a new emulator starts empty.
  rm -rf /tmp/localstack-s3-storage
  # OVERRIDE_IN_DOCKER=0: this machine may look like a container (/.dockerenv), which would make it
  # write under /var/lib and /usr/lib. No DNS server, no certificate download, no telemetry.
  GATEWAY_LISTEN="$host:$port" OVERRIDE_IN_DOCKER=0 FILESYSTEM_ROOT="$localstack_dir/fs" \
    SKIP_SSL_CERT_DOWNLOAD=1 DNS_ADDRESS=0 DISABLE_EVENTS=1 LOCALSTACK_TELEMETRY_DISABLED=1 \
    nohup "$localstack_dir/venv/bin/python" -m localstack.runtime.main >>"$log_file" 2>&1 &
  echo $! >"$pid_file"
}

start() {
  local k; k=$(kind)
  if curl -fsS -o /dev/null "$(health_url "$k")" 2>/dev/null; then
    say "$k already answering on $host:$port"
    return
  fi
  if [[ "$k" == localstack ]] && docker_answers; then
    EMULATOR_PORT="$port" docker compose -f "$here/docker-compose.yml" up -d >>"$log_file" 2>&1
  elif [[ "$k" == localstack ]]; then
    start_localstack_host
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
    # The emulator and what it started (LocalStack's Kinesis server) are gone before stop returns: a
    # start right after would otherwise find it still answering and keep it.
    if stop_pid "$pid"; then say "stopped the emulator (pid $pid)"; fi
    rm -f "$pid_file"
  fi
  if [[ "$(kind)" == localstack ]] && docker_answers; then
    EMULATOR_PORT="$port" docker compose -f "$here/docker-compose.yml" down >>"$log_file" 2>&1 && say "stopped LocalStack"
  fi
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
  install) [[ "$(kind)" == localstack ]] || { say "install is for EMULATOR=localstack (moto comes with local/toolchain.sh)"; exit 2; }; install_localstack ;;
  iam) iam "${2:-}" ;;
  stop) stop ;;
  status) k=$(kind); if curl -fsS -o /dev/null "$(health_url "$k")"; then say "$k up on $host:$port"; else say "$k down"; exit 1; fi ;;
  logs) cat "$log_file" ;;
  requests) cat "$state_dir/requests.log" ;;
  *) echo "usage: local/emulator.sh start|stop|status|logs|requests|install|iam on|off" >&2; exit 2 ;;
esac

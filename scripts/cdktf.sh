#!/usr/bin/env bash
# cdktf with the project's toolchain: `npm run deploy -- <stack...>`, `npm run destroy -- ...`,
# `npm run diff -- <stack>`; any cdktf flag passes through.
#  - deploy/destroy of a stack by name works without its dependencies in the same run (they are
#    declared so that multi-stack runs keep layer order, not to forbid deploying one layer).
#  - with the offline toolchain, `terraform providers lock` (which asks a registry) is skipped:
#    init already records the mirrored providers' hashes.
#  - destroy runs one stack at a time: with --ignore-missing-stack-dependencies, cdktf-cli 0.21.0
#    picks the next stack to destroy among those not yet done, running ones included, so with
#    --parallelism above 1 it starts the running stack again; the new run fails on the state lock,
#    the first run blocks on a terminal nobody reads any more, and destroy never ends.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
source scripts/toolchain-env.sh
export CDKTF_DISABLE_PLUGIN_CACHE_ENV=1

command="${1:-}"
shift || true
extra=()
if [[ "$command" == destroy ]]; then
  args=()
  while (($#)); do
    case "$1" in
      --parallelism) shift 2 || { echo "--parallelism needs a value" >&2; exit 2; } ;;
      --parallelism=*) shift ;;
      *) args+=("$1"); shift ;;
    esac
  done
  set -- ${args[@]+"${args[@]}"}
  extra+=(--parallelism 1)
fi
case "$command" in
  deploy | destroy) extra+=(--ignore-missing-stack-dependencies) ;&
  diff) [[ -n "${TF_CLI_CONFIG_FILE:-}" ]] && extra+=(--skip-provider-lock) ;;
  "") echo "usage: scripts/cdktf.sh deploy|destroy|diff <stack...> [cdktf flags]" >&2; exit 2 ;;
esac
exec "${PLATFORM_CDKTF_BIN:-$repo/node_modules/.bin/cdktf}" "$command" "$@" "${extra[@]}"

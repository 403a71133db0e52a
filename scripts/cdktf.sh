#!/usr/bin/env bash
# cdktf with the project's toolchain: `npm run deploy -- <stack...>`, `npm run destroy -- ...`,
# `npm run diff -- <stack>`; any cdktf flag passes through.
#  - deploy/destroy of a stack by name works without its dependencies in the same run (they are
#    declared so that multi-stack runs keep layer order, not to forbid deploying one layer).
#  - with the offline toolchain, `terraform providers lock` (which asks a registry) is skipped:
#    init already records the mirrored providers' hashes.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
source scripts/toolchain-env.sh
export CDKTF_DISABLE_PLUGIN_CACHE_ENV=1

command="${1:-}"
shift || true
extra=()
case "$command" in
  deploy | destroy) extra+=(--ignore-missing-stack-dependencies) ;&
  diff) [[ -n "${TF_CLI_CONFIG_FILE:-}" ]] && extra+=(--skip-provider-lock) ;;
  "") echo "usage: scripts/cdktf.sh deploy|destroy|diff <stack...> [cdktf flags]" >&2; exit 2 ;;
esac
exec "$repo/node_modules/.bin/cdktf" "$command" "$@" "${extra[@]}"

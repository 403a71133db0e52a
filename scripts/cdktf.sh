#!/usr/bin/env bash
# cdktf with the project's toolchain: `npm run deploy -- <stack...>`, `npm run destroy -- ...`,
# `npm run diff -- <stack>`; any cdktf flag passes through.
#  - one stack named exactly deploys or destroys without the stacks it depends on, or that depend
#    on it, in the same run (--ignore-missing-stack-dependencies): layers go one run at a time.
#  - several stacks or a glob go to scripts/run-stacks.ts: one synth of exactly those stacks, then
#    one cdktf process per stack (this script again, with --skip-synth) in layer order, stacks that
#    do not depend on each other at once up to --parallelism (default: one per CPU core); a
#    selection missing a stack it needs is refused with that stack's name unless
#    --ignore-missing-stack-dependencies is given. Not one cdktf run for all of them: cdktf-cli
#    0.21.0 stops the engines still running when one stack of a parallel run fails, and they leave
#    their state locks behind; its destroy with --ignore-missing-stack-dependencies and parallelism
#    above 1 also starts a running stack again and never ends.
#  - with the offline toolchain, `terraform providers lock` (which asks a registry) is skipped:
#    init already records the mirrored providers' hashes.
#  - init runs with -migrate-state (--migrate-state): a stack's state location never changes
#    (stacks/state.ts), so the only backend change a working directory can meet is a new locking
#    mode, which init then takes without a prompt instead of stopping at "Backend configuration
#    changed".
#  - the app synthesizes only the stacks named (PLATFORM_STACKS); a diff also synthesizes the layers
#    below, which cdktf checks its order against (PLATFORM_STACKS_CLOSURE). A caller's
#    PLATFORM_STACKS wins.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
source scripts/toolchain-env.sh

command="${1:-}"
shift || true
extra=()
# Stack names and globs among the arguments (values of cdktf's value-taking flags excluded).
stacks=()
takes_value=" --parallelism --terraform-parallelism --var --var-file --outputs-file --app -a --output -o "
previous=""
for arg in "$@"; do
  if [[ "$arg" != -* && "$takes_value" != *" $previous "* ]]; then stacks+=("$arg"); fi
  previous="$arg"
done
# A locking mode that this engine or the state bucket cannot honour stops here, naming the
# environment (scripts/state.ts preflight). PLATFORM_LOCKING_PREFLIGHT=0 skips the check.
if [[ "$command" =~ ^(deploy|destroy|diff)$ && ${#stacks[@]} -gt 0 && "${PLATFORM_LOCKING_PREFLIGHT:-1}" != 0 ]]; then
  # The environments are read from the stack names by core/naming.ts, not here.
  NODE_NO_WARNINGS=1 node -r ./scripts/register.js scripts/state.ts preflight-stacks "${stacks[@]}" || exit 1
fi
if [[ "$command" =~ ^(deploy|destroy)$ ]]; then
  if [[ ${#stacks[@]} -gt 1 || "${stacks[0]:-}" == *[*?[]* ]]; then
    # Each stack's process skips the preflight: it ran above for the whole selection.
    exec node -r ./scripts/register.js scripts/run-stacks.ts "$command" "$@"
  fi
  # One stack: cdktf's --parallelism has nothing to do; whatever was asked for is dropped.
  args=()
  while (($#)); do
    case "$1" in
      --parallelism) shift 2 || { echo "--parallelism needs a value" >&2; exit 2; } ;;
      --parallelism=*) shift ;;
      *) args+=("$1"); shift ;;
    esac
  done
  set -- ${args[@]+"${args[@]}"}
  [[ " $* " != *" --ignore-missing-stack-dependencies "* ]] && extra+=(--ignore-missing-stack-dependencies)
  extra+=(--parallelism 1)
fi
if [[ "$command" =~ ^(deploy|destroy|diff)$ ]]; then
  echo "[cdktf.sh] engine: $("$TERRAFORM_BINARY_NAME" version 2>/dev/null | head -1) (${PLATFORM_ENGINE:-$TERRAFORM_BINARY_NAME})" >&2
fi
if [[ "$command" =~ ^(deploy|destroy|diff|synth)$ && ${#stacks[@]} -gt 0 && -z "${PLATFORM_STACKS:-}" ]]; then
  PLATFORM_STACKS="$(IFS=,; echo "${stacks[*]}")"
  export PLATFORM_STACKS
  if [[ " $* ${extra[*]-} " != *" --ignore-missing-stack-dependencies "* ]]; then
    export PLATFORM_STACKS_CLOSURE="$([[ "$command" == destroy ]] && echo dependants || echo dependencies)"
  fi
fi
case "$command" in
  deploy | destroy | diff)
    [[ -n "${TF_CLI_CONFIG_FILE:-}" ]] && extra+=(--skip-provider-lock)
    [[ " $* " != *" --migrate-state "* ]] && extra+=(--migrate-state)
    ;;
  synth) ;;
  "") echo "usage: scripts/cdktf.sh deploy|destroy|diff|synth <stack...> [cdktf flags]" >&2; exit 2 ;;
esac
exec "${PLATFORM_CDKTF_BIN:-$repo/node_modules/.bin/cdktf}" "$command" "$@" "${extra[@]}"

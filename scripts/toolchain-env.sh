# Sourced by the project's scripts: use the offline toolchain (tofu + provider mirror) unless the
# caller already chose a Terraform binary, or has terraform/tofu installed the usual way.
if [[ -z "${TERRAFORM_BINARY_NAME:-}" ]]; then
  _toolchain="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/local/toolchain.sh"
  source "$(dirname "${BASH_SOURCE[0]}")/../local/paths.sh"
  if [[ -x "$platform_toolchain_dir/bin/tofu" ]]; then
    eval "$("$_toolchain" --env)"
  elif command -v tofu >/dev/null 2>&1; then
    export TERRAFORM_BINARY_NAME=tofu
  elif command -v terraform >/dev/null 2>&1; then
    export TERRAFORM_BINARY_NAME=terraform
  else
    echo "no Terraform binary: run local/toolchain.sh (builds OpenTofu offline) or install tofu/terraform" >&2
    exit 1
  fi
  unset _toolchain
fi
# Every engine run goes through scripts/engine.sh, which releases a state lock the run collided with
# itself on (a lock write retried after its answer was lost) and runs the command again.
_guard="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/engine.sh"
if [[ "$TERRAFORM_BINARY_NAME" != "$_guard" ]]; then
  export PLATFORM_ENGINE="$TERRAFORM_BINARY_NAME"
  export TERRAFORM_BINARY_NAME="$_guard"
fi
unset _guard
export CHECKPOINT_DISABLE=1
export CDKTF_DISABLE_PLUGIN_CACHE_ENV=1

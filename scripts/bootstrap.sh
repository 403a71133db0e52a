#!/usr/bin/env bash
# Applies an environment's bootstrap stack and keeps its state in the bucket it creates.
#
#   npm run bootstrap -- <environment>             apply (first run: apply, then migrate state)
#   npm run bootstrap -- <environment> --destroy   move state out of the bucket, then destroy;
#                                                  refused while state is protected (every environment
#                                                  but an emulator's) or other stacks' state is in the bucket
#
# First run: apply with state in a local file (the bucket does not exist yet), then migrate that
# state into the new bucket and delete the local copy. Later runs: plain apply against the bucket.
# Safe to re-run at any point, including after an interrupted first run.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
source scripts/toolchain-env.sh

env_name="${1:-}"
action="${2:-apply}"
if [[ -z "$env_name" || ! "$action" =~ ^(apply|--destroy)$ ]]; then
  echo "usage: npm run bootstrap -- <environment> [--destroy]   (e.g. local, dev)" >&2
  exit 2
fi
out="${CDKTF_OUTDIR:-cdktf.out}"
mkdir -p "$out"
# Where the state lives before the bucket exists (and while bootstrap --destroy runs).
local_state_dir="${PLATFORM_BOOTSTRAP_STATE_DIR:-$repo/.bootstrap}"
local_state="$local_state_dir/$env_name.tfstate"

say() { printf '[bootstrap %s] %s\n' "$env_name" "$*" >&2; }
# Only this stack: a bootstrap run does not pay for the rest of the environment.
synth() { PLATFORM_ENVIRONMENTS="$env_name" PLATFORM_STACKS="$stack" PLATFORM_BOOTSTRAP_LOCAL_STATE="$1" node -r ./scripts/register.js main.ts; }
tf() { (cd "$dir" && "$TERRAFORM_BINARY_NAME" "$@"); }
state_tool() { NODE_NO_WARNINGS=1 node -r ./scripts/register.js scripts/state.ts "$@"; }
remote() { state_tool exists "$env_name" bootstrap; }
stack="$(state_tool stack-name "$env_name" bootstrap)"
dir="$out/stacks/$stack"

# Also validates the environment name: synth lists the valid ones on a typo.
synth ""
# A locking mode this engine or bucket cannot honour stops here, before anything is applied.
state_tool preflight "$env_name" || exit 1
status=$(remote)
say "engine: $("$TERRAFORM_BINARY_NAME" version | head -1) (${PLATFORM_ENGINE:-$TERRAFORM_BINARY_NAME})"
say "state object: $status"

if [[ "$action" == --destroy ]]; then
  if [[ "$status" != present ]]; then
    say "no state in the bucket; nothing to destroy"
    exit 0
  fi
  # Checked before anything moves: names the stacks whose state would go with the bucket.
  if ! state_tool destroy-check "$env_name"; then
    say "destroy refused; nothing was changed"
    exit 1
  fi
  # The bucket being destroyed holds this stack's state: move the state out first.
  tf init -input=false -reconfigure >/dev/null
  mkdir -p "$local_state_dir"
  synth "$local_state"
  tf init -input=false -migrate-state -force-copy >/dev/null
  if tf destroy -input=false -auto-approve; then
    rm -f "$local_state" "$local_state.backup"
    say "destroyed"
    exit 0
  fi
  say "destroy failed or was refused (prevent_destroy outside local); moving state back into the bucket"
  synth ""
  tf init -input=false -migrate-state -force-copy >/dev/null
  rm -f "$local_state" "$local_state.backup"
  exit 1
fi

if [[ "$status" == present && ! -f "$local_state" ]]; then
  tf init -input=false -reconfigure >/dev/null
  tf apply -input=false -auto-approve
  say "applied; state stays in the environment's state bucket"
  say "$(state_tool locking "$env_name")"
  exit 0
fi

if [[ "$status" == present && -f "$local_state" ]]; then
  say "both $local_state and the state in the bucket exist; refusing to choose."
  say "If the bucket copy is current, delete the local file; if not, move it aside and re-run after restoring."
  exit 1
fi

mkdir -p "$local_state_dir"
say "first apply with local state ($local_state)"
synth "$local_state"
rm -rf "$dir/.terraform" "$dir/.terraform.lock.hcl"
tf init -input=false >/dev/null
tf apply -input=false -auto-approve

say "migrating state into the bucket"
synth ""
tf init -input=false -migrate-state -force-copy >/dev/null
if [[ "$(remote)" != present ]]; then
  say "migration did not write the state object; local state kept at $local_state"
  exit 1
fi
# The remote copy is now the only truth; a stale local copy would invite split-brain applies.
rm -f "$local_state" "$local_state.backup"
# Reading the migrated state back must show the infrastructure exactly as applied.
if ! plan_output=$(tf plan -input=false -no-color -detailed-exitcode 2>&1); then
  printf '%s\n' "$plan_output" >&2
  say "after migration the plan is not empty (above); the state is in the bucket, re-run to converge"
  exit 1
fi
say "done: state migrated to the bucket; plan from it shows no changes"
say "$(state_tool locking "$env_name")"

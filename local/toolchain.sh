#!/usr/bin/env bash
# Builds (or reuses) the offline toolchain: OpenTofu and the Terraform providers from their Go
# modules, a provider filesystem mirror with a CLI config that installs only from it, a Python
# virtualenv with tflocal and the AWS emulator, and actionlint for the workflows. Idempotent: every piece is skipped when present.
#
#   local/toolchain.sh            build what is missing, print the env to use
#   local/toolchain.sh --env      print only the `export` lines (eval "$(local/toolchain.sh --env)")
#
# Cache root: $PLATFORM_TOOLCHAIN_DIR (default ~/.cache/cdktf-platform/toolchain). Nothing is written
# into the repository.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=local/toolchain.versions
source "$here/toolchain.versions"

source "$(dirname "${BASH_SOURCE[0]}")/paths.sh"
root="$platform_toolchain_dir"
bin="$root/bin"
mirror="$root/providers"
venv="$root/venv"
cli_config="$root/tofu.rc"
logs="$root/logs"
# Go builds of the providers are memory hungry; two packages at a time fits 2 cores comfortably.
go_parallel="${TOOLCHAIN_GO_PARALLELISM:-2}"

say() { printf '[toolchain] %s\n' "$*" >&2; }

print_env() {
  # The engine cdktf runs is the offline wrapper (write_engine) once the toolchain has written it.
  local engine="$bin/tofu"
  [[ -x "$bin/tofu-offline" ]] && engine="$bin/tofu-offline"
  cat <<EOF
export PLATFORM_TOOLCHAIN_DIR="$root"
export PATH="$bin:$venv/bin:\$PATH"
export TERRAFORM_BINARY_NAME="$engine"
export TF_CLI_CONFIG_FILE="$cli_config"
export TF_CMD="$bin/tofu"
export CHECKPOINT_DISABLE=1
EOF
}

if [[ "${1:-}" == "--env" ]]; then
  print_env
  exit 0
fi

mkdir -p "$bin" "$mirror" "$logs"

# go mod download prints the module directory; building inside it makes its go.mod (and replace
# directives) the main module, exactly as upstream builds it.
module_dir() {
  go mod download -json "$1@$2" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir") or sys.exit("go mod download: "+d.get("Error","no Dir")))'
}

# Runs a build under /usr/bin/time so the note on build cost is measured, not guessed.
timed_build() {
  local name="$1"; shift
  local log="$logs/build-$name.log"
  say "building $name (log: $log)"
  local start=$SECONDS
  local timer=()
  [[ -x /usr/bin/time ]] && timer=(/usr/bin/time -v)
  if ! "${timer[@]}" "$@" >"$log" 2>&1; then
    tail -30 "$log" >&2
    say "build of $name failed; see $log"
    exit 1
  fi
  local rss
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print int($2/1024)}' "$log")
  rss="${rss:-unknown}"
  say "built $name in $((SECONDS - start)) s, peak RSS ${rss} MiB"
  printf '%s\t%s\t%s\n' "$name" "$((SECONDS - start))" "$rss" >>"$logs/build-times.tsv"
}

build_tofu() {
  # Compare captured output: `tofu version | grep -q` fails under pipefail when grep exits first.
  if [[ -x "$bin/tofu" && "$("$bin/tofu" version 2>/dev/null)" == *"OpenTofu v$TOFU_VERSION"* ]]; then
    return
  fi
  local dir
  dir=$(module_dir github.com/opentofu/opentofu "v$TOFU_VERSION")
  (cd "$dir" && timed_build tofu go build -p "$go_parallel" -trimpath \
    -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$bin/tofu.tmp" ./cmd/tofu)
  mv "$bin/tofu.tmp" "$bin/tofu"
}

# The mirror is laid out under OpenTofu's default registry host; ask the built binary for it rather
# than hard-coding it, so the layout always matches the binary that reads it.
registry_host() {
  local probe
  probe=$(mktemp -d)
  printf 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n' >"$probe/main.tf"
  (cd "$probe" && "$bin/tofu" providers 2>/dev/null) | grep -oP 'provider\[\K[^/]+(?=/hashicorp/aws\])' | head -1
  rm -rf "$probe"
}

# build_provider NAME MODULE PSEUDO_VERSION LABEL [SERVICES [TYPES_FILE]]
# With SERVICES (AWS only), the build registers just those service packages, and with TYPES_FILE
# just those resource and data source types in them (slim build, local/slim_provider.py).
build_provider() {
  local name="$1" module="$2" pseudo="$3" label="$4" services="${5:-}" types_file="${6:-}"
  local host
  host=$(registry_host)
  [[ -n "$host" ]] || { say "could not read the default registry host from $bin/tofu"; exit 1; }
  local target="$mirror/$host/hashicorp/$name/$label/linux_amd64"
  local exe="$target/terraform-provider-${name}_v$label"
  local built="$root/built-$name"
  # What the build is made of: the commit, the services, and the digest of the type list.
  local made="$pseudo ${services:-all}"
  [[ -n "$types_file" ]] && made+=" types:$(grep -v '^#' "$types_file" | sort | sha256sum | cut -c1-16)"
  link_for_terraform "$host" "$name" "$label"
  # A complete build from before the marker existed is still the right one.
  [[ -x "$exe" && ! -f "$built" && -z "$services" ]] && echo "$pseudo all" >"$built"
  [[ -x "$exe" && "$(cat "$built" 2>/dev/null)" == "$made" ]] && return
  mkdir -p "$target"
  local dir
  dir=$(module_dir "$module" "$pseudo")
  if [[ -n "$services" ]]; then
    local slim=("$here/slim_provider.py") what
    what="$(wc -w <<<"$services") service packages"
    [[ -n "$types_file" ]] && slim+=(--types "$types_file") && what+=", $(grep -cv '^#' "$types_file") types"
    # shellcheck disable=SC2086 # the list is space-separated on purpose
    dir=$(python3 "${slim[@]}" "$dir" "$root/slim-$name" $services)
    say "slim $name provider: $what"
  fi
  (cd "$dir" && timed_build "provider-$name" go build -p "$go_parallel" -trimpath -ldflags "-s -w" -o "$exe.tmp" .)
  mv "$exe.tmp" "$exe"
  echo "$made" >"$built"
  link_for_terraform "$host" "$name" "$label"
  say "rebuilt the $name provider: .terraform.lock.hcl files written before record the old build's hash; delete them (or run init -upgrade) where init refuses"
}

# Terraform reads the mirror under its own registry host and does not follow a symlinked provider
# directory there: the same executable is hard-linked into that layout (no copy, no space).
link_for_terraform() {
  local host="$1" name="$2" label="$3" other="registry.terraform.io"
  [[ "$host" == "$other" ]] && return
  local exe="$mirror/$host/hashicorp/$name/$label/linux_amd64/terraform-provider-${name}_v$label"
  [[ -x "$exe" ]] || return 0
  local target="$mirror/$other/hashicorp/$name/$label/linux_amd64"
  [[ -L "$mirror/$other/hashicorp/$name" ]] && rm -f "$mirror/$other/hashicorp/$name"
  mkdir -p "$target"
  ln -f "$exe" "$target/"
}

build_actionlint() {
  if [[ -x "$bin/actionlint" && "$("$bin/actionlint" -version 2>/dev/null | head -1)" == "$ACTIONLINT_VERSION" ]]; then
    return
  fi
  local dir
  dir=$(module_dir github.com/rhysd/actionlint "v$ACTIONLINT_VERSION")
  (cd "$dir" && timed_build actionlint go build -p "$go_parallel" -trimpath \
    -ldflags "-s -w -X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION" -o "$bin/actionlint.tmp" ./cmd/actionlint)
  mv "$bin/actionlint.tmp" "$bin/actionlint"
}

# Whether the Go executable was built from MODULE at VERSION (its build info: main module or dependency).
built_from() {
  local exe="$1" module="$2" version="$3" info
  [[ -x "$exe" ]] || return 1
  info=$(go version -m "$exe" 2>/dev/null) || return 1
  [[ "$info" =~ [[:space:]](mod|dep)[[:space:]]+"$module"[[:space:]]+"$version"[[:space:]] ]]
}

# A module that cannot be installed with `go install module@version` (its go.mod has replace
# directives to directories of its own repository) is built from a wrapper module that requires it and
# replaces each of those directories by the module of the same release the Go module proxy serves.
# wrapper_module DIR MODULE VERSION SIBLING_VERSION: writes DIR/go.mod and prints DIR.
wrapper_module() {
  local dir="$1" module="$2" version="$3" sibling="$4" upstream
  upstream=$(module_dir "$module" "$version")
  mkdir -p "$dir"
  {
    printf 'module platform.local/build/%s\n\ngo %s\n\nrequire %s %s\n\nreplace (\n' \
      "$(basename "$module")" "$(awk '$1 == "go" { print $2; exit }' "$upstream/go.mod")" "$module" "$version"
    # `<sibling> => ./path` (one per line inside the replace block, or after `replace`).
    awk '$0 ~ /=> *\.\.?\// { sub(/^replace[ \t]+/, ""); print $1 }' "$upstream/go.mod" | sort -u |
      while read -r sib; do printf '\t%s => %s %s\n' "$sib" "$sib" "$sibling"; done
    printf ')\n'
  } >"$dir/go.mod"
  echo "$dir"
}

# kube-apiserver, kube-controller-manager, kube-scheduler and kubectl in one build (they share most
# packages), stamped with their release: unstamped, they report v0.0.0-master and kubectl and the
# Helm provider cannot parse the server's version.
build_kubernetes() {
  local v="$KUBERNETES_VERSION" exe
  local commands=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
  local stale=0
  for exe in "${commands[@]}"; do built_from "$bin/$exe" k8s.io/kubernetes "v$v" || stale=1; done
  ((stale)) || return 0
  local dir pkg="k8s.io/component-base/version" major="${v%%.*}" minor
  minor="${v#*.}" minor="${minor%%.*}"
  dir=$(wrapper_module "$root/src/kubernetes" k8s.io/kubernetes "v$v" "v0.${v#*.}")
  mkdir -p "$root/src/kubernetes/out"
  (cd "$dir" && timed_build kubernetes go build -mod=mod -p "$go_parallel" -trimpath \
    -ldflags "-s -w -X $pkg.gitVersion=v$v -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean" \
    -o "$root/src/kubernetes/out/" "${commands[@]/#/k8s.io/kubernetes/cmd/}")
  for exe in "${commands[@]}"; do mv "$root/src/kubernetes/out/$exe" "$bin/$exe"; done
}

build_etcd() {
  built_from "$bin/etcd" go.etcd.io/etcd/server/v3 "v$ETCD_VERSION" && return 0
  local dir
  dir=$(wrapper_module "$root/src/etcd" go.etcd.io/etcd/server/v3 "v$ETCD_VERSION" "v$ETCD_VERSION")
  (cd "$dir" && timed_build etcd go build -mod=mod -p "$go_parallel" -trimpath -ldflags "-s -w" \
    -o "$bin/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$bin/etcd.tmp" "$bin/etcd"
}

# kwok plays the kubelet: it marks its Nodes and their Pods Ready by the stages it is given, which
# ship in its module (kustomize/stage); they are gathered into one config file beside the executable.
build_kwok() {
  local stages="$root/kwok-stages.yaml" dir f
  if ! built_from "$bin/kwok" sigs.k8s.io/kwok "v$KWOK_VERSION"; then
    (GOBIN="$root/src/kwok-bin" timed_build kwok go install -trimpath -ldflags "-s -w" \
      "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION")
    mv "$root/src/kwok-bin/kwok" "$bin/kwok"
  fi
  dir=$(module_dir sigs.k8s.io/kwok "v$KWOK_VERSION")
  # Nodes Ready with a heartbeat; Pods Ready, a Job's Pods complete, deleted Pods gone, all at once (the
  # "fast" Pod stages, without the "general" ones' simulated seconds of delay).
  for f in "$dir"/kustomize/stage/{node/fast,node/heartbeat,pod/fast}/*.yaml; do
    [[ "$(basename "$f")" == kustomization.yaml ]] && continue
    printf -- '---\n# %s\n' "${f#"$dir/"}"
    cat "$f"
  done >"$stages.tmp"
  mv "$stages.tmp" "$stages"
}

build_control_plane() {
  build_kubernetes
  build_etcd
  build_kwok
}

write_cli_config() {
  # Providers come only from the mirror: no direct block, so nothing is fetched from a registry.
  cat >"$cli_config.tmp" <<EOF
provider_installation {
  filesystem_mirror {
    path = "$mirror"
  }
}
disable_checkpoint = true
EOF
  mv "$cli_config.tmp" "$cli_config"
}

# cdktf runs `<engine> providers lock` after init when a stack's lock file lacks a provider, and that
# command asks the providers' registries whatever the CLI config says. The wrapper points it at the
# mirror (-fs-mirror) and passes every other command to tofu unchanged, so plain `npx cdktf diff` and
# `deploy` work offline without --skip-provider-lock.
write_engine() {
  cat >"$bin/tofu-offline.tmp" <<EOF
#!/usr/bin/env bash
# Written by local/toolchain.sh: tofu, with \`providers lock\` reading the provider mirror.
# GOGC=800 (unless set): tofu and the providers it starts (they inherit it) collect garbage less
# often. The AWS provider allocates gigabytes over a plan; its CPU per plan falls by about a third,
# for about 120 MB more resident memory per process (docs/performance.md).
export GOGC="\${GOGC:-800}"
if [[ "\${1:-}" == providers && "\${2:-}" == lock ]]; then
  shift 2
  exec "$bin/tofu" providers lock -fs-mirror="$mirror" "\$@"
fi
exec "$bin/tofu" "\$@"
EOF
  chmod +x "$bin/tofu-offline.tmp"
  mv "$bin/tofu-offline.tmp" "$bin/tofu-offline"
}

build_venv() {
  if [[ -x "$venv/bin/tflocal" && -f "$venv/.requirements" ]] && cmp -s "$venv/.requirements" "$here/requirements.txt"; then
    return
  fi
  say "creating Python virtualenv at $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/.requirements"
}

what="${1:-all}"
case "$what" in
  all|tofu|providers|venv|actionlint|control-plane) ;;
  *) say "unknown target '$what': use all, tofu, providers, venv, actionlint, control-plane or --env"; exit 2 ;;
esac

if [[ "$what" == all || "$what" == tofu ]]; then build_tofu; fi
if [[ "$what" == all || "$what" == providers ]]; then
  aws_services="$AWS_PROVIDER_SERVICES" aws_types="$here/aws-provider-types.txt"
  [[ "${TOOLCHAIN_AWS_PROVIDER_FULL:-}" == 1 ]] && aws_services="" aws_types=""
  build_provider aws github.com/hashicorp/terraform-provider-aws "$AWS_PROVIDER_PSEUDO" "$AWS_PROVIDER_VERSION" "$aws_services" "$aws_types"
  build_provider kubernetes github.com/hashicorp/terraform-provider-kubernetes "$KUBERNETES_PROVIDER_PSEUDO" "$KUBERNETES_PROVIDER_VERSION"
  build_provider helm github.com/hashicorp/terraform-provider-helm "$HELM_PROVIDER_PSEUDO" "$HELM_PROVIDER_VERSION"
fi
if [[ "$what" == all || "$what" == venv ]]; then build_venv; fi
if [[ "$what" == all || "$what" == actionlint ]]; then build_actionlint; fi
if [[ "$what" == all || "$what" == control-plane ]]; then build_control_plane; fi
write_cli_config
if [[ -x "$bin/tofu" ]]; then write_engine; fi

if [[ "$what" == all ]]; then
  say "ready; use it with: eval \"\$(local/toolchain.sh --env)\""
fi

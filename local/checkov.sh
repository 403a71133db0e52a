#!/usr/bin/env bash
# Installs (or reuses) Checkov, pinned in local/toolchain.versions, in its own virtualenv outside
# the repository, and prints the path of its executable. `npm test` runs this first: the Checkov
# test scans every synthesized stack with it.
#
#   local/checkov.sh            install if missing, print the executable's path
#   local/checkov.sh --quiet    the same, printing nothing unless it installs or fails
#
# Location: $PLATFORM_CHECKOV_DIR (default ~/.cache/cdktf-platform/checkov-<version>).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=local/toolchain.versions
source "$here/toolchain.versions"
source "$(dirname "${BASH_SOURCE[0]}")/paths.sh"
venv="${PLATFORM_CHECKOV_DIR:-$PLATFORM_CACHE/checkov-$CHECKOV_VERSION}"
exe="$venv/bin/checkov"
quiet=false
[[ "${1:-}" == "--quiet" ]] && quiet=true

# The installed version, read from the virtualenv's package metadata: 0.1 s, where `checkov --version`
# imports every check (4 s on each `npm test`). The Checkov test still runs the executable and checks
# the version it reports.
installed() {
  [[ -x "$exe" ]] &&
    [[ "$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("checkov"))' 2>/dev/null)" == "$CHECKOV_VERSION" ]]
}

if ! installed; then
  python="$(command -v python3 || true)"
  if [[ -z "$python" ]]; then
    echo "[checkov] python3 is required to install Checkov $CHECKOV_VERSION; install Python 3.9-3.12 and re-run." >&2
    exit 1
  fi
  echo "[checkov] installing checkov==$CHECKOV_VERSION into $venv" >&2
  start=$SECONDS
  rm -rf "$venv"
  "$python" -m venv "$venv"
  if ! "$venv/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION" >&2; then
    rm -rf "$venv"
    echo "[checkov] pip could not install checkov==$CHECKOV_VERSION (see above); nothing was kept." >&2
    exit 1
  fi
  [[ "$("$exe" --version 2>/dev/null)" == "$CHECKOV_VERSION" ]] ||
    { echo "[checkov] $exe does not report version $CHECKOV_VERSION after install" >&2; exit 1; }
  echo "[checkov] installed in $((SECONDS - start)) s" >&2
fi

$quiet || echo "$exe"

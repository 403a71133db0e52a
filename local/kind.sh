#!/usr/bin/env bash
# A Kind cluster for the local environment's module workloads (needs Docker and kind).
#   local/kind.sh up     create the cluster "acme" and write its kubeconfig
#   local/kind.sh down   delete it
# Then synthesize with PLATFORM_LOCAL_KUBECONFIG set (printed by `up`) and module stacks deploy their
# namespaces, service accounts, config maps and workloads to it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
kubeconfig="${KIND_KUBECONFIG:-$HOME/.kube/kind-acme}"
command -v kind >/dev/null || { echo "kind is not installed; see https://kind.sigs.k8s.io" >&2; exit 1; }
case "${1:-}" in
  up)
    kind get clusters | grep -qx acme || kind create cluster --config "$here/kind-config.yaml" --kubeconfig "$kubeconfig" --wait 120s
    echo "export PLATFORM_LOCAL_KUBECONFIG=$kubeconfig PLATFORM_LOCAL_KUBE_CONTEXT=kind-acme"
    ;;
  down) kind delete cluster --name acme ;;
  *) echo "usage: local/kind.sh up|down" >&2; exit 2 ;;
esac

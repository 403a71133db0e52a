#!/usr/bin/env bash
# The local environment's Kubernetes cluster, on loopback only.
#
#   local/cluster.sh start|stop|status|kubeconfig|logs
#   local/cluster.sh api-resources   every kind the running server serves, at its preferred version
#
# CLUSTER picks the implementation: `builtin` (the control plane the toolchain builds: etcd,
# kube-apiserver, kube-controller-manager, kube-scheduler and kwok, which marks Nodes and Pods Ready
# without a kubelet), `kind` (a Kind cluster, needs a Docker engine and kind; its nodes pull the
# workloads' images, which no registry it reaches holds until you load them) or `auto` (default:
# builtin once the toolchain has built it, else Kind where Docker answers). Either way the kubeconfig is
# written to $CLUSTER_DIR/kubeconfig (default ~/.cache/cdktf-platform/cluster/kubeconfig) with the
# context `acme-local`, which is where the `local` environment looks for it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=local/process.sh
source "$here/process.sh"
source "$(dirname "${BASH_SOURCE[0]}")/paths.sh"
dir="$platform_cluster_dir"
kubeconfig="$dir/kubeconfig"
context="acme-local"
host="127.0.0.1"
api_port="${CLUSTER_API_PORT:-6443}"
etcd_port="${CLUSTER_ETCD_PORT:-2379}"
toolchain="$platform_toolchain_dir"
bin="$toolchain/bin"
timeout_s="${CLUSTER_READY_TIMEOUT:-60}"
# The issuer of service-account tokens, as Kind's (kubeadm's) default: the local environment
# registers it as an IAM OIDC provider, so service accounts carry an IRSA role as on EKS.
issuer="https://kubernetes.default.svc.cluster.local"
# In start order: the store first, then the API server, then its clients.
components=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

say() { printf '[cluster] %s\n' "$*" >&2; }

implementation() {
  case "${CLUSTER:-auto}" in
    kind|builtin) echo "$CLUSTER" ;;
    auto)
      if [[ -x "$bin/kube-apiserver" ]] || ! command -v kind >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
        echo builtin
      else
        echo kind
      fi
      ;;
    *) say "CLUSTER must be kind, builtin or auto, not '$CLUSTER'"; exit 2 ;;
  esac
}

kubectl_() { "$(kubectl_binary)" --kubeconfig "$kubeconfig" --context "$context" "$@"; }

# The toolchain's kubectl is the server's release; another one on PATH will do for Kind.
kubectl_binary() {
  if [[ -x "$bin/kubectl" ]]; then echo "$bin/kubectl"; else command -v kubectl || { say "no kubectl: run local/toolchain.sh control-plane"; exit 1; }; fi
}

# --- certificates: a CA made at every start, and one key and certificate per identity -----------------
pki="$dir/pki"

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# issue NAME SUBJECT EXTENSIONS: a certificate for NAME signed by the cluster's CA.
issue() {
  local name="$1" subject="$2" extensions="$3"
  new_key "$pki/$name.key"
  openssl req -new -key "$pki/$name.key" -subj "$subject" -out "$pki/$name.csr" 2>/dev/null
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 30 \
    -extfile <(printf '%s\n' "$extensions") -out "$pki/$name.crt" 2>/dev/null
  rm -f "$pki/$name.csr"
}

make_pki() {
  rm -rf "$pki" && mkdir -p "$pki" && chmod 700 "$pki"
  new_key "$pki/ca.key"
  openssl req -x509 -new -key "$pki/ca.key" -subj "/CN=acme-local-cluster-ca" -days 30 -out "$pki/ca.crt" 2>/dev/null
  local client="keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
  issue apiserver "/CN=kube-apiserver" "keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  # The people and CI that deploy: cluster admin through the system:masters group, as Kind's kubeconfig.
  issue admin "/O=system:masters/CN=acme-local-admin" "$client"
  issue controller-manager "/CN=system:kube-controller-manager" "$client"
  issue scheduler "/CN=system:kube-scheduler" "$client"
  # kwok stands in for the kubelet and the container runtime (Node and Pod status, Pod deletion);
  # test machinery, not a workload: it gets the admin group too.
  issue kwok "/O=system:masters/CN=kwok" "$client"
  # Service-account tokens are signed with this key; the API server checks them with its public half.
  new_key "$pki/service-accounts.key"
  openssl pkey -in "$pki/service-accounts.key" -pubout -out "$pki/service-accounts.pub" 2>/dev/null
}

# write_kubeconfig FILE IDENTITY: a kubeconfig for that identity's certificate, context acme-local.
write_kubeconfig() {
  local file="$1" who="$2"
  cat >"$file.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: $context
    cluster:
      server: https://$host:$api_port
      certificate-authority-data: $(base64 -w0 "$pki/ca.crt")
users:
  - name: $who
    user:
      client-certificate-data: $(base64 -w0 "$pki/$who.crt")
      client-key-data: $(base64 -w0 "$pki/$who.key")
contexts:
  - name: $context
    context: { cluster: $context, user: $who }
current-context: $context
EOF
  chmod 600 "$file.tmp"
  mv "$file.tmp" "$file"
}

# --- processes ---------------------------------------------------------------------------------------
pid_of() { cat "$dir/run/$1.pid" 2>/dev/null || true; }
alive() { local pid; pid=$(pid_of "$1"); [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; }

launch() {
  local name="$1"; shift
  local exe="$bin/$name"
  [[ -x "$exe" ]] || { say "$exe is missing: run local/toolchain.sh control-plane (builds the control plane offline)"; exit 1; }
  nohup "$exe" "$@" >"$dir/logs/$name.log" 2>&1 &
  echo $! >"$dir/run/$name.pid"
}

# wait_for WHAT COMMAND...: until the command succeeds, or fail with the logs.
wait_for() {
  local what="$1"; shift
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      say "$what not ready after ${timeout_s}s; last log lines:"
      local c
      for c in "${components[@]}"; do [[ -f "$dir/logs/$c.log" ]] && { echo "--- $c" >&2; tail -8 "$dir/logs/$c.log" >&2; }; done
      stop_builtin
      exit 1
    fi
    sleep 0.2
  done
}

healthy() { curl -fsS --cacert "$pki/ca.crt" "https://$host:$api_port/readyz" >/dev/null; }

start_builtin() {
  local began=$EPOCHREALTIME c
  deadline=$((SECONDS + timeout_s))
  for c in "${components[@]}"; do
    if alive "$c"; then say "$c is still running from an earlier start: local/cluster.sh stop first"; exit 1; fi
  done
  # A new cluster at every start, as the emulator starts empty: nothing in it outlives `stop`.
  rm -rf "$dir/etcd" "$dir/run" "$dir/logs"
  mkdir -p "$dir/run" "$dir/logs"
  make_pki
  for c in admin controller-manager scheduler kwok; do write_kubeconfig "$dir/$c.kubeconfig" "$c"; done

  launch etcd --name acme-local --data-dir "$dir/etcd" \
    --listen-client-urls "http://$host:$etcd_port" --advertise-client-urls "http://$host:$etcd_port" \
    --listen-peer-urls "http://$host:$((etcd_port + 1))" --initial-advertise-peer-urls "http://$host:$((etcd_port + 1))" \
    --initial-cluster "acme-local=http://$host:$((etcd_port + 1))" --listen-metrics-urls "" \
    --quota-backend-bytes $((512 * 1024 * 1024)) --log-level warn
  launch kube-apiserver --etcd-servers "http://$host:$etcd_port" \
    --bind-address "$host" --advertise-address "$host" --secure-port "$api_port" \
    --endpoint-reconciler-type none \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" --client-ca-file "$pki/ca.crt" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --service-account-issuer "$issuer" --service-account-key-file "$pki/service-accounts.pub" \
    --service-account-signing-key-file "$pki/service-accounts.key" \
    --service-cluster-ip-range 10.96.0.0/16 --cert-dir "$dir/run" --profiling=false
  wait_for "kube-apiserver" healthy
  launch kube-controller-manager --kubeconfig "$dir/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$dir/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$dir/controller-manager.kubeconfig" \
    --bind-address "$host" --secure-port 10257 --cert-dir "$dir/run" --leader-elect=false \
    --use-service-account-credentials --service-account-private-key-file "$pki/service-accounts.key" \
    --root-ca-file "$pki/ca.crt" --profiling=false
  launch kube-scheduler --kubeconfig "$dir/scheduler.kubeconfig" \
    --authentication-kubeconfig "$dir/scheduler.kubeconfig" --authorization-kubeconfig "$dir/scheduler.kubeconfig" \
    --bind-address "$host" --secure-port 10259 --cert-dir "$dir/run" --leader-elect=false --profiling=false
  launch kwok --kubeconfig "$dir/kwok.kubeconfig" --config "$toolchain/kwok-stages.yaml" \
    --manage-single-node acme-local-node --node-ip "$host" --cidr 10.244.0.0/16
  write_kubeconfig "$kubeconfig" admin
  # The node the workloads are scheduled on: its capacity is the local budget (local/cluster-node.yaml).
  wait_for "the node" kubectl_ apply -f "$here/cluster-node.yaml"
  wait_for "the node's readiness" kubectl_ wait --for=condition=Ready node/acme-local-node --timeout=1s
  # Their health endpoints are open to anyone; loopback only, their certificates are their own.
  wait_for "kube-controller-manager" curl -fsSk "https://$host:10257/healthz"
  wait_for "kube-scheduler" curl -fsSk "https://$host:10259/readyz"
  say "control plane ready in $(seconds_since "$began") s: $(kubectl_ version -o json | sed -n 's/.*"gitVersion": "\(v[^"]*\)".*/\1/p' | tail -1) on https://$host:$api_port (kubeconfig $kubeconfig)"
}

# stop_together COMPONENT...: stops them at once (each takes 1 to 3 s to exit); adds them to `stopped`.
stop_together() {
  local c pid i waits=() names=()
  for c in "$@"; do
    pid=$(pid_of "$c")
    rm -f "$dir/run/$c.pid"
    [[ -n "$pid" ]] || continue
    stop_pid "$pid" &
    waits+=($!) names+=("$c")
  done
  for i in "${!waits[@]}"; do wait "${waits[$i]}" && stopped+=("${names[$i]}"); done
}

# The API server and its clients together, then its store.
stop_builtin() {
  local stopped=()
  stop_together "${components[@]:1}"
  stop_together "${components[0]}"
  rm -rf "$dir/etcd"
  ((${#stopped[@]} == 0)) || say "stopped ${stopped[*]}"
}

start_kind() {
  command -v kind >/dev/null || { say "kind is not installed; see https://kind.sigs.k8s.io, or CLUSTER=builtin"; exit 1; }
  mkdir -p "$dir"
  kind get clusters 2>/dev/null | grep -qx acme || kind create cluster --config "$here/kind-config.yaml" --wait 120s
  kind get kubeconfig --name acme >"$kubeconfig.tmp"
  "$(kubectl_binary)" --kubeconfig "$kubeconfig.tmp" config rename-context kind-acme "$context" >/dev/null
  chmod 600 "$kubeconfig.tmp" && mv "$kubeconfig.tmp" "$kubeconfig"
  say "Kind cluster acme ready (kubeconfig $kubeconfig, context $context)"
}

case "${1:-}" in
  start)
    mkdir -p "$dir"
    if [[ "$(implementation)" == kind ]]; then start_kind; else start_builtin; fi
    ;;
  stop)
    if [[ "$(implementation)" == kind ]]; then kind delete cluster --name acme; else stop_builtin; fi
    rm -f "$kubeconfig"
    ;;
  status)
    if [[ -f "$kubeconfig" ]] && kubectl_ get --raw /readyz >/dev/null 2>&1; then say "up: $kubeconfig"; else say "down"; exit 1; fi
    ;;
  kubeconfig) echo "$kubeconfig" ;;
  logs) for c in "${components[@]}"; do [[ -f "$dir/logs/$c.log" ]] && { echo "--- $c"; cat "$dir/logs/$c.log"; }; done ;;
  api-resources)
    # group/version kind, one line each, at the version the server prefers.
    kubectl_ api-resources --no-headers | awk '{ print $(NF-2) " " $NF }' | LC_ALL=C sort -u
    ;;
  *) echo "usage: local/cluster.sh start|stop|status|kubeconfig|logs|api-resources" >&2; exit 2 ;;
esac

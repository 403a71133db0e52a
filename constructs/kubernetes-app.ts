import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Release } from "@cdktf/provider-helm/lib/release";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { CronJobV1 } from "@cdktf/provider-kubernetes/lib/cron-job-v1";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import type { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";

/** How a stack reaches its cluster: the providers, IRSA where the cluster is ours, the VPC its pods run in. */
export interface ClusterAccess {
  readonly kubernetes: KubernetesProvider;
  readonly helm: HelmProvider;
  /** IRSA: the OIDC provider that service-account roles trust; absent on clusters we do not run (Kind). */
  readonly irsa?: { readonly oidcProviderArn: string; readonly oidcIssuer: string };
  /** The environment's VPC: load balancer targets and kubelet probes reach pods from inside it. */
  readonly vpcCidr: string;
}

/** CPU and memory requests and limits of one container. */
export interface ContainerResources {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly cpuLimit: string;
  readonly memoryLimit: string;
}

/** A long-running service: Deployment with HTTP liveness and readiness probes, and a ClusterIP Service on its port. */
export interface DeploymentWorkload {
  readonly kind: "deployment";
  readonly replicas: number;
  readonly port: number;
  /** HTTP path both probes call. */
  readonly healthPath: string;
}

/** A batch job on a schedule. */
export interface CronJobWorkload {
  readonly kind: "cronjob";
  /** Cron schedule, e.g. "0 * * * *". */
  readonly schedule: string;
  readonly command: string[];
  /** A run that takes longer is killed. */
  readonly deadlineSeconds: number;
}

/** A Helm chart kept in the repository; values get image, service account, resources and config. */
export interface HelmWorkload {
  readonly kind: "helm";
  /** Directory of the chart; it is copied into the stack as an asset, nothing is fetched. */
  readonly chartDir: string;
  readonly replicas: number;
  readonly port: number;
  readonly healthPath: string;
}

export interface KubernetesAppProps {
  /** Name of the namespace, service account and workload. */
  readonly name: string;
  readonly cluster: ClusterAccess;
  /** Full image reference, repository and tag. */
  readonly image: string;
  readonly resources: ContainerResources;
  /** Non-secret configuration, mounted as environment variables from a ConfigMap. */
  readonly config: Record<string, string>;
  /** The workload's AWS permissions (IAM policy document); granted through IRSA where available. */
  readonly policy: Record<string, unknown>;
  /** IAM role name for IRSA. */
  readonly roleName: string;
  readonly workload: DeploymentWorkload | CronJobWorkload | HelmWorkload;
  /**
   * TCP ports the workload may open connections to inside the VPC (its database, cache or brokers),
   * besides DNS and HTTPS, which every workload may use. @default []
   */
  readonly egressPorts?: readonly number[];
}

/** DNS: the cluster's resolver in kube-system, over UDP and TCP. */
const DNS_EGRESS = {
  to: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    },
  ],
  ports: [
    { protocol: "UDP", port: "53" },
    { protocol: "TCP", port: "53" },
  ],
};

/** Every workload's container runs as a non-root user on a read-only root, with no privilege and no capability. */
export const CONTAINER_SECURITY_CONTEXT: {
  readonly runAsNonRoot: boolean;
  readonly readOnlyRootFilesystem: boolean;
  readonly allowPrivilegeEscalation: boolean;
  readonly capabilities: { readonly drop: string[] };
} = {
  runAsNonRoot: true,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
};

/**
 * A service's liveness and readiness probes: GET `healthPath` on its port every 10 s, after 15 s and
 * 5 s. `port` as the API takes it: a number in a manifest (the chart), a string through the
 * Kubernetes provider, whose field holds a number or a port name.
 */
export function serviceProbes<P extends number | string>(healthPath: string, port: P) {
  const probe = { httpGet: { path: healthPath, port }, periodSeconds: 10 };
  return { livenessProbe: { ...probe, initialDelaySeconds: 15 }, readinessProbe: { ...probe, initialDelaySeconds: 5 } };
}

/**
 * A module's Kubernetes runtime: namespace, IRSA service account (an IAM role trusting exactly this
 * namespace/service account through the cluster's OIDC provider), ConfigMap and the workload.
 * The namespace denies all traffic by default and allows only what the workload needs: DNS, HTTPS
 * to AWS APIs, its `egressPorts` inside the VPC and, for a service, its port from inside the VPC.
 * The service account may read its own ConfigMap and nothing else in the cluster.
 */
export class KubernetesApp extends Construct {
  public readonly role?: IamRole;
  private readonly labels: Record<string, string>;

  constructor(scope: Construct, id: string, props: KubernetesAppProps) {
    super(scope, id);
    const { name, cluster } = props;
    const provider = cluster.kubernetes;
    this.labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/managed-by": "cdktf" };
    const labels = this.labels;

    const namespace = new NamespaceV1(this, "namespace", { provider, metadata: { name, labels } });
    const ns = namespace.metadata.name;

    const annotations: Record<string, string> = {};
    if (cluster.irsa) {
      this.role = this.irsaRole(props, cluster.irsa);
      annotations["eks.amazonaws.com/role-arn"] = this.role.arn;
    }
    const account = new ServiceAccountV1(this, "service-account", {
      provider,
      metadata: { name, namespace: ns, labels, annotations },
      automountServiceAccountToken: true,
    });
    const config = new ConfigMapV1(this, "config", {
      provider,
      metadata: { name, namespace: ns, labels },
      data: props.config,
    });
    this.rbac(provider, name, ns, config, account);
    this.networkPolicies(props, ns);

    const container = {
      name,
      image: props.image,
      envFrom: [{ configMapRef: { name: config.metadata.name } }],
      resources: {
        requests: { cpu: props.resources.cpuRequest, memory: props.resources.memoryRequest },
        limits: { cpu: props.resources.cpuLimit, memory: props.resources.memoryLimit },
      },
      // Tags are immutable in ECR, so Always only asks the registry which digest the tag names.
      imagePullPolicy: "Always",
      securityContext: CONTAINER_SECURITY_CONTEXT,
    };
    const w = props.workload;
    if (w.kind === "deployment") this.deployment(provider, name, ns, account, container, w);
    else if (w.kind === "cronjob") this.cronJob(provider, name, ns, account, container, w);
    else this.helmRelease(props, ns, account, config, container, w);
  }

  /** The IAM role only this namespace's service account may assume, through the cluster's OIDC provider. */
  private irsaRole(props: KubernetesAppProps, irsa: NonNullable<ClusterAccess["irsa"]>): IamRole {
    const { name } = props;
    const issuer = irsa.oidcIssuer;
    const role = new IamRole(this, "irsa-role", {
      name: props.roleName,
      description: `Service account ${name}/${name} on the environment's EKS cluster`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Federated: irsa.oidcProviderArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: {
                [`${issuer}:sub`]: `system:serviceaccount:${name}:${name}`,
                [`${issuer}:aud`]: "sts.amazonaws.com",
              },
            },
          },
        ],
      }),
    });
    new IamRolePolicy(this, "irsa-policy", { role: role.id, name, policy: JSON.stringify(props.policy) });
    return role;
  }

  /** A Role that may read the workload's own ConfigMap, bound to its service account. */
  private rbac(
    provider: KubernetesProvider,
    name: string,
    ns: string,
    config: ConfigMapV1,
    account: ServiceAccountV1,
  ): void {
    const labels = this.labels;
    const role = new RoleV1(this, "role", {
      provider,
      metadata: { name, namespace: ns, labels },
      rule: [
        { apiGroups: [""], resources: ["configmaps"], resourceNames: [config.metadata.name], verbs: ["get", "watch"] },
      ],
    });
    new RoleBindingV1(this, "role-binding", {
      provider,
      metadata: { name, namespace: ns, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
      subject: [{ kind: "ServiceAccount", name: account.metadata.name, namespace: ns }],
    });
  }

  /** Default deny for every pod of the namespace, then only what the workload needs. */
  private networkPolicies(props: KubernetesAppProps, ns: string): void {
    const { name, cluster } = props;
    const provider = cluster.kubernetes;
    const labels = this.labels;
    // Every pod of the namespace: nothing in or out unless a policy below allows it.
    new NetworkPolicyV1(this, "default-deny", {
      provider,
      metadata: { name: "default-deny", namespace: ns, labels },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    });
    const w = props.workload;
    const servicePort = w.kind === "cronjob" ? undefined : w.port;
    const vpc = [{ ipBlock: { cidr: cluster.vpcCidr } }];
    new NetworkPolicyV1(this, "allow", {
      provider,
      metadata: { name: `${name}-allow`, namespace: ns, labels },
      spec: {
        podSelector: {},
        policyTypes: servicePort === undefined ? ["Egress"] : ["Ingress", "Egress"],
        ingress:
          servicePort === undefined
            ? undefined
            : [{ from: vpc, ports: [{ protocol: "TCP", port: String(servicePort) }] }],
        egress: [
          DNS_EGRESS,
          { ports: [{ protocol: "TCP", port: "443" }] },
          ...(props.egressPorts ?? []).map((port) => ({ to: vpc, ports: [{ protocol: "TCP", port: String(port) }] })),
        ],
      },
    });
  }

  private deployment(
    provider: KubernetesProvider,
    name: string,
    ns: string,
    account: ServiceAccountV1,
    container: Container,
    w: DeploymentWorkload,
  ): void {
    const labels = this.labels;
    new ServiceV1(this, "service", {
      provider,
      metadata: { name, namespace: ns, labels },
      spec: {
        type: "ClusterIP",
        selector: labels,
        port: [{ name: "http", protocol: "TCP", port: w.port, targetPort: String(w.port) }],
      },
    });
    new DeploymentV1(this, "deployment", {
      provider,
      metadata: { name, namespace: ns, labels },
      spec: {
        replicas: String(w.replicas),
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: account.metadata.name,
            container: [
              {
                ...container,
                port: [{ containerPort: w.port }],
                ...serviceProbes(w.healthPath, String(w.port)),
              },
            ],
          },
        },
      },
    });
  }

  private cronJob(
    provider: KubernetesProvider,
    name: string,
    ns: string,
    account: ServiceAccountV1,
    container: Container,
    w: CronJobWorkload,
  ): void {
    const labels = this.labels;
    new CronJobV1(this, "cronjob", {
      provider,
      metadata: { name, namespace: ns, labels },
      spec: {
        schedule: w.schedule,
        concurrencyPolicy: "Forbid",
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: w.deadlineSeconds,
            template: {
              metadata: { labels },
              spec: {
                serviceAccountName: account.metadata.name,
                restartPolicy: "Never",
                container: [{ ...container, command: w.command }],
              },
            },
          },
        },
      },
    });
  }

  private helmRelease(
    props: KubernetesAppProps,
    ns: string,
    account: ServiceAccountV1,
    config: ConfigMapV1,
    container: Container,
    w: HelmWorkload,
  ): void {
    // The chart renders what the other workloads get from this construct: it hardens nothing itself.
    const chart = new TerraformAsset(this, "chart", { path: w.chartDir, type: AssetType.DIRECTORY });
    new Release(this, "release", {
      provider: props.cluster.helm,
      name: props.name,
      namespace: ns,
      chart: chart.path,
      atomic: true,
      values: [
        JSON.stringify({
          image: props.image,
          replicas: w.replicas,
          port: w.port,
          serviceAccountName: account.metadata.name,
          configMapName: config.metadata.name,
          resources: container.resources,
          imagePullPolicy: container.imagePullPolicy,
          securityContext: container.securityContext,
          ...serviceProbes(w.healthPath, w.port),
        }),
      ],
    });
  }
}

/** The container every workload kind runs: image, config from the ConfigMap, resources, hardened context. */
type Container = {
  name: string;
  image: string;
  envFrom: { configMapRef: { name: string } }[];
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  imagePullPolicy: string;
  securityContext: typeof CONTAINER_SECURITY_CONTEXT;
};

import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { cacheDirs } from "../core/cache";
import { MODULES, platformInputs, moduleNamed } from "../packages";
import { LOCAL_WORKLOAD_SIZE, quantityValue, type WorkloadSettings } from "../packages/workload";
import { parse } from "yaml";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CONTAINER_SECURITY_CONTEXT, KubernetesApp, serviceProbes } from "../constructs/kubernetes-app";
import { loadEnvironments } from "../environments";

import { FoundationStack } from "../stacks/foundation-stack";
import { ModuleStack } from "../stacks/module-stack";
import { env, onlyResource, policy, resourcesOf, synthJson } from "./helpers";

const dataPipeline = moduleNamed("data-pipeline");
const fileProcessing = moduleNamed("file-processing");

const prodEnv = env("prod");
const prodFoundation = synthJson(
  new FoundationStack(Testing.app(), { env: prodEnv, imageModules: ["file-processing"] }),
);
const devFoundation = synthJson(new FoundationStack(Testing.app(), { env: env("dev"), imageModules: [] }));

function moduleStack(module: typeof fileProcessing | typeof dataPipeline, e = prodEnv) {
  const settings = module.settings.parse(e.modules[module.name].settings);
  const app = Testing.app();
  const stack = new ModuleStack(app, { env: e, module, settings });
  return { app, stack, json: synthJson(stack) };
}

describe("EKS in the foundation", () => {
  test("cluster: private endpoint, all control-plane logs, KMS-encrypted secrets", () => {
    expect(onlyResource(prodFoundation, "aws_eks_cluster")).toMatchObject({
      name: "acme-prod",
      version: "1.31",
      vpc_config: { endpoint_private_access: true, endpoint_public_access: false },
      enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      encryption_config: { resources: ["secrets"] },
    });
  });

  test("managed node group sized from the environment", () => {
    expect(onlyResource(prodFoundation, "aws_eks_node_group")).toMatchObject({
      scaling_config: { min_size: 3, desired_size: 3, max_size: 9 },
    });
  });

  test("IRSA OIDC provider from the cluster issuer, and its outputs in the contract", () => {
    const oidc = Object.values(resourcesOf(prodFoundation, "aws_iam_openid_connect_provider")).find((p) =>
      String(p.url).includes("aws_eks_cluster"),
    );
    expect(oidc).toMatchObject({ client_id_list: ["sts.amazonaws.com"] });
    expect(prodFoundation.output?.eks_oidc_provider_arn.value).toMatch(
      /aws_iam_openid_connect_provider\.eks_oidc_.*\.arn/,
    );
    expect(prodFoundation.output?.eks_cluster_endpoint.value).toMatch(/aws_eks_cluster\..*\.endpoint/);
  });

  test("environments without EKS publish empty EKS outputs and no cluster", () => {
    expect(resourcesOf(devFoundation, "aws_eks_cluster")).toEqual({});
    expect(devFoundation.output?.eks_cluster_name.value).toBe("");
  });
});

describe("module workloads on Kubernetes", () => {
  const fp = moduleStack(fileProcessing);
  const dp = moduleStack(dataPipeline);

  test("providers come from the foundation's remote state, tokens from aws eks get-token, no credentials", () => {
    const k8s = fp.json.provider?.kubernetes[0] as Record<string, unknown>;
    expect(k8s.host).toMatch(
      /^\$\{data\.terraform_remote_state\.foundation_[0-9A-F]+\.outputs\.eks_cluster_endpoint\}$/,
    );
    expect(k8s.cluster_ca_certificate).toMatch(
      /base64decode\(data\.terraform_remote_state\.foundation_.*eks_cluster_ca_data\)/,
    );
    expect(k8s.exec).toMatchObject({
      command: "aws",
      args: expect.arrayContaining(["eks", "get-token", "--region", "eu-west-1"]),
    });
    expect(k8s).not.toHaveProperty("token");
    expect(k8s).not.toHaveProperty("client_key");
    const helm = fp.json.provider?.helm[0] as { kubernetes: Record<string, unknown> };
    expect(helm.kubernetes).toEqual(k8s);
  });

  test("IRSA role trusts exactly this namespace and service account", () => {
    const role = Object.values(resourcesOf(fp.json, "aws_iam_role")).find((r) =>
      String(r.name).endsWith("worker-irsa"),
    );
    const statement = policy(role?.assume_role_policy).Statement[0] as {
      Principal: { Federated: string };
      Condition: { StringEquals: Record<string, string> };
    };
    expect(statement.Principal.Federated).toContain("outputs.eks_oidc_provider_arn");
    const conditions = Object.entries(statement.Condition.StringEquals);
    expect(conditions).toContainEqual([
      expect.stringMatching(/outputs\.eks_oidc_provider_url\}:sub$/),
      "system:serviceaccount:file-processing:file-processing",
    ]);
    expect(conditions).toContainEqual([expect.stringMatching(/:aud$/), "sts.amazonaws.com"]);
  });

  test("service account carries the IRSA role annotation", () => {
    const sa = onlyResource(fp.json, "kubernetes_service_account_v1") as {
      metadata: { annotations: Record<string, string> };
    };
    expect(sa.metadata.annotations["eks.amazonaws.com/role-arn"]).toMatch(/aws_iam_role\.worker_irsa-role_.*\.arn/);
  });

  test("Helm release from the chart kept in the repo, copied into the stack as an asset", () => {
    const release = onlyResource(fp.json, "helm_release") as { chart: string; values: string[] };
    expect(release.chart).toMatch(/^assets\//);
    expect(existsSync(join(__dirname, "..", "packages", "file-processing", "chart", "Chart.yaml"))).toBe(true);
    const values = JSON.parse(release.values[0]);
    expect(values).toMatchObject({
      replicas: 3,
      resources: { limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "250m", memory: "256Mi" } },
    });
    expect(values.image).toMatch(/^\$\{local\.foundation_ecr_repository_urls_file_processing_[0-9A-F]+\}:1\.4\.2$/);
  });

  test("the chart's container gets hardening, probes, pull policy and resources from the construct, as Deployments do; it defaults none", () => {
    const release = onlyResource(fp.json, "helm_release") as { values: string[] };
    const values = JSON.parse(release.values[0]);
    expect(values).toMatchObject({
      imagePullPolicy: "Always",
      securityContext: {
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
      },
      livenessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 10, initialDelaySeconds: 15 },
      readinessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 10, initialDelaySeconds: 5 },
    });
    // The very objects the construct gives its Deployments and CronJobs.
    expect(values.securityContext).toEqual(CONTAINER_SECURITY_CONTEXT);
    expect({ livenessProbe: values.livenessProbe, readinessProbe: values.readinessProbe }).toEqual(
      serviceProbes("/healthz", 8080),
    );
    const chart = join(__dirname, "..", "packages", "file-processing", "chart");
    const template = readFileSync(join(chart, "templates", "deployment.yaml"), "utf8");
    for (const required of [
      'required "imagePullPolicy is required" .Values.imagePullPolicy',
      'required "resources are required" .Values.resources',
      'required "livenessProbe is required" .Values.livenessProbe',
      'required "readinessProbe is required" .Values.readinessProbe',
      'required "securityContext is required" .Values.securityContext',
    ])
      expect(template).toContain(required);
    expect(readFileSync(join(chart, "values.yaml"), "utf8")).not.toMatch(/securityContext|Probe|resources:/);
  });

  test("batch module runs a CronJob with requests and limits, from its ECR repository", () => {
    const cron = onlyResource(dp.json, "kubernetes_cron_job_v1") as {
      spec: {
        schedule: string;
        job_template: { spec: { template: { spec: { container: Record<string, unknown>[] } } } };
      };
    };
    expect(cron.spec.schedule).toBe("15 * * * *");
    const container = cron.spec.job_template.spec.template.spec.container[0];
    expect(container.resources).toEqual({
      requests: { cpu: "500m", memory: "1Gi" },
      limits: { cpu: "2", memory: "4Gi" },
    });
    expect(container.image).toMatch(/:2\.0\.1$/);
  });

  test("each namespace denies all traffic by default; the batch job may only resolve names, call HTTPS and reach PostgreSQL in the VPC", () => {
    const policies = Object.values(resourcesOf(dp.json, "kubernetes_network_policy_v1")) as {
      metadata: { name: string };
      spec: Record<string, unknown>;
    }[];
    const deny = policies.find((p) => p.metadata.name === "default-deny");
    expect(deny?.spec).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"] });
    const allow = policies.find((p) => p.metadata.name === "data-pipeline-allow");
    expect(allow?.spec).toEqual({
      pod_selector: {},
      policy_types: ["Egress"],
      egress: [
        {
          to: [
            {
              namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "kube-system" } },
              pod_selector: { match_labels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { protocol: "UDP", port: "53" },
            { protocol: "TCP", port: "53" },
          ],
        },
        { ports: [{ protocol: "TCP", port: "443" }] },
        { to: [{ ip_block: { cidr: "10.30.0.0/16" } }], ports: [{ protocol: "TCP", port: "5432" }] },
      ],
    });
    expect(policies).toHaveLength(2);
  });

  test("the service account may read its own ConfigMap and nothing else", () => {
    const role = onlyResource(dp.json, "kubernetes_role_v1") as { rule: Record<string, unknown>[] };
    expect(role.rule).toEqual([
      {
        api_groups: [""],
        resources: ["configmaps"],
        resource_names: [expect.stringMatching(/kubernetes_config_map_v1\.batch_config_.*\.metadata\[0\]\.name/)],
        verbs: ["get", "watch"],
      },
    ]);
    const binding = onlyResource(dp.json, "kubernetes_role_binding_v1") as {
      role_ref: Record<string, string>;
      subject: Record<string, string>[];
    };
    expect(binding.role_ref).toMatchObject({
      kind: "Role",
      name: expect.stringContaining("kubernetes_role_v1.batch_role_"),
    });
    expect(binding.subject).toEqual([
      expect.objectContaining({
        kind: "ServiceAccount",
        name: expect.stringContaining("kubernetes_service_account_v1.batch_service-account_"),
      }),
    ]);
  });

  test("staging runs prod's workloads on a smaller EKS cluster, configured not coded", () => {
    const staging = env("staging");
    expect(staging.eks).toMatchObject({ enabled: true, nodeMaxSize: 4 });
    expect(staging.eks.nodeMaxSize).toBeLessThan(prodEnv.eks.nodeMaxSize);
    const foundation = synthJson(
      new FoundationStack(Testing.app(), { env: staging, imageModules: ["file-processing", "data-pipeline"] }),
    );
    expect(onlyResource(foundation, "aws_eks_node_group")).toMatchObject({
      scaling_config: { min_size: 1, desired_size: 2, max_size: 4 },
    });
    for (const module of [fileProcessing, dataPipeline]) {
      const stack = moduleStack(module, staging);
      expect(Object.keys(resourcesOf(stack.json, "kubernetes_namespace_v1"))).toHaveLength(1);
      expect(Object.keys(resourcesOf(stack.json, "kubernetes_network_policy_v1"))).toHaveLength(2);
    }
  });

  test("environments without a cluster get no Kubernetes resources or providers", () => {
    const dev = moduleStack(fileProcessing, env("dev"));
    expect(dev.json.provider?.kubernetes).toBeUndefined();
    expect(resourcesOf(dev.json, "helm_release")).toEqual({});
  });

  test("local deploys workloads to the cluster npm run local:up starts, with IRSA roles on the issuer the foundation registers", () => {
    const local = env("local");
    expect(local.kubeconfig).toEqual({
      path: "~/.cache/cdktf-platform/cluster/kubeconfig",
      context: "acme-local",
      serviceAccountIssuer: "https://kubernetes.default.svc.cluster.local",
    });
    const fp = moduleStack(fileProcessing, local);
    expect(fp.json.provider?.kubernetes[0]).toEqual({
      config_path: "~/.cache/cdktf-platform/cluster/kubeconfig",
      config_context: "acme-local",
    });
    expect(Object.keys(resourcesOf(fp.json, "helm_release"))).toHaveLength(1);
    const role = Object.values(resourcesOf(fp.json, "aws_iam_role")).find((r) => String(r.name).endsWith("irsa"));
    expect(role?.name).toBe("acme-local-file-processing-worker-irsa");
    const statement = policy(role?.assume_role_policy).Statement[0] as { Principal: { Federated: string } };
    expect(statement.Principal.Federated).toContain("outputs.eks_oidc_provider_arn");
    const sa = onlyResource(fp.json, "kubernetes_service_account_v1") as {
      metadata: { annotations: Record<string, string> };
    };
    expect(sa.metadata.annotations["eks.amazonaws.com/role-arn"]).toMatch(/aws_iam_role\.worker_irsa-role_.*\.arn/);

    const foundation = synthJson(new FoundationStack(Testing.app(), { env: local, imageModules: [] }));
    expect(resourcesOf(foundation, "aws_iam_openid_connect_provider")["cluster-oidc"]).toEqual({
      url: "https://kubernetes.default.svc.cluster.local",
      client_id_list: ["sts.amazonaws.com"],
    });
    expect(foundation.output?.eks_oidc_provider_arn.value).toMatch(
      /aws_iam_openid_connect_provider\.cluster-oidc\.arn/,
    );
    expect(foundation.output?.eks_oidc_provider_url.value).toBe("kubernetes.default.svc.cluster.local");
    expect(resourcesOf(foundation, "aws_eks_cluster")).toEqual({});
  });

  test("PLATFORM_LOCAL_KUBECONFIG names another cluster (Kind of one's own), or off deploys no workloads", () => {
    const other = loadEnvironments(
      platformInputs({ PLATFORM_LOCAL_KUBECONFIG: "/home/dev/.kube/config", PLATFORM_LOCAL_KUBE_CONTEXT: "kind-dev" }),
      "local",
    )[0];
    expect(moduleStack(fileProcessing, other).json.provider?.kubernetes[0]).toEqual({
      config_path: "/home/dev/.kube/config",
      config_context: "kind-dev",
    });
    const off = loadEnvironments(platformInputs({ PLATFORM_LOCAL_KUBECONFIG: "off" }), "local")[0];
    expect(off.kubeconfig).toBeUndefined();
    const json = moduleStack(fileProcessing, off).json;
    expect(json.provider?.kubernetes).toBeUndefined();
    expect(resourcesOf(json, "helm_release")).toEqual({});
    const foundation = synthJson(new FoundationStack(Testing.app(), { env: off, imageModules: [] }));
    expect(Object.values(resourcesOf(foundation, "aws_iam_openid_connect_provider")).map((p) => p.url)).toEqual([
      "https://token.actions.githubusercontent.com",
    ]);
    expect(foundation.output?.eks_oidc_provider_arn.value).toBe("");
  });

  test("local/cluster.sh writes the kubeconfig, context and issuer the local environment reads", () => {
    const script = readFileSync(join(__dirname, "..", "local", "cluster.sh"), "utf8");
    const local = env("local").kubeconfig!;
    expect(script).toContain('dir="$platform_cluster_dir"\nkubeconfig="$dir/kubeconfig"');
    // The cache's default place (local/paths.sh, core/cache.ts), written with ~ so synth is the same on every machine.
    expect(local.path).toBe(`${cacheDirs({ HOME: "~" }).cluster}/kubeconfig`);
    expect(local.path).toBe("~/.cache/cdktf-platform/cluster/kubeconfig");
    expect(script).toContain(`context="${local.context}"`);
    expect(script).toContain(`issuer="${local.serviceAccountIssuer}"`);
  });

  test("the local overlay of every module's workload fits the local cluster's node", () => {
    const node = parse(readFileSync(join(__dirname, "..", "local", "cluster-node.yaml"), "utf8")) as {
      status: { allocatable: { cpu: string; memory: string } };
    };
    const local = env("local");
    const workloads = MODULES.filter((m) => local.modules[m.name]?.enabled)
      .map((m) => (m.settings.parse(local.modules[m.name].settings) as { workload?: WorkloadSettings }).workload)
      .filter((w): w is WorkloadSettings => w !== undefined);
    expect(workloads).toHaveLength(3);
    const total = (pick: (w: WorkloadSettings) => string) =>
      workloads.reduce((sum, w) => sum + w.replicas * quantityValue(pick(w)), 0);
    // Limits, not requests: every container at its limit at once still fits.
    expect(total((w) => w.cpuLimit)).toBeLessThanOrEqual(quantityValue(node.status.allocatable.cpu));
    expect(total((w) => w.memoryLimit)).toBeLessThanOrEqual(quantityValue(node.status.allocatable.memory));
    for (const w of workloads) expect(w).toMatchObject(LOCAL_WORKLOAD_SIZE);
  });

  test("a Deployment workload gets probes, requests and limits", () => {
    const stack = new TerraformStack(Testing.app(), "probe-test");
    new KubernetesApp(stack, "api", {
      name: "api",
      cluster: {
        kubernetes: new KubernetesProvider(stack, "k", { configPath: "/k" }),
        helm: new HelmProvider(stack, "h", {}),
        vpcCidr: "10.9.0.0/16",
      },
      image: "repo/api:1.0.0",
      resources: { cpuRequest: "100m", memoryRequest: "128Mi", cpuLimit: "500m", memoryLimit: "512Mi" },
      config: { MODE: "api" },
      policy: { Version: "2012-10-17", Statement: [] },
      roleName: "api",
      workload: { kind: "deployment", replicas: 2, port: 8080, healthPath: "/health" },
      egressPorts: [6379],
    });
    const json = synthJson(stack);
    const allow = Object.values(resourcesOf(json, "kubernetes_network_policy_v1")).find(
      (p) => (p as { metadata: { name: string } }).metadata.name === "api-allow",
    );
    // The service port is reachable from inside the VPC only; its cache port is the one extra egress.
    expect(allow).toMatchObject({
      spec: {
        policy_types: ["Ingress", "Egress"],
        ingress: [{ from: [{ ip_block: { cidr: "10.9.0.0/16" } }], ports: [{ protocol: "TCP", port: "8080" }] }],
        egress: [
          expect.anything(),
          { ports: [{ protocol: "TCP", port: "443" }] },
          { to: [{ ip_block: { cidr: "10.9.0.0/16" } }], ports: [{ protocol: "TCP", port: "6379" }] },
        ],
      },
    });
    const deployment = onlyResource(json, "kubernetes_deployment_v1") as {
      spec: { replicas: string; template: { spec: { container: Record<string, unknown>[] } } };
    };
    const container = deployment.spec.template.spec.container[0];
    expect(deployment.spec.replicas).toBe("2");
    expect(container.liveness_probe).toMatchObject({ http_get: { path: "/health", port: "8080" } });
    expect(container.readiness_probe).toMatchObject({ http_get: { path: "/health", port: "8080" } });
    expect(container.resources).toEqual({
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "500m", memory: "512Mi" },
    });
    // Its Service selects exactly the Deployment's pods, on the port the probes use.
    const service = onlyResource(json, "kubernetes_service_v1") as {
      spec: { type: string; selector: Record<string, string>; port: Record<string, unknown>[] };
    };
    const template = deployment.spec.template as unknown as { metadata: { labels: Record<string, string> } };
    expect(service.spec).toEqual({
      type: "ClusterIP",
      selector: template.metadata.labels,
      port: [{ name: "http", protocol: "TCP", port: 8080, target_port: "8080" }],
    });
  });
});

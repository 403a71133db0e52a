/**
 * What the e2e checks on the local cluster (local/cluster.sh): the modules' workloads read back with
 * kubectl, what the API server refuses, and what is left of the platform after destroy.
 */
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { readFileSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { KubernetesApp, type KubernetesAppProps } from "../../constructs/kubernetes-app";
import { LOCAL_KUBE_CONTEXT, LOCAL_KUBECONFIG } from "../../environments/local";
import type { sdkConfig } from "../../scripts/aws";
import { kubernetesProviders } from "../../stacks/kubernetes";
import { REPO, must, run } from "./run";

type SdkConfig = ReturnType<typeof sdkConfig>;

/** Where `local/cluster.sh start` writes the kubeconfig (the local environment's default). */
export const KUBECONFIG = LOCAL_KUBECONFIG.replace(/^~/, homedir());

/** kubectl of the toolchain (the server's release, first on the toolchain's PATH) against the local cluster. */
export async function kubectl(tools: NodeJS.ProcessEnv, args: string[], log = "kubectl.log"): Promise<string> {
  return (
    await must("kubectl", ["--kubeconfig", KUBECONFIG, "--context", LOCAL_KUBE_CONTEXT, ...args], { env: tools, log })
  ).output;
}

/** `kubectl get ... -o json`, parsed (stdout only: warnings go to stderr, which the log mixes in). */
export async function kubeGet<T = { items: Record<string, unknown>[] }>(
  tools: NodeJS.ProcessEnv,
  args: string[],
): Promise<T> {
  const out = await must(
    "bash",
    [
      "-c",
      'kubectl --kubeconfig "$0" --context "$1" get "${@:2}" -o json 2>/dev/null',
      KUBECONFIG,
      LOCAL_KUBE_CONTEXT,
      ...args,
    ],
    { env: tools, log: "kubectl.log" },
  );
  return JSON.parse(out.output) as T;
}

interface Meta {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}

/** The namespaces of the modules that run workloads in `local`. */
export const WORKLOAD_NAMESPACES = ["data-pipeline", "file-processing", "ml-platform"];

/**
 * The modules' workloads as the API server holds them: each namespace with its default-deny and allow
 * policies, its Role and binding, a ConfigMap of the module's resource names, a service account
 * annotated with its IRSA role (which exists in the emulator and trusts the cluster's issuer); the
 * model server and the worker chart's Deployments available with their replicas, their Services, the
 * batch CronJob, the Helm release deployed.
 */
export async function expectWorkloadsApplied(
  tools: NodeJS.ProcessEnv,
  aws: SdkConfig,
  outputs: {
    dataPipeline: Record<string, string>;
    mlPlatform: Record<string, string>;
    fileProcessing: Record<string, string>;
  },
): Promise<void> {
  const byNamespace = async (kind: string) => {
    const items = (await kubeGet<{ items: Meta[] }>(tools, [kind, "--all-namespaces"])).items;
    return items
      .filter((i) => WORKLOAD_NAMESPACES.includes(i.metadata.namespace!))
      .map((i) => `${i.metadata.namespace}/${i.metadata.name}`)
      .sort();
  };
  expect(await byNamespace("networkpolicies")).toEqual(
    WORKLOAD_NAMESPACES.flatMap((ns) => [`${ns}/${ns}-allow`, `${ns}/default-deny`]).sort(),
  );
  expect(await byNamespace("roles")).toEqual(WORKLOAD_NAMESPACES.map((ns) => `${ns}/${ns}`));
  expect(await byNamespace("rolebindings")).toEqual(WORKLOAD_NAMESPACES.map((ns) => `${ns}/${ns}`));
  expect(await byNamespace("services")).toEqual(["file-processing/file-processing", "ml-platform/ml-platform"]);
  expect(await byNamespace("cronjobs")).toEqual(["data-pipeline/data-pipeline"]);

  type Deployment = Meta & {
    spec: { replicas: number };
    status: { readyReplicas?: number; availableReplicas?: number };
  };
  const deployments = (await kubeGet<{ items: Deployment[] }>(tools, ["deployments", "--all-namespaces"])).items
    .filter((d) => WORKLOAD_NAMESPACES.includes(d.metadata.namespace!))
    .map((d) => ({
      name: `${d.metadata.namespace}/${d.metadata.name}`,
      replicas: d.spec.replicas,
      available: d.status.availableReplicas,
    }));
  expect(deployments).toEqual([
    { name: "file-processing/file-processing", replicas: 1, available: 1 },
    { name: "ml-platform/ml-platform", replicas: 1, available: 1 },
  ]);

  const config = async (ns: string) =>
    (await kubeGet<{ data: Record<string, string> }>(tools, ["configmap", ns, "--namespace", ns])).data;
  expect(await config("data-pipeline")).toMatchObject({
    RAW_BUCKET: outputs.dataPipeline.raw_bucket_name,
    METADATA_TABLE: outputs.dataPipeline.metadata_table_name,
    JOBS_QUEUE_URL: outputs.dataPipeline.jobs_queue_url,
  });
  expect(await config("ml-platform")).toMatchObject({
    MODEL_BUCKET: outputs.mlPlatform.models_bucket_name,
    REDIS_HOST: outputs.mlPlatform.cache_endpoint,
    REDIS_PORT: "6379",
  });
  expect(await config("file-processing")).toMatchObject({
    INBOX_BUCKET: outputs.fileProcessing.inbox_bucket_name,
    WORK_QUEUE_URL: outputs.fileProcessing.work_queue_url,
  });

  // Helm keeps a release as a Secret labelled with its status.
  const releases = await kubeGet<{ items: Meta[] }>(tools, [
    "secrets",
    "--namespace",
    "file-processing",
    "-l",
    "owner=helm",
  ]);
  expect(releases.items.map((s) => [s.metadata.labels?.name, s.metadata.labels?.status])).toEqual([
    ["file-processing", "deployed"],
  ]);

  // IRSA as on EKS: the annotation names a role the emulator has, trusting the cluster's issuer.
  const iam = new IAMClient(aws);
  for (const [ns, role] of [
    ["data-pipeline", "acme-local-data-pipeline-batch-irsa"],
    ["file-processing", "acme-local-file-processing-worker-irsa"],
    ["ml-platform", "acme-local-ml-platform-serving-irsa"],
  ]) {
    const account = await kubeGet<Meta>(tools, ["serviceaccount", ns, "--namespace", ns]);
    const found = (await iam.send(new GetRoleCommand({ RoleName: role }))).Role!;
    expect(account.metadata.annotations?.["eks.amazonaws.com/role-arn"]).toBe(found.Arn);
    const trust = JSON.parse(decodeURIComponent(found.AssumeRolePolicyDocument!)) as {
      Statement: { Principal: { Federated: string }; Condition: { StringEquals: Record<string, string> } }[];
    };
    expect(trust.Statement[0].Principal.Federated).toMatch(
      /^arn:aws:iam::000000000000:oidc-provider\/kubernetes\.default\.svc\.cluster\.local$/,
    );
    expect(trust.Statement[0].Condition.StringEquals["kubernetes.default.svc.cluster.local:sub"]).toBe(
      `system:serviceaccount:${ns}:${ns}`,
    );
  }

  // The Deployments' pods are Ready (kwok stands in for the kubelet); a Job the CronJob started at
  // its minute has Succeeded.
  type Pod = Meta & {
    metadata: { ownerReferences?: { kind: string }[] };
    status: { phase: string; conditions?: { type: string; status: string }[] };
  };
  const pods = (await kubeGet<{ items: Pod[] }>(tools, ["pods", "--all-namespaces"])).items.filter((p) =>
    WORKLOAD_NAMESPACES.includes(p.metadata.namespace!),
  );
  const ofJobs = pods.filter((p) => p.metadata.ownerReferences?.some((o) => o.kind === "Job"));
  const serving = pods.filter((p) => !ofJobs.includes(p));
  expect(serving.map((p) => p.metadata.namespace).sort()).toEqual(["file-processing", "ml-platform"]);
  for (const pod of serving)
    expect(pod.status.conditions).toContainEqual(expect.objectContaining({ type: "Ready", status: "True" }));
  for (const pod of ofJobs) expect([pod.metadata.namespace, pod.status.phase]).toEqual(["data-pipeline", "Succeeded"]);
}

/** Namespaces that are not the cluster's own: what the platform would have left. */
export async function kubernetesLeftovers(tools: NodeJS.ProcessEnv): Promise<string[]> {
  const own = new Set(["default", "kube-node-lease", "kube-public", "kube-system"]);
  return (await kubeGet<{ items: Meta[] }>(tools, ["namespaces"])).items
    .map((n) => n.metadata.name)
    .filter((n) => !own.has(n))
    .map((n) => `kubernetes namespace: ${n}`);
}

/** The kinds the running server serves at their preferred versions equal local/kubernetes-api-resources.txt. */
export async function expectServedApiResources(tools: NodeJS.ProcessEnv): Promise<void> {
  const served = await must("bash", [join(REPO, "local", "cluster.sh"), "api-resources"], {
    env: tools,
    log: "kubectl.log",
  });
  const listed = readFileSync(join(REPO, "local", "kubernetes-api-resources.txt"), "utf8")
    .split("\n")
    .filter((l) => l && !l.startsWith("#"));
  expect(served.output.trim().split("\n")).toEqual(listed);
}

/**
 * What the module schemas cannot see still fails at the API, naming the object and the field: the
 * construct given values no module setting allows (a CPU request above its limit, which the
 * provider's own validation passes; a chart's negative replica count), applied for real. The Helm
 * release is atomic: nothing of it stays.
 */
export async function expectApiRefusals(tools: NodeJS.ProcessEnv): Promise<void> {
  const dir = join(REPO, ".e2e", "api-refusals");
  rmSync(dir, { recursive: true, force: true });
  const app = new App({ outdir: dir });
  const stack = new TerraformStack(app, "api-refusals");
  // Its state stays in its own directory (cdktf's default is the working directory of the synth).
  new LocalBackend(stack, { path: join(dir, "terraform.tfstate") });
  const connection = { configPath: KUBECONFIG, configContext: LOCAL_KUBE_CONTEXT };
  const cluster = { ...kubernetesProviders(stack, connection), vpcCidr: "10.99.0.0/16" };
  const common: Omit<KubernetesAppProps, "name" | "workload" | "resources"> = {
    cluster,
    image: "registry.invalid/acme/refused:1.0.0",
    config: { MODE: "refused" },
    policy: {},
    roleName: "unused",
  };
  const resources = { cpuRequest: "50m", memoryRequest: "64Mi", cpuLimit: "100m", memoryLimit: "128Mi" };
  new KubernetesApp(stack, "limits", {
    ...common,
    name: "refused-limits",
    resources: { ...resources, cpuRequest: "2", cpuLimit: "1" },
    workload: { kind: "deployment", replicas: 1, port: 8080, healthPath: "/healthz" },
  });
  new KubernetesApp(stack, "chart", {
    ...common,
    name: "refused-chart",
    resources,
    workload: {
      kind: "helm",
      chartDir: join(REPO, "packages", "file-processing", "chart"),
      replicas: -1,
      port: 8080,
      healthPath: "/healthz",
    },
  });
  app.synth();
  const cwd = join(dir, "stacks", "api-refusals");
  const tofu = (args: string[]) =>
    run(tools.TERRAFORM_BINARY_NAME!, args, { cwd, env: tools, log: "api-refusals.log" });
  expect((await tofu(["init", "-input=false", "-no-color"])).code).toBe(0);
  const apply = await tofu(["apply", "-input=false", "-auto-approve", "-no-color"]);
  // OpenTofu wraps long diagnostics; compare with the line breaks as spaces.
  const said = apply.output.replace(/\s+/g, " ");
  try {
    expect(apply.code).toBe(1);
    expect(said).toContain(
      'Failed to create deployment: Deployment.apps "refused-limits" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    );
    expect(said).toContain(
      'release refused-chart failed, and has been uninstalled due to atomic being set: 1 error occurred: * Deployment.apps "refused-chart" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
    // Atomic: the failed release was uninstalled, so Helm keeps no record of it.
    expect((await kubeGet(tools, ["secrets", "--namespace", "refused-chart", "-l", "owner=helm"])).items).toEqual([]);
  } finally {
    const destroyed = await tofu(["destroy", "-input=false", "-auto-approve", "-no-color"]);
    expect(destroyed.code).toBe(0);
  }
}

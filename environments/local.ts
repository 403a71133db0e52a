import { base } from "./base";
import { defineEnvironment } from "./define";
import { ConfigError } from "../core/errors";
import { type AwsService, EMULATORS, type EmulatorName, unservedBy } from "./emulators";
import type { LockingMode } from "./schema";

/** Default emulator endpoint, the port LocalStack listens on. */
export const DEFAULT_LOCAL_ENDPOINT = "http://localhost:4566";

/**
 * The emulator endpoint, resolved the way tflocal resolves it: AWS_ENDPOINT_URL, else
 * LOCALSTACK_HOSTNAME with EDGE_PORT, else localhost:4566.
 */
export function resolveLocalEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AWS_ENDPOINT_URL) return env.AWS_ENDPOINT_URL.replace(/\/+$/, "");
  if (env.LOCALSTACK_HOSTNAME) return `http://${env.LOCALSTACK_HOSTNAME}:${env.EDGE_PORT || "4566"}`;
  return DEFAULT_LOCAL_ENDPOINT;
}

/** Where `npm run local:up` writes the local cluster's kubeconfig (local/cluster.sh); `~` is expanded by the providers. */
export const LOCAL_KUBECONFIG = "~/.cache/cdktf-platform/cluster/kubeconfig";
/** The context of that kubeconfig, for the built control plane and Kind alike. */
export const LOCAL_KUBE_CONTEXT = "acme-local";
/** The service-account issuer of both (Kind's default, which local/cluster.sh gives the built one). */
export const LOCAL_SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";

/**
 * The cluster module workloads deploy to: the one `npm run local:up` starts, or the kubeconfig
 * PLATFORM_LOCAL_KUBECONFIG names (context PLATFORM_LOCAL_KUBE_CONTEXT); `off` deploys none.
 */
function localCluster(env: NodeJS.ProcessEnv) {
  const path = env.PLATFORM_LOCAL_KUBECONFIG || LOCAL_KUBECONFIG;
  if (path === "off") return undefined;
  return {
    path,
    context: env.PLATFORM_LOCAL_KUBE_CONTEXT || LOCAL_KUBE_CONTEXT,
    serviceAccountIssuer: LOCAL_SERVICE_ACCOUNT_ISSUER,
  };
}

/**
 * PLATFORM_LOCAL_IMPORTS: the local environment's `imports` as JSON, for adopting resources made by
 * hand in the emulator, e.g. {"bootstrap":{"lock-table":"acme-local-tflock"}}.
 */
function localImports(env: NodeJS.ProcessEnv): Record<string, Record<string, string>> | undefined {
  const raw = env.PLATFORM_LOCAL_IMPORTS;
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Record<string, Record<string, string>>;
  } catch (e) {
    throw new ConfigError(
      `PLATFORM_LOCAL_IMPORTS is not JSON (${(e as Error).message}); write it like {"bootstrap":{"lock-table":"acme-local-tflock"}}: stack, then construct path and the ID to import`,
    );
  }
}

/** The environment of a laptop or CI machine, running against an AWS emulator. */
export function localEnvironment(env: NodeJS.ProcessEnv = process.env) {
  // EMULATOR, as local/emulator.sh reads it; the schema refuses a name it does not know.
  const emulator = (env.EMULATOR || "moto") as EmulatorName;
  const served = (service: AwsService) => !(emulator in EMULATORS) || !unservedBy(emulator, service);
  return defineEnvironment({
    ...base,
    name: "local",
    // The account id LocalStack reports for test credentials.
    accountId: "000000000000",
    region: env.AWS_DEFAULT_REGION || "us-east-1",
    endpoint: resolveLocalEndpoint(env),
    emulator,
    // "environment" (PLATFORM_LOCAL_CREDENTIALS) leaves the test keys out, for an emulator that enforces IAM.
    emulatorCredentials: (env.PLATFORM_LOCAL_CREDENTIALS || "test-keys") as "test-keys" | "environment",
    // PLATFORM_LOCAL_LOCKING picks another locking mode and PLATFORM_LOCAL_LOCK_TABLE keeps a lock
    // table after a move to "s3", as the e2e does to rehearse the move (README, "State locking").
    state: {
      ...(env.PLATFORM_LOCAL_LOCKING ? { locking: env.PLATFORM_LOCAL_LOCKING as LockingMode } : {}),
      ...(env.PLATFORM_LOCAL_LOCK_TABLE ? { lockTable: env.PLATFORM_LOCAL_LOCK_TABLE } : {}),
    },
    // Nothing local is kept: destroy must be able to remove it all.
    // Endpoints on, so the e2e applies them (moto creates and deletes VPC endpoints).
    network: { ...base.network, natMode: "single", interfaceEndpoints: true },
    // A public zone in the emulator: certificates are validated through it as in AWS (local/README.md).
    dns: { ...base.dns, publicZone: "local.acme.example" },
    deletionProtection: false,
    // The emulator listens on plain HTTP, and moto applies a bucket policy's Deny without its
    // aws:SecureTransport condition, so a TLS-only policy would lock everyone out of the bucket.
    s3TlsOnly: false,
    logRetentionDays: 1,
    // What the emulator cannot serve is off (environments/emulators.ts): moto has no CloudWatch alarms
    // for the provider's protocol, LocalStack community no ECR, which the workloads' images come from.
    alarms: served("cloudwatch"),
    // No budget: neither emulator serves Budgets and Cost Explorer (environments/emulators.ts).
    kubeconfig: served("ecr") ? localCluster(env) : undefined,
    imports: localImports(env),
  });
}

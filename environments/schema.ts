import { EMULATOR_NAMES, type EmulatorName } from "./emulators";
import { z } from "zod";
import { REGION_AZ_LETTERS } from "./regions";

/** Names an environment may take; stack names start with it (`dev-foundation`). */
const envName = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,15}$/, "must be 2-16 lowercase letters or digits, starting with a letter");
const accountId = z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id");
const region = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region such as eu-west-1");
const cidr = z
  .string()
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, "must be an IPv4 CIDR block such as 10.0.0.0/16")
  .refine(
    (v) =>
      v
        .split("/")[0]
        .split(".")
        .every((o) => Number(o) <= 255),
    "has an octet above 255",
  )
  .refine((v) => {
    const bits = Number(v.split("/")[1]);
    return bits >= 16 && bits <= 24;
  }, "prefix must be between /16 and /24 so every AZ gets a public and a private subnet");
const s3BucketName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    "must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)",
  );

export const natModes = ["none", "single", "per-az"] as const;
/** State locking modes; "s3" is the default (README, "State locking"). */
export const lockingModes = ["s3", "dynamodb", "both"] as const;
export type LockingMode = (typeof lockingModes)[number];

export const tagsSchema = z.object({
  Project: z.string().min(1),
  Environment: z.string().min(1),
  Owner: z.string().min(1),
  CostCenter: z.string().min(1),
  ManagedBy: z.string().min(1),
});

/** Settings shared by every module entry; each module adds its own through its settings schema. */
/** Rotation of one module secret by a rotation function (Secrets Manager's rotation contract). */
export const secretRotationSchema = z
  .object({
    functionArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+$/, "must be a Lambda function ARN"),
    days: z.number().int().min(1).max(1000),
  })
  .strict();
export type SecretRotation = z.output<typeof secretRotationSchema>;

export const moduleEntrySchema = z
  .object({
    enabled: z.boolean(),
    settings: z.record(z.string(), z.unknown()).default({}),
    /** Rotation of the module's declared secrets in this environment, by secret name. */
    secretRotation: z.record(z.string(), secretRotationSchema).optional(),
  })
  .strict();

export const eksSchema = z
  .object({
    enabled: z.boolean(),
    version: z.string().regex(/^1\.\d{2}$/, "must be a Kubernetes minor version such as 1.31"),
    nodeInstanceTypes: z.array(z.string().min(1)).min(1),
    nodeMinSize: z.number().int().min(0),
    nodeDesiredSize: z.number().int().min(0),
    nodeMaxSize: z.number().int().min(1),
    publicEndpoint: z.boolean(),
  })
  .strict()
  .refine((e) => e.nodeMinSize <= e.nodeDesiredSize && e.nodeDesiredSize <= e.nodeMaxSize, {
    message: "node group sizes must satisfy min <= desired <= max",
  });

/** Kubernetes access for module workloads when the cluster is not an EKS cluster of ours (Kind, the local control plane). */
export const kubeconfigSchema = z
  .object({
    /** The kubeconfig file; `~` is the home directory of whoever runs the engine. */
    path: z.string().min(1),
    context: z.string().min(1),
    /**
     * The issuer of the cluster's service-account tokens (kube-apiserver --service-account-issuer). The
     * foundation registers it as an IAM OIDC provider, and service accounts get an IRSA role as on EKS.
     */
    serviceAccountIssuer: z
      .url({ protocol: /^https$/, error: "must be the https:// URL of the cluster's service-account issuer" })
      .optional(),
  })
  .strict();

export const githubSchema = z
  .object({
    /** `owner/repo` whose workflows may assume the plan and apply roles. */
    repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "must be owner/repo"),
    /** The branch pull requests target; scheduled checks (drift) run on it with the plan role. */
    defaultBranch: z.string().regex(/^[A-Za-z0-9._/-]+$/, "must be a branch name such as main"),
    /**
     * The refs that may deploy to this environment: the deployment rule of the GitHub environment
     * of the same name, whose jobs alone can assume the apply role. A branch (refs/heads/main) or
     * a tag pattern (refs/tags/v*).
     */
    deployRef: z
      .string()
      .regex(
        /^refs\/(heads|tags)\/[A-Za-z0-9._/*-]+$/,
        "must be a full ref or ref pattern such as refs/heads/main or refs/tags/v*",
      ),
  })
  .strict();

export const environmentSchema = z
  .object({
    name: envName,
    project: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/, "must be 2-21 lowercase letters, digits or hyphens"),
    accountId,
    allowedAccountIds: z.array(accountId).min(1),
    region,
    /** Where the emulator listens; set only for environments that run against one. */
    endpoint: z.url({ message: "must be a URL such as http://localhost:4566" }).optional(),
    /**
     * Which emulator the endpoint is (EMULATOR): what it cannot serve is switched off
     * (environments/emulators.ts). @default moto where an endpoint is set
     */
    emulator: z
      .enum(EMULATOR_NAMES as [EmulatorName, ...EmulatorName[]], {
        error: `must be one of ${EMULATOR_NAMES.join(", ")} (EMULATOR)`,
      })
      .optional(),
    /**
     * How stacks authenticate to the emulator: its test keys written into provider and backend
     * (as tflocal does), or the usual AWS credential chain (environment variables, profiles), for
     * an emulator that enforces IAM. @default test-keys where an endpoint is set
     */
    emulatorCredentials: z
      .enum(["test-keys", "environment"], {
        message: 'must be "test-keys" or "environment" (local: PLATFORM_LOCAL_CREDENTIALS)',
      })
      .optional(),
    state: z
      .object({
        bucket: s3BucketName,
        /** Receives the state bucket's server access logs (who read or wrote which state, when). */
        accessLogBucket: s3BucketName,
        /**
         * How state is locked: "s3", a lock object beside the state written with a conditional put
         * (OpenTofu/Terraform 1.10+, use_lockfile); "dynamodb", an item in lockTable; "both", while
         * an environment moves from the table to S3 (README, "State locking").
         */
        locking: z.enum(lockingModes, {
          message: `must be one of ${lockingModes.map((m) => `"${m}"`).join(", ")}: "s3" locks with an object beside the state, "dynamodb" with the lock table, "both" while moving from one to the other (local: PLATFORM_LOCAL_LOCKING)`,
        }),
        /** DynamoDB lock table; bootstrap creates it while it is set (kept after a move to "s3" until removed). */
        lockTable: z
          .string()
          .regex(/^[A-Za-z0-9_.-]{3,255}$/, "must be a valid DynamoDB table name")
          .optional(),
        keyPrefix: z
          .string()
          .regex(/^[a-z0-9][a-z0-9/_-]*[a-z0-9]$/, "must be a path like acme/dev without leading or trailing slash"),
        /**
         * The state bucket, its log bucket, the lock table and the state key refuse destroy
         * (prevent_destroy, deletion protection, no force_destroy), whatever deletionProtection
         * says about application data. Off only against an emulator.
         */
        protect: z.boolean(),
      })
      .strict(),
    network: z
      .object({
        vpcCidr: cidr,
        azCount: z.number().int().min(1).max(6),
        natMode: z.enum(natModes),
        /**
         * Interface endpoints for ECR API and registry, Secrets Manager, CloudWatch Logs and STS (billed
         * per AZ and hour). The S3 gateway endpoint is in every VPC.
         */
        interfaceEndpoints: z.boolean(),
        flowLogs: z.boolean(),
      })
      .strict(),
    dns: z
      .object({
        privateZone: z.string().regex(/^[a-z0-9.-]+\.[a-z]+$/, "must be a domain name"),
        /**
         * Public hosted zone the foundation creates for this environment (for example
         * dev.acme.example). Modules' public names live in it, with their ACM certificates validated
         * through it. Its name servers (output public_zone_name_servers) are delegated to from the
         * parent domain once, outside this project.
         */
        publicZone: z
          .string()
          .regex(
            /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
            "must be a lowercase domain name such as dev.acme.example",
          )
          .optional(),
      })
      .strict(),
    /** Stateful resources refuse destroy (prevent_destroy, deletion protection). */
    deletionProtection: z.boolean(),
    /** Bucket policies deny requests without TLS; only an emulator on plain HTTP may turn this off. */
    s3TlsOnly: z.boolean(),
    /**
     * CloudWatch alarms (every dead-letter queue's) that notify the alerts topic. Off only against an
     * emulator that cannot serve CloudWatch's protocol (local/README.md).
     */
    alarms: z.boolean(),
    logRetentionDays: z.number().int().positive(),
    /**
     * Monthly cost budget of the account: notifies the alerts topic at 80% of actual and 100% of
     * forecast spend. With anomalyAlertUsd, Cost Anomaly Detection watches the spend tagged with this
     * environment (tag Environment, activated as a cost allocation tag) and alerts the topic at once
     * when an anomaly's impact reaches that many USD.
     */
    budget: z
      .object({ monthlyLimitUsd: z.number().positive(), anomalyAlertUsd: z.number().positive().optional() })
      .strict()
      .optional(),
    /** Who the alerts topic tells: email addresses (each confirms the subscription once). */
    alerts: z
      .object({ emails: z.array(z.email("must be an email address")) })
      .strict()
      .optional(),
    tags: tagsSchema,
    github: githubSchema,
    eks: eksSchema,
    kubeconfig: kubeconfigSchema.optional(),
    /** Filled from each module's packages/<m>/environments.ts (environmentInputs); not stated in environment files. */
    modules: z.record(z.string(), moduleEntrySchema).default({}),
    /**
     * Existing resources to adopt instead of create: per stack ("bootstrap", "foundation" or a module
     * name), the construct path of a resource inside the stack and the cloud ID Terraform imports it
     * by (README, "Adopting existing resources"). Each becomes an import block; once applied it is a
     * no-op and can be removed.
     */
    imports: z
      .record(z.string(), z.record(z.string(), z.string().min(1, "must be the ID to import")))
      .superRefine((imports, ctx) => {
        for (const [stack, paths] of Object.entries(imports)) {
          for (const path of Object.keys(paths)) {
            if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(path)) {
              ctx.addIssue({
                code: "custom",
                path: [stack, path],
                message: "must be a construct path inside the stack, such as lock-table or state/bucket",
              });
            }
          }
        }
      })
      .optional(),
  })
  .strict()
  .refine((e) => e.state.locking === "s3" || e.state.lockTable !== undefined, {
    message: 'locking "dynamodb" and "both" need state.lockTable (the DynamoDB table bootstrap creates)',
    path: ["state", "lockTable"],
  })
  .refine((e) => e.network.natMode !== "none" || e.network.interfaceEndpoints, {
    message:
      'natMode "none" leaves private subnets only S3 (its gateway endpoint): set network.interfaceEndpoints to true (ECR API and registry, Secrets Manager, CloudWatch Logs and STS interface endpoints, what a private task or node needs besides S3), or use natMode "single" or "per-az"',
    path: ["network", "natMode"],
  })
  .refine((e) => e.allowedAccountIds.includes(e.accountId), {
    message: "allowedAccountIds must include accountId",
    path: ["allowedAccountIds"],
  })
  .refine((e) => e.tags.Environment === e.name, {
    message: "tags.Environment must equal the environment name",
    path: ["tags", "Environment"],
  })
  .refine((e) => !REGION_AZ_LETTERS[e.region] || e.network.azCount <= REGION_AZ_LETTERS[e.region].length, {
    message: "is more than the region has availability zones",
    path: ["network", "azCount"],
  })
  .refine((e) => e.region in REGION_AZ_LETTERS, {
    message: "has no availability zone list in environments/regions.ts; add the region there",
    path: ["region"],
  })
  .refine((e) => e.s3TlsOnly || e.endpoint !== undefined, {
    message: "may be false only for an environment that runs against an emulator (endpoint set)",
    path: ["s3TlsOnly"],
  })
  .refine((e) => e.alarms || e.endpoint !== undefined, {
    message:
      "may be false only for an environment that runs against an emulator (endpoint set): a real environment's dead-letter queues need their alarms",
    path: ["alarms"],
  })
  .refine((e) => e.emulator === undefined || e.endpoint !== undefined, {
    message: "applies only to an environment that runs against an emulator (endpoint set)",
    path: ["emulator"],
  })
  .refine((e) => e.emulatorCredentials === undefined || e.endpoint !== undefined, {
    message: "applies only to an environment that runs against an emulator (endpoint set)",
    path: ["emulatorCredentials"],
  })
  .refine((e) => e.state.protect || e.endpoint !== undefined, {
    message:
      "may be false only for an environment that runs against an emulator (endpoint set): real state must not be destroyable by accident",
    path: ["state", "protect"],
  })
  .refine((e) => e.name !== "prod" || e.deletionProtection, {
    message: "must be true in prod: stateful resources there refuse destroy",
    path: ["deletionProtection"],
  })
  .refine((e) => e.name !== "prod" || e.github.deployRef.startsWith("refs/tags/"), {
    message: "must be a tag pattern in prod (such as refs/tags/v*): production deploys releases, not a branch",
    path: ["github", "deployRef"],
  })
  .refine((e) => e.name !== "prod" || e.logRetentionDays >= 365, {
    message: "must be at least 365 in prod: audit and incident work needs a year of logs",
    path: ["logRetentionDays"],
  })
  .refine((e) => e.state.accessLogBucket !== e.state.bucket, {
    message: "must differ from state.bucket: a bucket cannot receive its own access logs",
    path: ["state", "accessLogBucket"],
  })
  .refine((e) => !(e.eks.enabled && e.kubeconfig), {
    message: "set either eks.enabled or kubeconfig, not both: workloads go to one cluster",
    path: ["kubeconfig"],
  });

/** A validated environment. */
export type Environment = z.infer<typeof environmentSchema>;
/** What an environment file writes before defaults are derived. */
export type EnvironmentInput = z.input<typeof environmentSchema>;

/**
 * The FoundationOutputs contract: every output the foundation publishes, its type and description,
 * in one place. The foundation must provide each of them; modules may read only these names.
 */

export type OutputType = "string" | "list" | "map";

export interface OutputSpec {
  readonly type: OutputType;
  readonly description: string;
  readonly sensitive?: boolean;
}

export const FOUNDATION_OUTPUTS = {
  vpc_id: { type: "string", description: "ID of the environment's VPC." },
  vpc_cidr: { type: "string", description: "IPv4 range of the VPC." },
  public_subnet_ids: { type: "list", description: "Public subnet IDs, one per availability zone (load balancers)." },
  private_subnet_ids: {
    type: "list",
    description: "Private subnet IDs, one per availability zone (workloads, databases).",
  },
  private_zone_id: { type: "string", description: "Route53 private hosted zone ID for internal names." },
  private_zone_name: { type: "string", description: "Domain name of the private hosted zone." },
  public_zone_id: {
    type: "string",
    description: "Route53 public hosted zone ID of the environment (dns.publicZone); empty without one.",
  },
  public_zone_name: { type: "string", description: "Domain name of the public hosted zone; empty without one." },
  public_zone_name_servers: {
    type: "list",
    description: "Name servers of the public zone, to delegate to from the parent domain; empty without one.",
  },
  kms_key_arn: { type: "string", description: "ARN of the environment's KMS key for data at rest." },
  log_bucket_name: {
    type: "string",
    description: "Central bucket that receives S3 access logs and load balancer logs.",
  },
  log_group_name: { type: "string", description: "Central CloudWatch Logs group for platform events." },
  alerts_topic_arn: {
    type: "string",
    description: "SNS topic that alarms and the cost budget notify; subscribe people or chat to it.",
  },
  ecr_repository_urls: { type: "map", description: "ECR repository URL per module name." },
  ecr_repository_arns: { type: "map", description: "ECR repository ARN per module name." },
  plan_role_arn: {
    type: "string",
    description: "IAM role that pull-request workflows assume to run plan (read-only).",
  },
  planner_role_arn: {
    type: "string",
    description:
      "IAM role the apply workflow's plan job assumes (GitHub environment <env>-plan) to save the plan its apply job applies.",
  },
  apply_role_arn: { type: "string", description: "IAM role that main-branch and tag workflows assume to apply." },
  eks_cluster_name: { type: "string", description: "EKS cluster name; empty when the environment has no EKS cluster." },
  eks_cluster_endpoint: { type: "string", description: "EKS API server endpoint; empty without EKS." },
  eks_cluster_ca_data: {
    type: "string",
    description: "Base64 certificate authority data of the EKS API; empty without EKS.",
  },
  eks_oidc_provider_arn: {
    type: "string",
    description:
      "ARN of the IAM OIDC provider that service-account roles (IRSA) trust: the EKS cluster's, or that of the environment's own cluster (kubeconfig.serviceAccountIssuer); empty without either.",
  },
  eks_oidc_provider_url: {
    type: "string",
    description: "Issuer URL of that OIDC provider, without https://; empty without one.",
  },
  eks_cluster_security_group_id: {
    type: "string",
    description:
      "Security group EKS gives the cluster and its managed nodes: the source to allow for pods reaching a database or cache; empty without EKS.",
  },
} as const satisfies Record<string, OutputSpec>;

export type FoundationOutputName = keyof typeof FOUNDATION_OUTPUTS;

type ValueOf<T extends OutputType> = T extends "string" ? string : T extends "list" ? string[] : Record<string, string>;

/** The value type of each foundation output, as a consumer sees it. */
export type FoundationOutputs = {
  [K in FoundationOutputName]: ValueOf<(typeof FOUNDATION_OUTPUTS)[K]["type"]>;
};

export const FOUNDATION_OUTPUT_NAMES = Object.keys(FOUNDATION_OUTPUTS) as FoundationOutputName[];

export function isFoundationOutput(name: string): name is FoundationOutputName {
  return Object.prototype.hasOwnProperty.call(FOUNDATION_OUTPUTS, name);
}

/**
 * Stand-in values of every foundation output, so a module's plan can be reviewed before its
 * environment's foundation exists (a new environment, or a pull request that adds both). Plan only:
 * a stack synthesized with them refuses to apply.
 */
export function mockFoundationOutputs(env: {
  readonly accountId: string;
  readonly region: string;
  readonly project: string;
}): FoundationOutputs {
  const arn = (service: string, resource: string) => `arn:aws:${service}:${env.region}:${env.accountId}:${resource}`;
  return {
    vpc_id: "vpc-0mock0000000000000",
    vpc_cidr: "10.99.0.0/16",
    public_subnet_ids: ["subnet-0mockpublic000000a", "subnet-0mockpublic000000b"],
    private_subnet_ids: ["subnet-0mockprivate00000a", "subnet-0mockprivate00000b"],
    private_zone_id: "Z0MOCK000000000000000",
    private_zone_name: "mock.internal",
    public_zone_id: "Z0MOCKPUBLIC0000000000",
    public_zone_name: "mock.example",
    public_zone_name_servers: ["ns-0.mock.invalid"],
    kms_key_arn: arn("kms", "key/00000000-0000-0000-0000-000000000000"),
    log_bucket_name: `${env.project}-mock-logs-${env.accountId}`,
    log_group_name: `/${env.project}/mock/platform`,
    alerts_topic_arn: arn("sns", `${env.project}-mock-alerts`),
    ecr_repository_urls: {},
    ecr_repository_arns: {},
    plan_role_arn: `arn:aws:iam::${env.accountId}:role/mock-github-plan`,
    planner_role_arn: `arn:aws:iam::${env.accountId}:role/mock-github-planner`,
    apply_role_arn: `arn:aws:iam::${env.accountId}:role/mock-github-apply`,
    eks_cluster_name: "mock-cluster",
    eks_cluster_endpoint: "https://mock-cluster.invalid",
    eks_cluster_ca_data: "",
    eks_oidc_provider_arn: `arn:aws:iam::${env.accountId}:oidc-provider/oidc.eks.${env.region}.amazonaws.com/id/MOCK`,
    eks_oidc_provider_url: `oidc.eks.${env.region}.amazonaws.com/id/MOCK`,
    eks_cluster_security_group_id: "sg-00000000000000000",
  };
}

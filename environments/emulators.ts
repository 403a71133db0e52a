/**
 * The AWS emulators the `local` environment runs against, and what each cannot serve. An environment
 * with an emulator switches those parts off by configuration (app.ts, local.ts), says so once at
 * synth, and refuses a module that cannot do without one of them. local/README.md's service table
 * is generated from this file (npm run docs).
 */

/** The AWS services the stacks use, by the AWS provider's service package, with their resource types. */
export const AWS_SERVICES = {
  acm: { label: "ACM", types: ["aws_acm_certificate", "aws_acm_certificate_validation"] },
  budgets: { label: "Budgets", types: ["aws_budgets_budget"] },
  ce: { label: "Cost Explorer (anomaly detection)", types: ["aws_ce_anomaly_monitor", "aws_ce_anomaly_subscription"] },
  cloudfront: {
    label: "CloudFront",
    types: ["aws_cloudfront_distribution", "aws_cloudfront_origin_access_control"],
  },
  cloudwatch: { label: "CloudWatch alarms", types: ["aws_cloudwatch_metric_alarm"] },
  dynamodb: { label: "DynamoDB", types: ["aws_dynamodb_table"] },
  ec2: {
    label: "EC2 (VPC)",
    types: [
      "aws_default_security_group",
      "aws_eip",
      "aws_flow_log",
      "aws_internet_gateway",
      "aws_nat_gateway",
      "aws_route",
      "aws_route_table",
      "aws_route_table_association",
      "aws_security_group",
      "aws_subnet",
      "aws_vpc",
      "aws_vpc_endpoint",
      "aws_vpc_security_group_egress_rule",
      "aws_vpc_security_group_ingress_rule",
    ],
  },
  ecr: { label: "ECR", types: ["aws_ecr_lifecycle_policy", "aws_ecr_repository"] },
  ecs: { label: "ECS", types: ["aws_ecs_cluster", "aws_ecs_service", "aws_ecs_task_definition"] },
  eks: {
    label: "EKS",
    types: ["aws_eks_access_entry", "aws_eks_access_policy_association", "aws_eks_cluster", "aws_eks_node_group"],
  },
  elasticache: {
    label: "ElastiCache",
    types: [
      "aws_elasticache_replication_group",
      "aws_elasticache_subnet_group",
      "aws_elasticache_user",
      "aws_elasticache_user_group",
    ],
  },
  elbv2: { label: "Elastic Load Balancing", types: ["aws_lb", "aws_lb_listener", "aws_lb_target_group"] },
  iam: {
    label: "IAM",
    types: ["aws_iam_openid_connect_provider", "aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy_attachment"],
  },
  kafka: { label: "MSK", types: ["aws_msk_serverless_cluster"] },
  kinesis: { label: "Kinesis", types: ["aws_kinesis_stream"] },
  kms: { label: "KMS", types: ["aws_kms_alias", "aws_kms_key"] },
  lambda: { label: "Lambda", types: ["aws_lambda_event_source_mapping", "aws_lambda_function"] },
  logs: { label: "CloudWatch Logs", types: ["aws_cloudwatch_log_group"] },
  rds: { label: "RDS", types: ["aws_db_instance", "aws_db_parameter_group", "aws_db_subnet_group"] },
  route53: { label: "Route 53", types: ["aws_route53_record", "aws_route53_zone"] },
  s3: {
    label: "S3",
    types: [
      "aws_s3_bucket",
      "aws_s3_bucket_lifecycle_configuration",
      "aws_s3_bucket_logging",
      "aws_s3_bucket_notification",
      "aws_s3_bucket_ownership_controls",
      "aws_s3_bucket_policy",
      "aws_s3_bucket_public_access_block",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_versioning",
    ],
  },
  secretsmanager: {
    label: "Secrets Manager",
    types: [
      "aws_secretsmanager_random_password",
      "aws_secretsmanager_secret",
      "aws_secretsmanager_secret_policy",
      "aws_secretsmanager_secret_version",
    ],
  },
  sns: { label: "SNS", types: ["aws_sns_topic", "aws_sns_topic_policy", "aws_sns_topic_subscription"] },
  sqs: { label: "SQS", types: ["aws_sqs_queue", "aws_sqs_queue_policy", "aws_sqs_queue_redrive_policy"] },
  wafv2: {
    label: "WAF",
    types: ["aws_wafv2_web_acl", "aws_wafv2_web_acl_association", "aws_wafv2_web_acl_logging_configuration"],
  },
} as const satisfies Record<string, { label: string; types: readonly string[] }>;

export type AwsService = keyof typeof AWS_SERVICES;

export interface EmulatorProfile {
  /** How people know it, with the version the project pins. */
  readonly label: string;
  /** The services it cannot serve to the stacks, each with why. */
  readonly notServed: Partial<Record<AwsService, string>>;
}

const LOCALSTACK_PRO_ONLY = "not in LocalStack community (its answer: not included in your current license plan)";
const NO_COST_APIS = "cost APIs need a real account";

export const EMULATORS = {
  moto: {
    label: "moto's server 5.2.5",
    notServed: {
      budgets:
        "no DescribeSubscribersForNotification, which the provider reads after creating a budget with notifications",
      ce: "no CreateAnomalyMonitor (HTTP 500, not implemented)",
      cloudwatch:
        "the provider speaks CloudWatch's Smithy RPC v2 (CBOR) protocol; moto 5.2 serves only the query protocol and answers PutMetricAlarm with 404",
    },
  },
  localstack: {
    label: "LocalStack community 2026.3.0",
    notServed: {
      budgets: `${LOCALSTACK_PRO_ONLY}; ${NO_COST_APIS}`,
      ce: `${LOCALSTACK_PRO_ONLY}; ${NO_COST_APIS}`,
      cloudfront: LOCALSTACK_PRO_ONLY,
      dynamodb:
        "LocalStack's DynamoDB is DynamoDB Local, under its vendor's own licence terms, which the project does not install",
      ecr: LOCALSTACK_PRO_ONLY,
      ecs: LOCALSTACK_PRO_ONLY,
      eks: LOCALSTACK_PRO_ONLY,
      elasticache: LOCALSTACK_PRO_ONLY,
      elbv2: LOCALSTACK_PRO_ONLY,
      kafka: LOCALSTACK_PRO_ONLY,
      lambda: "LocalStack runs functions in containers: without Docker they end Failed",
      rds: LOCALSTACK_PRO_ONLY,
      wafv2: LOCALSTACK_PRO_ONLY,
    },
  },
} as const satisfies Record<string, EmulatorProfile>;

export type EmulatorName = keyof typeof EMULATORS;
export const EMULATOR_NAMES = Object.keys(EMULATORS) as EmulatorName[];

/**
 * What an environment itself leaves out where its emulator lacks the service (environments/local.ts
 * switches them; modules declare their own parts): the service's part of the environment.
 */
export const ENVIRONMENT_PARTS: Partial<Record<AwsService, string>> = {
  cloudwatch: "alarms",
  ecr: "ECR repositories, and the workloads on the cluster, whose images they hold",
};

/** Services `local` does not use whatever its emulator, and why. */
export const NOT_IN_LOCAL: Partial<Record<AwsService, string>> = {
  budgets: "local sets no budget",
  ce: "local sets no budget",
  eks: "local runs the workloads on the local cluster instead",
};

/** Why the emulator cannot serve the service, or undefined where it can (and for a real cloud). */
export function unservedBy(emulator: EmulatorName | undefined, service: AwsService): string | undefined {
  if (!emulator) return undefined;
  return (EMULATORS[emulator].notServed as Partial<Record<AwsService, string>>)[service];
}

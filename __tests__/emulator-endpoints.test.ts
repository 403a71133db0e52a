import { EMULATED_SERVICES } from "../stacks/aws-provider";
import { synthesizedPlatform } from "./helpers";

/**
 * The endpoint each resource type is called through, by type prefix (longest first). A type that
 * matches none fails the test: add it here and its service to EMULATED_SERVICES, or the local
 * provider would call AWS itself for it.
 */
const SERVICE_OF: [prefix: string, service: string][] = [
  ["aws_acm_", "acm"],
  ["aws_budgets_", "budgets"],
  ["aws_ce_", "ce"],
  ["aws_cloudfront_", "cloudfront"],
  ["aws_cloudwatch_log_", "logs"],
  ["aws_cloudwatch_metric_alarm", "cloudwatch"],
  ["aws_db_", "rds"],
  ["aws_default_security_group", "ec2"],
  ["aws_dynamodb_", "dynamodb"],
  ["aws_ecr_", "ecr"],
  ["aws_ecs_", "ecs"],
  ["aws_eip", "ec2"],
  ["aws_eks_", "eks"],
  ["aws_elasticache_", "elasticache"],
  ["aws_flow_log", "ec2"],
  ["aws_iam_", "iam"],
  ["aws_internet_gateway", "ec2"],
  ["aws_kinesis_", "kinesis"],
  ["aws_kms_", "kms"],
  ["aws_lambda_", "lambda"],
  ["aws_lb", "elbv2"],
  ["aws_msk_", "kafka"],
  ["aws_nat_gateway", "ec2"],
  ["aws_route53_", "route53"],
  ["aws_route_table", "ec2"],
  ["aws_route", "ec2"],
  ["aws_s3_", "s3"],
  ["aws_secretsmanager_", "secretsmanager"],
  ["aws_security_group", "ec2"],
  ["aws_sns_", "sns"],
  ["aws_sqs_", "sqs"],
  ["aws_subnet", "ec2"],
  ["aws_vpc", "ec2"],
  ["aws_wafv2_", "wafv2"],
];

test("every AWS resource type of the local stacks is called through the emulator endpoint", () => {
  const local = [...synthesizedPlatform().stacks].filter(([name]) => name.startsWith("local-"));
  const types = new Set(
    local.flatMap(([, json]) => Object.keys(json.resource ?? {})).filter((t) => t.startsWith("aws_")),
  );
  const unmapped = [...types].filter((t) => !SERVICE_OF.some(([prefix]) => t.startsWith(prefix)));
  expect(unmapped).toEqual([]);
  const missing = [...types]
    .map((t) => [t, SERVICE_OF.find(([prefix]) => t.startsWith(prefix))![1]])
    .filter(([, service]) => !EMULATED_SERVICES.includes(service as never));
  expect(missing).toEqual([]);
  expect(types.size).toBeGreaterThan(40);
});

import { AwsProvider, type AwsProviderEndpoints } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { REQUIRED_ENGINE_VERSION } from "../core/engine";
import type { Environment } from "../environments";
import { emulatorCredentials } from "./state";

/** Services the stacks call (binding property names); each gets the emulator endpoint where there is one. */
export const EMULATED_SERVICES: readonly (keyof AwsProviderEndpoints)[] = [
  "acm",
  "budgets",
  "ce",
  "cloudfront",
  "cloudwatch",
  "dynamodb",
  "ec2",
  "ecr",
  "ecs",
  "eks",
  "elasticache",
  "elbv2",
  "iam",
  "kafka",
  "kinesis",
  "kms",
  "lambda",
  "logs",
  "rds",
  "route53",
  "s3",
  "s3Control",
  "secretsmanager",
  "sns",
  "sqs",
  "ssm",
  "sts",
  "wafv2",
];

/**
 * Version constraint written for the AWS provider. The bindings were generated for 6.25.0; any 6.x
 * from there on accepts what they write.
 */
export const AWS_PROVIDER_CONSTRAINT = ">= 6.25.0, < 7.0.0";

/**
 * The AWS provider of a stack: region, allowed accounts, default tags, emulator endpoints. With
 * `region`, a second provider of the stack in that region, aliased by the region's name (CloudFront's
 * certificates live in us-east-1).
 */
export function awsProvider(
  scope: Construct,
  env: Environment,
  extraTags: Record<string, string> = {},
  region?: string,
): AwsProvider {
  const emulator = env.endpoint
    ? {
        ...emulatorCredentials(env),
        endpoints: [Object.fromEntries(EMULATED_SERVICES.map((s) => [s, env.endpoint]))],
        s3UsePathStyle: true,
        skipCredentialsValidation: true,
        skipMetadataApiCheck: "true",
        skipRegionValidation: true,
        // With an account id the provider reads bucket tags through S3 Control at
        // <account>.<endpoint host>, a name no emulator on localhost resolves; without one it uses
        // plain S3 tagging. The account guard cannot hold then, so it applies to real accounts only.
        skipRequestingAccountId: true,
      }
    : { allowedAccountIds: env.allowedAccountIds };
  // The bindings pin the exact version they were generated from; widen it to the constraint.
  TerraformStack.of(scope).addOverride("terraform.required_providers.aws.version", AWS_PROVIDER_CONSTRAINT);
  // Every stack has this provider: the engine version every stack needs is said here once.
  TerraformStack.of(scope).addOverride("terraform.required_version", REQUIRED_ENGINE_VERSION);
  return new AwsProvider(scope, region ? `aws-${region}` : "aws", {
    region: region ?? env.region,
    ...(region ? { alias: region } : {}),
    defaultTags: [{ tags: { ...env.tags, ...extraTags } }],
    ...emulator,
  });
}

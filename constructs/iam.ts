/**
 * Every AWS service a platform role is made for. A role trusts one of them (trustedByService), and the
 * apply role may pass the platform's roles to these services only (iam:PassedToService): ECS tasks,
 * RDS enhanced monitoring, VPC flow logs, the EKS control plane, EKS nodes (EC2) and Lambda functions.
 */
export const ROLE_SERVICES = [
  "ecs-tasks.amazonaws.com",
  "monitoring.rds.amazonaws.com",
  "vpc-flow-logs.amazonaws.com",
  "eks.amazonaws.com",
  "ec2.amazonaws.com",
  "lambda.amazonaws.com",
] as const;
export type RoleService = (typeof ROLE_SERVICES)[number];

/** Trust policy (assume_role_policy) that lets one AWS service assume a role. */
export function trustedByService(service: RoleService): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}

/**
 * Key policy statement that hands a KMS key to the account's IAM policies, as AWS's default key
 * policy does; written out so review sees it.
 */
export function accountAdministersKey(accountId: string): Record<string, unknown> {
  return {
    Sid: "AccountAdministers",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${accountId}:root` },
    Action: "kms:*",
    Resource: "*",
  };
}

import type { PolicyRule } from "../rule";
import type { TfResource } from "../stack-config";

/** What each stateful type must set besides lifecycle.prevent_destroy; undefined when it has no own flag. */
const PROTECTED_TYPES: Record<string, ((r: TfResource) => string | undefined) | undefined> = {
  aws_s3_bucket: (r) => (r.config.force_destroy === true ? "force_destroy is true" : undefined),
  aws_dynamodb_table: (r) =>
    r.config.deletion_protection_enabled === true ? undefined : "deletion_protection_enabled is not true",
  aws_db_instance: (r) => (r.config.deletion_protection === true ? undefined : "deletion_protection is not true"),
  aws_rds_cluster: (r) => (r.config.deletion_protection === true ? undefined : "deletion_protection is not true"),
  aws_kms_key: undefined,
};

/**
 * Covers the stores of record: buckets, tables, databases, and KMS keys, whose deletion makes all data
 * under them unreadable. Left out on purpose: Kinesis streams and SQS queues (buffers with bounded
 * retention), ECR repositories (images rebuild from source), log groups (retention-bound).
 */
export const deletionProtection: PolicyRule = {
  id: "ACME-DEL-1",
  description:
    "Where the environment sets deletionProtection (prod, staging), S3 buckets, DynamoDB tables, RDS databases and KMS keys carry lifecycle prevent_destroy and their own deletion protection.",
  fix: "When env.deletionProtection is true set lifecycle: { preventDestroy: true } and the resource's own guard: deletionProtection (RDS), deletionProtectionEnabled (DynamoDB), forceDestroy false (S3), as PrivateBucket's preventDestroy and the module stacks do.",
  check(stack, context) {
    if (!context.deletionProtection) return [];
    return Object.entries(PROTECTED_TYPES).flatMap(([type, ownGuard]) =>
      stack.resources(type).flatMap((resource) => {
        const lifecycle = resource.config.lifecycle as { prevent_destroy?: unknown } | undefined;
        const problems = [
          lifecycle?.prevent_destroy === true ? undefined : "lifecycle.prevent_destroy is not true",
          ownGuard?.(resource),
        ].filter((p): p is string => p !== undefined);
        return problems.length > 0
          ? [
              {
                path: resource.path,
                message: `environment "${context.environment}" protects stateful resources, but ${problems.join(" and ")}`,
              },
            ]
          : [];
      }),
    );
  },
};

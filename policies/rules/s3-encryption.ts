import type { PolicyRule } from "../rule";
import { blocks, targetsBucket } from "../stack-config";

/**
 * SSE-S3 counts: S3 server access log delivery cannot write to SSE-KMS buckets, so the central log
 * bucket has to use it, and it is still encryption at rest.
 */
export const s3Encryption: PolicyRule = {
  id: "ACME-S3-1",
  description:
    "Every S3 bucket has default encryption (an aws_s3_bucket_server_side_encryption_configuration in its stack).",
  fix: "Create the bucket with PrivateBucket (constructs/private-bucket.ts), or add an S3BucketServerSideEncryptionConfigurationA for it with sseAlgorithm aws:kms (or AES256 where the writer cannot use KMS).",
  check(stack) {
    const configs = stack.resources("aws_s3_bucket_server_side_encryption_configuration");
    return stack.resources("aws_s3_bucket").flatMap((bucket) => {
      const mine = configs.filter((c) => targetsBucket(c.config.bucket, bucket));
      if (mine.length === 0) {
        return [
          {
            path: bucket.path,
            message: "bucket has no aws_s3_bucket_server_side_encryption_configuration in this stack",
          },
        ];
      }
      const algorithms = mine
        .flatMap((c) => blocks(c.config.rule))
        .flatMap((r) => blocks(r.apply_server_side_encryption_by_default));
      if (!algorithms.some((a) => typeof a.sse_algorithm === "string" && a.sse_algorithm !== "")) {
        return [{ path: bucket.path, message: "the bucket's encryption configuration sets no sse_algorithm" }];
      }
      return [];
    });
  },
};

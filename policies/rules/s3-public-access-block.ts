import type { PolicyRule } from "../rule";
import { targetsBucket } from "../stack-config";

const FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] as const;

export const s3PublicAccessBlock: PolicyRule = {
  id: "ACME-S3-2",
  description: "Every S3 bucket has a public access block with all four flags true.",
  fix: "Create the bucket with PrivateBucket, or add an S3BucketPublicAccessBlock for it with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
  check(stack) {
    const blocks = stack.resources("aws_s3_bucket_public_access_block");
    return stack.resources("aws_s3_bucket").flatMap((bucket) => {
      const mine = blocks.filter((b) => targetsBucket(b.config.bucket, bucket));
      if (mine.length === 0)
        return [{ path: bucket.path, message: "bucket has no aws_s3_bucket_public_access_block in this stack" }];
      const off = FLAGS.filter((flag) => !mine.some((b) => b.config[flag] === true));
      return off.length > 0
        ? [{ path: bucket.path, message: `the bucket's public access block does not set ${off.join(", ")} to true` }]
        : [];
    });
  },
};

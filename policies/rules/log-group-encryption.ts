import type { PolicyRule } from "../rule";

export const logGroupEncryption: PolicyRule = {
  id: "ACME-LOG-1",
  description: "Every CloudWatch log group is encrypted with a KMS key (kms_key_id).",
  fix: "Set kmsKeyId on the CloudwatchLogGroup to a key whose policy lets logs.<region>.amazonaws.com use it (the foundation key does).",
  check(stack) {
    return stack
      .resources("aws_cloudwatch_log_group")
      .filter((g) => typeof g.config.kms_key_id !== "string" || g.config.kms_key_id === "")
      .map((g) => ({ path: g.path, message: "log group has no kms_key_id" }));
  },
};

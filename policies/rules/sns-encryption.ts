import type { PolicyRule } from "../rule";

export const snsEncryption: PolicyRule = {
  id: "ACME-SNS-1",
  description: "Every SNS topic is encrypted with a KMS key (kms_master_key_id).",
  fix: "Set kmsMasterKeyId on the SnsTopic (the environment's key, as constructs/alerts.ts does) and let the publishing services use the key.",
  check(stack) {
    return stack
      .resources("aws_sns_topic")
      .filter((t) => !(typeof t.config.kms_master_key_id === "string" && t.config.kms_master_key_id !== ""))
      .map((t) => ({ path: t.path, message: "topic has no kms_master_key_id" }));
  },
};

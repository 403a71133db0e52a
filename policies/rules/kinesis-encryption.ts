import type { PolicyRule } from "../rule";

export const kinesisEncryption: PolicyRule = {
  id: "ACME-KIN-1",
  description: "Every Kinesis stream is encrypted with KMS (encryption_type KMS with a kms_key_id).",
  fix: 'Set encryptionType: "KMS" and kmsKeyId (the environment key, or alias/aws/kinesis) on the KinesisStream.',
  check(stack) {
    return stack
      .resources("aws_kinesis_stream")
      .filter(
        (s) =>
          s.config.encryption_type !== "KMS" || typeof s.config.kms_key_id !== "string" || s.config.kms_key_id === "",
      )
      .map((s) => ({ path: s.path, message: 'stream does not set encryption_type = "KMS" with a kms_key_id' }));
  },
};

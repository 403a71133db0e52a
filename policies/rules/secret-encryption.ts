import type { PolicyRule } from "../rule";

export const secretEncryption: PolicyRule = {
  id: "ACME-SEC-1",
  description:
    "Every Secrets Manager secret is encrypted with the environment's KMS key (kms_key_id), not the AWS managed key.",
  fix: "Declare the secret in the module's `secrets` (the platform creates it with the environment's key), or set kmsKeyId on the SecretsmanagerSecret.",
  check(stack) {
    return stack
      .resources("aws_secretsmanager_secret")
      .filter((s) => !(typeof s.config.kms_key_id === "string" && s.config.kms_key_id !== ""))
      .map((s) => ({ path: s.path, message: "secret has no kms_key_id" }));
  },
};

import type { PolicyRule } from "../rule";
import { blocks } from "../stack-config";

export const ecrEncryption: PolicyRule = {
  id: "ACME-ECR-1",
  description: "Every ECR repository declares its encryption (encryption_configuration with an encryption_type).",
  fix: 'Set encryptionConfiguration: [{ encryptionType: "KMS", kmsKey }] on the EcrRepository, as the foundation does.',
  check(stack) {
    return stack
      .resources("aws_ecr_repository")
      .filter(
        (r) =>
          !blocks(r.config.encryption_configuration).some(
            (c) => typeof c.encryption_type === "string" && c.encryption_type !== "",
          ),
      )
      .map((r) => ({ path: r.path, message: "repository has no encryption_configuration with an encryption_type" }));
  },
};

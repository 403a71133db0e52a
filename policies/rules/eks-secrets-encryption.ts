import type { PolicyRule } from "../rule";
import { blocks, strings } from "../stack-config";

export const eksSecretsEncryption: PolicyRule = {
  id: "ACME-EKS-1",
  description: "Every EKS cluster envelope-encrypts Kubernetes secrets with KMS (encryption_config for secrets).",
  fix: 'Set encryptionConfig: { resources: ["secrets"], provider: { keyArn } } on the EksCluster, as EksClusterWithIrsa does.',
  check(stack) {
    return stack
      .resources("aws_eks_cluster")
      .filter(
        (c) =>
          !blocks(c.config.encryption_config).some(
            (e) =>
              strings(e.resources).includes("secrets") &&
              blocks(e.provider).some((p) => typeof p.key_arn === "string" && p.key_arn !== ""),
          ),
      )
      .map((c) => ({ path: c.path, message: "cluster has no encryption_config for secrets with a provider key_arn" }));
  },
};

import type { PolicyRule } from "../rule";
import { blocks } from "../stack-config";

export const dynamodbEncryption: PolicyRule = {
  id: "ACME-DDB-1",
  description: "Every DynamoDB table enables server-side encryption with a KMS key (server_side_encryption.enabled).",
  fix: "Set serverSideEncryption: { enabled: true, kmsKeyArn } on the DynamodbTable (the environment's key is the foundation output kms_key_arn).",
  check(stack) {
    return stack
      .resources("aws_dynamodb_table")
      .filter((t) => !blocks(t.config.server_side_encryption).some((b) => b.enabled === true))
      .map((t) => ({ path: t.path, message: "table does not set server_side_encryption.enabled = true" }));
  },
};

import type { PolicyRule } from "../rule";

export const rdsEncryption: PolicyRule = {
  id: "ACME-RDS-1",
  description: "Every RDS instance and cluster encrypts its storage (storage_encrypted).",
  fix: "Set storageEncrypted: true and kmsKeyId on the DbInstance or RdsCluster; an existing unencrypted database must be restored from an encrypted snapshot copy.",
  check(stack) {
    return ["aws_db_instance", "aws_rds_cluster"]
      .flatMap((type) => stack.resources(type))
      .filter((db) => db.config.storage_encrypted !== true)
      .map((db) => ({ path: db.path, message: "database does not set storage_encrypted = true" }));
  },
};

import type { PolicyRule } from "../rule";

const on = (v: unknown) => v === true || v === "true";

export const redisEncryption: PolicyRule = {
  id: "ACME-REDIS-1",
  description:
    "Every ElastiCache replication group encrypts at rest with a KMS key and in transit, and requires AUTH (auth_token or user groups).",
  fix: "Use constructs/redis-cache.ts (RedisCache), or set atRestEncryptionEnabled with kmsKeyId, transitEncryptionEnabled, and an authToken read from a module secret.",
  check(stack) {
    return stack.resources("aws_elasticache_replication_group").flatMap((g) => {
      const found: { path: string; message: string }[] = [];
      if (
        !on(g.config.at_rest_encryption_enabled) ||
        typeof g.config.kms_key_id !== "string" ||
        g.config.kms_key_id === ""
      ) {
        found.push({ path: g.path, message: "replication group is not encrypted at rest with a kms_key_id" });
      }
      if (!on(g.config.transit_encryption_enabled))
        found.push({ path: g.path, message: "replication group does not enable transit_encryption_enabled" });
      const userGroups = g.config.user_group_ids;
      if (!g.config.auth_token && !(Array.isArray(userGroups) && userGroups.length > 0)) {
        found.push({
          path: g.path,
          message: "replication group admits clients without AUTH (no auth_token or user_group_ids)",
        });
      }
      return found;
    });
  },
};

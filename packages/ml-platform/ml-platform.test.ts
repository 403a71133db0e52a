import { moduleNamed } from "..";
import { Testing } from "cdktf";

import { ModuleStack } from "../../stacks/module-stack";
import { env, onlyResource, policy, resourcesOf, synthJson } from "../../__tests__/helpers";

const mlPlatform = moduleNamed("ml-platform");

function synth(name: string, settings: unknown = env(name).modules["ml-platform"].settings) {
  return synthJson(
    new ModuleStack(Testing.app(), {
      env: env(name),
      module: mlPlatform,
      settings: mlPlatform.settings.parse(settings),
    }),
  );
}

describe("ml-platform", () => {
  const prod = synth("prod");
  const dev = synth("dev");

  test("Redis: private subnets, encrypted at rest with the environment's key and in transit, ACL users instead of a shared token", () => {
    const group = onlyResource(prod, "aws_elasticache_replication_group");
    expect(group).toMatchObject({
      replication_group_id: "acme-prod-ml-platform-features",
      engine: "redis",
      engine_version: "7.1",
      node_type: "cache.r7g.large",
      num_cache_clusters: 3,
      port: 6379,
      at_rest_encryption_enabled: "true",
      kms_key_id: expect.stringMatching(/outputs\.kms_key_arn\}$/),
      transit_encryption_enabled: true,
      transit_encryption_mode: "required",
      user_group_ids: [
        expect.stringMatching(/^\$\{aws_elasticache_user_group\.cache_users_[0-9A-F]+\.user_group_id\}$/),
      ],
      snapshot_retention_limit: 14,
    });
    expect(group).not.toHaveProperty("auth_token");
    expect(String(onlyResource(prod, "aws_elasticache_subnet_group").subnet_ids)).toContain("private_subnet_ids");
  });

  test("the cache user's password: drawn as an ephemeral resource, handed only to write-only arguments, in no output", () => {
    const draws = (prod as { ephemeral?: Record<string, Record<string, unknown>> }).ephemeral
      ?.aws_secretsmanager_random_password;
    expect(Object.values(draws ?? {})).toEqual([
      { password_length: 64, exclude_punctuation: true, include_space: false },
    ]);
    const draw = `ephemeral.aws_secretsmanager_random_password.${Object.keys(draws!)[0]}.random_password`;
    const users = Object.values(resourcesOf(prod, "aws_elasticache_user"));
    expect(users).toEqual(
      expect.arrayContaining([
        // The user name every connection without one gets: switched off.
        expect.objectContaining({ user_name: "default", access_string: "off -@all", no_password_required: true }),
        expect.objectContaining({
          user_id: "acme-prod-ml-platform-features-ml-platform",
          user_name: "ml-platform",
          access_string: "on ~* +@all -@dangerous",
          passwords_wo: `\${${draw}}`,
          passwords_wo_version: 1,
        }),
      ]),
    );
    expect(users).toHaveLength(2);
    expect(JSON.stringify(users)).not.toContain('"passwords"');
    expect(onlyResource(prod, "aws_elasticache_user_group")).toMatchObject({
      user_group_id: "acme-prod-ml-platform-features",
      engine: "redis",
      user_ids: [expect.stringContaining("cache_default-user_"), expect.stringContaining("cache_user_")],
    });
    // The same draw reaches the redis-auth secret in the same run, as its whole value.
    expect(onlyResource(prod, "aws_secretsmanager_secret_version")).toEqual({
      secret_id: expect.stringMatching(/aws_secretsmanager_secret\.secret-redis-auth_secret_[0-9A-F]+\.id/),
      secret_string_wo: `\${jsonencode({ REDIS_AUTH_TOKEN = ${draw} })}`,
      secret_string_wo_version: 1,
    });
    expect(mlPlatform.secrets?.[0]).toMatchObject({ name: "redis-auth", writtenByStack: true });
    expect(Object.keys(prod.output ?? {})).not.toContain("cache_auth_token");
    expect(JSON.stringify(prod.output)).not.toMatch(/random_password|sensitive/);
    expect(prod.data?.aws_secretsmanager_random_password).toBeUndefined();
  });

  test("raising cache.passwordVersion rotates: the user and the secret get the new version together", () => {
    const settings = { ...env("prod").modules["ml-platform"].settings } as { cache?: object };
    const rotated = synth("prod", { ...settings, cache: { ...settings.cache, passwordVersion: 2 } });
    const user = Object.values(resourcesOf(rotated, "aws_elasticache_user")).find((u) => u.user_name === "ml-platform");
    expect(user?.passwords_wo_version).toBe(2);
    expect(onlyResource(rotated, "aws_secretsmanager_secret_version").secret_string_wo_version).toBe(2);
    expect(() => synth("prod", { ...settings, cache: { ...settings.cache, passwordVersion: 0 } })).toThrow(
      /passwordVersion/,
    );
  });

  test("failover and Multi-AZ follow the node count: on in prod (3 nodes), off with one node (dev)", () => {
    expect(onlyResource(prod, "aws_elasticache_replication_group")).toMatchObject({
      automatic_failover_enabled: true,
      multi_az_enabled: true,
    });
    expect(onlyResource(dev, "aws_elasticache_replication_group")).toMatchObject({
      num_cache_clusters: 1,
      automatic_failover_enabled: false,
      multi_az_enabled: false,
    });
    expect(synth("staging")).toMatchObject({ resource: { aws_elasticache_replication_group: expect.anything() } });
    expect(onlyResource(synth("staging"), "aws_elasticache_replication_group")).toMatchObject({
      num_cache_clusters: 2,
      automatic_failover_enabled: true,
    });
  });

  test("reachable on 6379 from the cluster's security group only (SG to SG); with no cluster, from nothing", () => {
    const rules = Object.values(resourcesOf(prod, "aws_vpc_security_group_ingress_rule"));
    expect(rules).toEqual([
      expect.objectContaining({
        referenced_security_group_id: expect.stringMatching(/outputs\.eks_cluster_security_group_id\}$/),
        from_port: 6379,
        to_port: 6379,
        ip_protocol: "tcp",
      }),
    ]);
    expect(rules[0]).not.toHaveProperty("cidr_ipv4");
    expect(resourcesOf(dev, "aws_vpc_security_group_ingress_rule")).toEqual({});
  });

  test("slow log to an encrypted log group with the environment's retention; alarms on CPU, memory and evictions", () => {
    const group = onlyResource(prod, "aws_elasticache_replication_group") as {
      log_delivery_configuration: Record<string, string>[];
    };
    expect(group.log_delivery_configuration).toEqual([
      {
        destination: expect.stringContaining("aws_cloudwatch_log_group.cache_slow-log_"),
        destination_type: "cloudwatch-logs",
        log_format: "json",
        log_type: "slow-log",
      },
    ]);
    const logs = Object.values(resourcesOf(prod, "aws_cloudwatch_log_group")).find((g) =>
      String(g.name).endsWith("/slow-log"),
    );
    expect(logs).toMatchObject({ retention_in_days: 365, kms_key_id: expect.stringMatching(/kms_key_arn/) });
    const alarms = Object.values(resourcesOf(prod, "aws_cloudwatch_metric_alarm")).map((a) => [
      a.metric_name,
      a.namespace,
      (a.dimensions as Record<string, string>).ReplicationGroupId,
    ]);
    expect(alarms.sort()).toEqual([
      ["DatabaseMemoryUsagePercentage", "AWS/ElastiCache", "acme-prod-ml-platform-features"],
      ["EngineCPUUtilization", "AWS/ElastiCache", "acme-prod-ml-platform-features"],
      ["Evictions", "AWS/ElastiCache", "acme-prod-ml-platform-features"],
    ]);
  });

  test("the model server reads models and its cache password by reference, and may reach the cache's port", () => {
    const config = onlyResource(prod, "kubernetes_config_map_v1") as { data: Record<string, string> };
    expect(config.data).toMatchObject({
      REDIS_PORT: "6379",
      REDIS_TLS: "true",
      REDIS_USER: "ml-platform",
      REDIS_AUTH_SECRET_ARN: expect.stringMatching(/aws_secretsmanager_secret\.secret-redis-auth_secret_.*\.arn/),
    });
    expect(JSON.stringify(config.data)).not.toContain("REDIS_AUTH_TOKEN");
    const irsa = Object.values(resourcesOf(prod, "aws_iam_role_policy")).find((p) => p.name === "ml-platform");
    expect(policy(irsa?.policy).Statement.map((s) => s.Sid)).toEqual([
      "ReadModels",
      "ListModels",
      "DecryptModels",
      "ReadCacheAuth",
    ]);
    const secretPolicy = onlyResource(prod, "aws_secretsmanager_secret_policy");
    expect(policy(secretPolicy.policy).Statement[0].Principal).toEqual({
      AWS: [expect.stringMatching(/aws_iam_role\.serving_irsa-role_.*\.arn/)],
    });
    const allow = Object.values(resourcesOf(prod, "kubernetes_network_policy_v1")).find(
      (p) => (p as { metadata: { name: string } }).metadata.name === "ml-platform-allow",
    );
    expect(JSON.stringify(allow)).toContain('"port":"6379"');
  });

  test("models bucket: private, KMS, versioned, replaced versions kept for rollback", () => {
    const lifecycle = onlyResource(prod, "aws_s3_bucket_lifecycle_configuration") as {
      rule: { noncurrent_version_expiration?: { noncurrent_days: number }[] }[];
    };
    expect(lifecycle.rule.map((r) => r.noncurrent_version_expiration?.[0].noncurrent_days)).toEqual([180]);
    expect(onlyResource(prod, "aws_s3_bucket_versioning")).toMatchObject({
      versioning_configuration: { status: "Enabled" },
    });
    expect(onlyResource(prod, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test("the cache can be switched off by configuration; its secret stays", () => {
    const off = synth("dev", { cache: { enabled: false } });
    expect(resourcesOf(off, "aws_elasticache_replication_group")).toEqual({});
    expect(Object.keys(resourcesOf(off, "aws_secretsmanager_secret"))).toHaveLength(1);
  });

  test("bad settings are refused with their path", () => {
    expect(mlPlatform.settings.safeParse({ cache: { nodeType: "m5.large" } }).error?.issues[0]).toMatchObject({
      path: ["cache", "nodeType"],
      message: "must be an ElastiCache node type such as cache.t4g.small",
    });
    expect(mlPlatform.settings.safeParse({ cache: { nodes: 0 } }).error?.issues[0].path).toEqual(["cache", "nodes"]);
  });
});

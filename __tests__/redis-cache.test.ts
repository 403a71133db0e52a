import { REDIS_USER_ACCESS, RedisCache, type RedisCacheProps } from "../constructs/redis-cache";
import { awsTestStack, onlyResource, resourcesOf, type StackJson, synthJson } from "./helpers";

const BASE: RedisCacheProps = {
  name: "acme-x-cache",
  description: "test cache",
  vpcId: "vpc-1",
  subnetIds: ["subnet-a", "subnet-b"],
  clientSecurityGroupIds: [],
  kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/k",
  nodeType: "cache.t4g.small",
  engineVersion: "7.1",
  nodes: 1,
  snapshotRetentionDays: 3,
  logRetentionDays: 30,
  userName: "app",
};

function cache(props: Partial<RedisCacheProps> = {}): { json: StackJson; construct: RedisCache } {
  const stack = awsTestStack();
  const construct = new RedisCache(stack, "cache", { ...BASE, ...props });
  return { json: synthJson(stack) as StackJson, construct };
}

const ephemeralOf = (json: StackJson) =>
  (json as { ephemeral?: Record<string, Record<string, unknown>> }).ephemeral?.aws_secretsmanager_random_password ?? {};

describe("RedisCache", () => {
  const { json, construct } = cache();

  test("defaults: one node without failover, TLS required, at rest with the given key, slow log, no alarms", () => {
    expect(onlyResource(json, "aws_elasticache_replication_group")).toEqual(
      expect.objectContaining({
        replication_group_id: "acme-x-cache",
        description: "test cache",
        engine: "redis",
        engine_version: "7.1",
        node_type: "cache.t4g.small",
        num_cache_clusters: 1,
        port: 6379,
        at_rest_encryption_enabled: "true",
        kms_key_id: BASE.kmsKeyArn,
        transit_encryption_enabled: true,
        transit_encryption_mode: "required",
        automatic_failover_enabled: false,
        multi_az_enabled: false,
        snapshot_retention_limit: 3,
        auto_minor_version_upgrade: "true",
      }),
    );
    expect(onlyResource(json, "aws_elasticache_subnet_group")).toMatchObject({
      name: "acme-x-cache",
      subnet_ids: ["subnet-a", "subnet-b"],
    });
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toMatchObject({
      name: "/aws/elasticache/acme-x-cache/slow-log",
      retention_in_days: 30,
      kms_key_id: BASE.kmsKeyArn,
    });
    expect(resourcesOf(json, "aws_cloudwatch_metric_alarm")).toEqual({});
    // No client group given: nothing may connect.
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).toEqual({});
  });

  test("users: default switched off, the named user with the draw as a write-only password at version 1", () => {
    const draws = ephemeralOf(json);
    expect(Object.values(draws)).toEqual([{ password_length: 64, exclude_punctuation: true, include_space: false }]);
    expect(construct.password).toBe(
      `ephemeral.aws_secretsmanager_random_password.${Object.keys(draws)[0]}.random_password`,
    );
    expect(construct.passwordVersion).toBe(1);
    const users = Object.values(resourcesOf(json, "aws_elasticache_user")).sort((a, b) =>
      String(a.user_id).localeCompare(String(b.user_id)),
    );
    expect(users).toEqual([
      {
        user_id: "acme-x-cache-app",
        user_name: "app",
        engine: "redis",
        access_string: REDIS_USER_ACCESS,
        passwords_wo: `\${${construct.password}}`,
        passwords_wo_version: 1,
      },
      {
        user_id: "acme-x-cache-default",
        user_name: "default",
        engine: "redis",
        access_string: "off -@all",
        no_password_required: true,
      },
    ]);
    expect(REDIS_USER_ACCESS).toBe("on ~* +@all -@dangerous");
    expect(onlyResource(json, "aws_elasticache_user_group")).toEqual({
      user_group_id: "acme-x-cache",
      engine: "redis",
      user_ids: [
        expect.stringMatching(/^\$\{aws_elasticache_user\.cache_default-user_[0-9A-F]+\.user_id\}$/),
        expect.stringMatching(/^\$\{aws_elasticache_user\.cache_user_[0-9A-F]+\.user_id\}$/),
      ],
    });
    expect(onlyResource(json, "aws_elasticache_replication_group").user_group_ids).toEqual([
      expect.stringMatching(/^\$\{aws_elasticache_user_group\.cache_users_[0-9A-F]+\.user_group_id\}$/),
    ]);
  });

  test("props: nodes, clients, alarms and the password version", () => {
    const { json: wide } = cache({
      nodes: 3,
      clientSecurityGroupIds: ["sg-a", "sg-b"],
      alarmTopicArn: "arn:aws:sns:eu-west-1:111111111111:alerts",
      passwordVersion: 4,
    });
    expect(onlyResource(wide, "aws_elasticache_replication_group")).toMatchObject({
      num_cache_clusters: 3,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
    });
    expect(
      Object.values(resourcesOf(wide, "aws_vpc_security_group_ingress_rule")).map((r) => [
        r.referenced_security_group_id,
        r.from_port,
        r.to_port,
        r.ip_protocol,
      ]),
    ).toEqual([
      ["sg-a", 6379, 6379, "tcp"],
      ["sg-b", 6379, 6379, "tcp"],
    ]);
    expect(
      Object.values(resourcesOf(wide, "aws_cloudwatch_metric_alarm"))
        .map((a) => [a.alarm_name, a.metric_name, a.threshold, a.alarm_actions])
        .sort(),
    ).toEqual([
      ["acme-x-cache-engine-cpu-high", "EngineCPUUtilization", 80, ["arn:aws:sns:eu-west-1:111111111111:alerts"]],
      ["acme-x-cache-evictions", "Evictions", 0, ["arn:aws:sns:eu-west-1:111111111111:alerts"]],
      ["acme-x-cache-memory-high", "DatabaseMemoryUsagePercentage", 85, ["arn:aws:sns:eu-west-1:111111111111:alerts"]],
    ]);
    const user = Object.values(resourcesOf(wide, "aws_elasticache_user")).find((u) => u.user_name === "app");
    expect(user?.passwords_wo_version).toBe(4);
  });

  test("a password version that is not a whole number from 1 is refused, naming the cache", () => {
    for (const bad of [0, -1, 1.5]) {
      expect(() => cache({ passwordVersion: bad })).toThrow(
        `acme-x-cache: passwordVersion must be a whole number from 1 (was ${bad})`,
      );
    }
  });
});

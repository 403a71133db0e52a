/**
 * What the e2e checks of ml-platform once it is applied in `local`: the feature cache, its ACL users
 * and the secret holding the cache user's password, read back from the emulator with the AWS SDK.
 */
import {
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  DescribeUserGroupsCommand,
  DescribeUsersCommand,
  ElastiCacheClient,
} from "@aws-sdk/client-elasticache";
import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import type { sdkConfig } from "../../scripts/aws";

type SdkConfig = ReturnType<typeof sdkConfig>;

/**
 * `passwordsOf(userId)`: the passwords the emulator holds for an ElastiCache user, which no AWS API
 * returns (the e2e reads them from the emulator's own data).
 */
export async function expectMlPlatformApplied(
  aws: SdkConfig,
  kmsKeyArn: string,
  outputs: Record<string, string>,
  passwordsOf: (userId: string) => Promise<string[]>,
): Promise<void> {
  const elasticache = new ElastiCacheClient(aws);
  const group = (
    await elasticache.send(
      new DescribeReplicationGroupsCommand({ ReplicationGroupId: "acme-local-ml-platform-features" }),
    )
  ).ReplicationGroups?.[0];
  expect(group).toMatchObject({
    Status: "available",
    AtRestEncryptionEnabled: true,
    TransitEncryptionEnabled: true,
    TransitEncryptionMode: "required",
    AuthTokenEnabled: false,
    UserGroupIds: ["acme-local-ml-platform-features"],
    KmsKeyId: kmsKeyArn,
    MemberClusters: ["acme-local-ml-platform-features-001"],
    AutomaticFailover: "disabled",
    SnapshotRetentionLimit: 7,
  });
  expect(group?.NodeGroups?.[0]?.PrimaryEndpoint?.Address).toBe(outputs.cache_endpoint);
  expect(group?.LogDeliveryConfigurations?.[0]).toMatchObject({
    LogType: "slow-log",
    DestinationType: "cloudwatch-logs",
  });
  const node = (
    await elasticache.send(new DescribeCacheClustersCommand({ CacheClusterId: "acme-local-ml-platform-features-001" }))
  ).CacheClusters?.[0];
  expect(node).toMatchObject({
    Engine: "redis",
    CacheNodeType: "cache.t4g.small",
    CacheSubnetGroupName: "acme-local-ml-platform-features",
  });

  // The cache's group admits nobody in local: there is no cluster whose pods could connect.
  const groups =
    (
      await new EC2Client(aws).send(
        new DescribeSecurityGroupsCommand({
          Filters: [{ Name: "group-name", Values: ["acme-local-ml-platform-features"] }],
        }),
      )
    ).SecurityGroups ?? [];
  expect(groups.map((g) => g.IpPermissions)).toEqual([[]]);

  // Access by ACL users: the group's default user is off, the model server's user has one password.
  const users = (
    await elasticache.send(new DescribeUserGroupsCommand({ UserGroupId: "acme-local-ml-platform-features" }))
  ).UserGroups?.[0];
  expect(users).toMatchObject({
    Status: "active",
    Engine: "redis",
    ReplicationGroups: ["acme-local-ml-platform-features"],
  });
  const user = async (id: string) => (await elasticache.send(new DescribeUsersCommand({ UserId: id }))).Users?.[0];
  const userIds = ["acme-local-ml-platform-features-default", "acme-local-ml-platform-features-ml-platform"];
  expect([...(users?.UserIds ?? [])].sort()).toEqual(userIds);
  expect(await user(userIds[0])).toMatchObject({ UserName: "default", AccessString: "off -@all" });
  expect(await user(userIds[1])).toMatchObject({
    UserName: "ml-platform",
    AccessString: "on ~* +@all -@dangerous",
    Authentication: { Type: "password", PasswordCount: 1 },
  });

  // The password drawn at apply reached the secret (KMS-encrypted, one version) and the cache user in
  // the same run, through write-only arguments: the two hold the same value.
  const secrets = new SecretsManagerClient(aws);
  const id = "acme-local/ml-platform/redis-auth";
  expect((await secrets.send(new DescribeSecretCommand({ SecretId: id }))).KmsKeyId).toBe(kmsKeyArn);
  expect((await secrets.send(new ListSecretVersionIdsCommand({ SecretId: id }))).Versions).toHaveLength(1);
  const token = JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: id }))).SecretString!)
    .REDIS_AUTH_TOKEN as string;
  expect(token).toMatch(/^[A-Za-z0-9]{64}$/);
  expect(await passwordsOf(userIds[1])).toEqual([token]);
  expect(Object.keys(outputs)).not.toContain("cache_auth_token");
}

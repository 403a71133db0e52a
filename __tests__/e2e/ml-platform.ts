/**
 * What the e2e checks of ml-platform once it is applied in `local`: the feature cache and its AUTH
 * token secret, read back from the emulator with the AWS SDK.
 */
import {
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
} from "@aws-sdk/client-elasticache";
import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { sdkConfig } from "../../scripts/aws";

type SdkConfig = ReturnType<typeof sdkConfig>;

export async function expectMlPlatformApplied(
  aws: SdkConfig,
  kmsKeyArn: string,
  outputs: Record<string, string>,
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
    AuthTokenEnabled: true,
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

  // The token the cache was created with (drawn at apply, kept in the stack's state as a sensitive
  // output) is the one npm run secrets-fill copied into the secret, which is KMS-encrypted.
  const secrets = new SecretsManagerClient(aws);
  const id = "acme-local/ml-platform/redis-auth";
  expect((await secrets.send(new DescribeSecretCommand({ SecretId: id }))).KmsKeyId).toBe(kmsKeyArn);
  const token = JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: id }))).SecretString!)
    .REDIS_AUTH_TOKEN as string;
  expect(token).toMatch(/^[A-Za-z0-9]{64}$/);
  expect(token).toBe(outputs.cache_auth_token);
}

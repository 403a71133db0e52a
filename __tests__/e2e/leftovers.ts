/**
 * Everything the stacks can create, listed from the emulator with the AWS SDK, so the e2e can say
 * exactly what a destroy left behind. KMS keys cannot be deleted at once: a destroyed key is one
 * pending deletion, so only keys in any other state count. AWS managed keys (aliased `alias/aws/*`,
 * created by a service on first use: moto creates `aws/dynamodb` for an encrypted table and marks it
 * a customer key) are not the stacks' and do not count.
 */
import { ACMClient, ListCertificatesCommand } from "@aws-sdk/client-acm";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  CloudFrontClient,
  ListDistributionsCommand,
  ListOriginAccessControlsCommand,
} from "@aws-sdk/client-cloudfront";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeAddressesCommand,
  DescribeNatGatewaysCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { DescribeRepositoriesCommand, ECRClient } from "@aws-sdk/client-ecr";
import {
  DescribeCacheSubnetGroupsCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
} from "@aws-sdk/client-elasticache";
import { DescribeClustersCommand, ECSClient, ListClustersCommand } from "@aws-sdk/client-ecs";
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { IAMClient, ListOpenIDConnectProvidersCommand, ListRolesCommand } from "@aws-sdk/client-iam";
import { KafkaClient, ListClustersV2Command } from "@aws-sdk/client-kafka";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { KinesisClient, ListStreamsCommand } from "@aws-sdk/client-kinesis";
import { DescribeKeyCommand, KMSClient, ListAliasesCommand, ListKeysCommand } from "@aws-sdk/client-kms";
import { DescribeDBInstancesCommand, DescribeDBParameterGroupsCommand, RDSClient } from "@aws-sdk/client-rds";
import { ListHostedZonesCommand, Route53Client } from "@aws-sdk/client-route-53";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";

import type { sdkConfig } from "../../scripts/aws";

type SdkConfig = ReturnType<typeof sdkConfig>;

/** Resources of every kind the platform creates that still exist, as `kind: name` lines. */
export async function leftovers(aws: SdkConfig): Promise<string[]> {
  const ec2 = new EC2Client(aws);
  const kms = new KMSClient(aws);
  const found: string[] = [];
  const add = (kind: string, names: (string | undefined)[]) => names.forEach((n) => found.push(`${kind}: ${n}`));

  add(
    "s3 bucket",
    ((await new S3Client(aws).send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name),
  );
  add("dynamodb table", (await new DynamoDBClient(aws).send(new ListTablesCommand({}))).TableNames ?? []);
  add("sqs queue", (await new SQSClient(aws).send(new ListQueuesCommand({}))).QueueUrls ?? []);
  // The Kinesis client defaults to HTTP/2, which the emulator does not speak.
  add(
    "kinesis stream",
    (await new KinesisClient({ ...aws, requestHandler: new NodeHttpHandler() }).send(new ListStreamsCommand({})))
      .StreamNames ?? [],
  );
  add(
    "ecr repository",
    ((await new ECRClient(aws).send(new DescribeRepositoriesCommand({}))).repositories ?? []).map(
      (r) => r.repositoryName,
    ),
  );
  const tagged = [{ Name: "tag:Project", Values: ["acme"] }];
  add(
    "vpc",
    ((await ec2.send(new DescribeVpcsCommand({ Filters: tagged }))).Vpcs ?? []).map((v) => v.VpcId),
  );
  add(
    "elastic ip",
    ((await ec2.send(new DescribeAddressesCommand({ Filters: tagged }))).Addresses ?? []).map((a) => a.AllocationId),
  );
  const nats = (await ec2.send(new DescribeNatGatewaysCommand({ Filter: tagged }))).NatGateways ?? [];
  add(
    "nat gateway",
    nats.filter((n) => n.State !== "deleted").map((n) => n.NatGatewayId),
  );
  const endpoints = (await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints ?? [];
  add(
    "vpc endpoint",
    endpoints.filter((e) => e.State?.toLowerCase() !== "deleted").map((e) => `${e.ServiceName} ${e.VpcEndpointId}`),
  );
  add(
    "security group",
    ((await ec2.send(new DescribeSecurityGroupsCommand({ Filters: tagged }))).SecurityGroups ?? []).map(
      (g) => g.GroupName,
    ),
  );
  const rds = new RDSClient(aws);
  add(
    "rds instance",
    ((await rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []).map((d) => d.DBInstanceIdentifier),
  );
  const parameterGroups = (await rds.send(new DescribeDBParameterGroupsCommand({}))).DBParameterGroups ?? [];
  add(
    "rds parameter group",
    parameterGroups.filter((g) => !g.DBParameterGroupName?.startsWith("default.")).map((g) => g.DBParameterGroupName),
  );
  // A deleted ECS cluster stays visible as INACTIVE for a while (AWS and moto alike); only others count.
  const ecs = new ECSClient(aws);
  const clusterArns = (await ecs.send(new ListClustersCommand({}))).clusterArns ?? [];
  const clusters =
    clusterArns.length > 0
      ? ((await ecs.send(new DescribeClustersCommand({ clusters: clusterArns }))).clusters ?? [])
      : [];
  add(
    "ecs cluster",
    clusters.filter((c) => c.status !== "INACTIVE").map((c) => c.clusterName),
  );
  add(
    "load balancer",
    ((await new ElasticLoadBalancingV2Client(aws).send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).map(
      (l) => l.LoadBalancerName,
    ),
  );
  add(
    "kafka cluster",
    ((await new KafkaClient(aws).send(new ListClustersV2Command({}))).ClusterInfoList ?? []).map((c) => c.ClusterName),
  );
  add(
    "lambda function",
    ((await new LambdaClient(aws).send(new ListFunctionsCommand({}))).Functions ?? []).map((f) => f.FunctionName),
  );
  add(
    "acm certificate",
    ((await new ACMClient(aws).send(new ListCertificatesCommand({}))).CertificateSummaryList ?? []).map(
      (c) => c.DomainName,
    ),
  );
  add(
    "iam role",
    ((await new IAMClient(aws).send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName),
  );
  add(
    "iam oidc provider",
    ((await new IAMClient(aws).send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? []).map(
      (p) => p.Arn,
    ),
  );
  add(
    "log group",
    ((await new CloudWatchLogsClient(aws).send(new DescribeLogGroupsCommand({}))).logGroups ?? []).map(
      (g) => g.logGroupName,
    ),
  );
  add(
    "hosted zone",
    ((await new Route53Client(aws).send(new ListHostedZonesCommand({}))).HostedZones ?? []).map((z) => z.Name),
  );
  const elasticache = new ElastiCacheClient(aws);
  add(
    "elasticache replication group",
    ((await elasticache.send(new DescribeReplicationGroupsCommand({}))).ReplicationGroups ?? []).map(
      (g) => g.ReplicationGroupId,
    ),
  );
  const subnetGroups = (await elasticache.send(new DescribeCacheSubnetGroupsCommand({}))).CacheSubnetGroups ?? [];
  add(
    "elasticache subnet group",
    subnetGroups.filter((g) => g.CacheSubnetGroupName !== "default").map((g) => g.CacheSubnetGroupName),
  );
  const cloudfront = new CloudFrontClient(aws);
  add(
    "cloudfront distribution",
    ((await cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items ?? []).map(
      (d) => `${d.Id} ${d.Aliases?.Items?.join(",")}`,
    ),
  );
  add(
    "cloudfront origin access control",
    ((await cloudfront.send(new ListOriginAccessControlsCommand({}))).OriginAccessControlList?.Items ?? []).map(
      (o) => o.Name,
    ),
  );
  add(
    "secret",
    ((await new SecretsManagerClient(aws).send(new ListSecretsCommand({}))).SecretList ?? []).map((x) => x.Name),
  );
  add(
    "sns topic",
    ((await new SNSClient(aws).send(new ListTopicsCommand({}))).Topics ?? []).map((t) => t.TopicArn),
  );
  add(
    "cloudwatch alarm",
    ((await new CloudWatchClient(aws).send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).map((a) => a.AlarmName),
  );
  const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases ?? [];
  const awsManaged = new Set(aliases.filter((a) => a.AliasName?.startsWith("alias/aws/")).map((a) => a.TargetKeyId));
  add(
    "kms alias",
    aliases.filter((a) => !a.AliasName?.startsWith("alias/aws/")).map((a) => a.AliasName),
  );
  for (const key of (await kms.send(new ListKeysCommand({}))).Keys ?? []) {
    if (awsManaged.has(key.KeyId)) continue;
    const meta = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata;
    if (meta?.KeyManager === "CUSTOMER" && meta.KeyState !== "PendingDeletion")
      found.push(`kms key: ${key.KeyId} (${meta.KeyState})`);
  }
  return found;
}

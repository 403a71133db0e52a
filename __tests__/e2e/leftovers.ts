/**
 * Everything the stacks can create, listed from the emulator with the AWS SDK, so the e2e can say
 * exactly what a destroy left behind. KMS keys cannot be deleted at once: a destroyed key is one
 * pending deletion, so only keys in any other state count. AWS managed keys (aliased `alias/aws/*`,
 * created by a service on first use: moto creates `aws/dynamodb` for an encrypted table and marks it
 * a customer key) are not the stacks' and do not count. Against an emulator, only the services it
 * serves are asked (environments/emulators.ts): the others hold nothing and do not answer.
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

import { type AwsService, type EmulatorName, unservedBy } from "../../environments/emulators";
import type { sdkConfig } from "../../scripts/aws";

type SdkConfig = ReturnType<typeof sdkConfig>;

/** Resources of every kind the platform creates that still exist, as `kind: name` lines. */
export async function leftovers(aws: SdkConfig, emulator?: EmulatorName): Promise<string[]> {
  const ec2 = new EC2Client(aws);
  const kms = new KMSClient(aws);
  const iam = new IAMClient(aws);
  const rds = new RDSClient(aws);
  const elasticache = new ElastiCacheClient(aws);
  const cloudfront = new CloudFrontClient(aws);
  const tagged = [{ Name: "tag:Project", Values: ["acme"] }];
  type Listing = [service: AwsService, kind: string, names: () => Promise<(string | undefined)[]>];
  const listings: Listing[] = [
    [
      "s3",
      "s3 bucket",
      async () => ((await new S3Client(aws).send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name),
    ],
    [
      "dynamodb",
      "dynamodb table",
      async () => (await new DynamoDBClient(aws).send(new ListTablesCommand({}))).TableNames ?? [],
    ],
    ["sqs", "sqs queue", async () => (await new SQSClient(aws).send(new ListQueuesCommand({}))).QueueUrls ?? []],
    // The Kinesis client defaults to HTTP/2, which the emulator does not speak.
    [
      "kinesis",
      "kinesis stream",
      async () =>
        (await new KinesisClient({ ...aws, requestHandler: new NodeHttpHandler() }).send(new ListStreamsCommand({})))
          .StreamNames ?? [],
    ],
    [
      "ecr",
      "ecr repository",
      async () =>
        ((await new ECRClient(aws).send(new DescribeRepositoriesCommand({}))).repositories ?? []).map(
          (r) => r.repositoryName,
        ),
    ],
    [
      "ec2",
      "vpc",
      async () => ((await ec2.send(new DescribeVpcsCommand({ Filters: tagged }))).Vpcs ?? []).map((v) => v.VpcId),
    ],
    [
      "ec2",
      "elastic ip",
      async () =>
        ((await ec2.send(new DescribeAddressesCommand({ Filters: tagged }))).Addresses ?? []).map(
          (a) => a.AllocationId,
        ),
    ],
    [
      "ec2",
      "nat gateway",
      async () =>
        ((await ec2.send(new DescribeNatGatewaysCommand({ Filter: tagged }))).NatGateways ?? [])
          .filter((n) => n.State !== "deleted")
          .map((n) => n.NatGatewayId),
    ],
    [
      "ec2",
      "vpc endpoint",
      async () =>
        ((await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints ?? [])
          .filter((e) => e.State?.toLowerCase() !== "deleted")
          .map((e) => `${e.ServiceName} ${e.VpcEndpointId}`),
    ],
    [
      "ec2",
      "security group",
      async () =>
        ((await ec2.send(new DescribeSecurityGroupsCommand({ Filters: tagged }))).SecurityGroups ?? []).map(
          (g) => g.GroupName,
        ),
    ],
    [
      "rds",
      "rds instance",
      async () =>
        ((await rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []).map((d) => d.DBInstanceIdentifier),
    ],
    [
      "rds",
      "rds parameter group",
      async () =>
        ((await rds.send(new DescribeDBParameterGroupsCommand({}))).DBParameterGroups ?? [])
          .filter((g) => !g.DBParameterGroupName?.startsWith("default."))
          .map((g) => g.DBParameterGroupName),
    ],
    // A deleted ECS cluster stays visible as INACTIVE for a while (AWS and moto alike); only others count.
    [
      "ecs",
      "ecs cluster",
      async () => {
        const ecs = new ECSClient(aws);
        const arns = (await ecs.send(new ListClustersCommand({}))).clusterArns ?? [];
        const clusters =
          arns.length > 0 ? ((await ecs.send(new DescribeClustersCommand({ clusters: arns }))).clusters ?? []) : [];
        return clusters.filter((c) => c.status !== "INACTIVE").map((c) => c.clusterName);
      },
    ],
    [
      "elbv2",
      "load balancer",
      async () =>
        (
          (await new ElasticLoadBalancingV2Client(aws).send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []
        ).map((l) => l.LoadBalancerName),
    ],
    [
      "kafka",
      "kafka cluster",
      async () =>
        ((await new KafkaClient(aws).send(new ListClustersV2Command({}))).ClusterInfoList ?? []).map(
          (c) => c.ClusterName,
        ),
    ],
    [
      "lambda",
      "lambda function",
      async () =>
        ((await new LambdaClient(aws).send(new ListFunctionsCommand({}))).Functions ?? []).map((f) => f.FunctionName),
    ],
    [
      "acm",
      "acm certificate",
      async () =>
        ((await new ACMClient(aws).send(new ListCertificatesCommand({}))).CertificateSummaryList ?? []).map(
          (c) => c.DomainName,
        ),
    ],
    ["iam", "iam role", async () => ((await iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName)],
    [
      "iam",
      "iam oidc provider",
      async () =>
        ((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? []).map((p) => p.Arn),
    ],
    [
      "logs",
      "log group",
      async () =>
        ((await new CloudWatchLogsClient(aws).send(new DescribeLogGroupsCommand({}))).logGroups ?? []).map(
          (g) => g.logGroupName,
        ),
    ],
    [
      "route53",
      "hosted zone",
      async () =>
        ((await new Route53Client(aws).send(new ListHostedZonesCommand({}))).HostedZones ?? []).map((z) => z.Name),
    ],
    [
      "elasticache",
      "elasticache replication group",
      async () =>
        ((await elasticache.send(new DescribeReplicationGroupsCommand({}))).ReplicationGroups ?? []).map(
          (g) => g.ReplicationGroupId,
        ),
    ],
    [
      "elasticache",
      "elasticache subnet group",
      async () =>
        ((await elasticache.send(new DescribeCacheSubnetGroupsCommand({}))).CacheSubnetGroups ?? [])
          .filter((g) => g.CacheSubnetGroupName !== "default")
          .map((g) => g.CacheSubnetGroupName),
    ],
    [
      "cloudfront",
      "cloudfront distribution",
      async () =>
        ((await cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items ?? []).map(
          (d) => `${d.Id} ${d.Aliases?.Items?.join(",")}`,
        ),
    ],
    [
      "cloudfront",
      "cloudfront origin access control",
      async () =>
        ((await cloudfront.send(new ListOriginAccessControlsCommand({}))).OriginAccessControlList?.Items ?? []).map(
          (o) => o.Name,
        ),
    ],
    [
      "secretsmanager",
      "secret",
      async () =>
        ((await new SecretsManagerClient(aws).send(new ListSecretsCommand({}))).SecretList ?? []).map((x) => x.Name),
    ],
    [
      "sns",
      "sns topic",
      async () => ((await new SNSClient(aws).send(new ListTopicsCommand({}))).Topics ?? []).map((t) => t.TopicArn),
    ],
    [
      "cloudwatch",
      "cloudwatch alarm",
      async () =>
        ((await new CloudWatchClient(aws).send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).map(
          (a) => a.AlarmName,
        ),
    ],
    ["kms", "kms alias", async () => (await customerAliases(kms)).map((a) => a.AliasName)],
    ["kms", "kms key", async () => customerKeys(kms)],
  ];
  const found: string[] = [];
  for (const [service, kind, names] of listings) {
    if (unservedBy(emulator, service)) continue;
    for (const name of await names()) found.push(`${kind}: ${name}`);
  }
  return found;
}

/** KMS aliases but AWS managed ones (`alias/aws/*`). */
async function customerAliases(kms: KMSClient) {
  return ((await kms.send(new ListAliasesCommand({}))).Aliases ?? []).filter(
    (a) => !a.AliasName?.startsWith("alias/aws/"),
  );
}

/** Customer keys not pending deletion, but those an AWS managed alias names, each as `<id> (<state>)`. */
async function customerKeys(kms: KMSClient): Promise<string[]> {
  const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases ?? [];
  const awsManaged = new Set(aliases.filter((a) => a.AliasName?.startsWith("alias/aws/")).map((a) => a.TargetKeyId));
  const found: string[] = [];
  for (const key of (await kms.send(new ListKeysCommand({}))).Keys ?? []) {
    if (awsManaged.has(key.KeyId)) continue;
    const meta = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata;
    if (meta?.KeyManager === "CUSTOMER" && meta.KeyState !== "PendingDeletion")
      found.push(`${key.KeyId} (${meta.KeyState})`);
  }
  return found;
}

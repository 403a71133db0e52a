/** What the deploy made: the AWS resources read back with the SDK, the workloads on the local cluster. */
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import {
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import { DescribeRepositoriesCommand, ECRClient } from "@aws-sdk/client-ecr";
import { ListStreamsCommand } from "@aws-sdk/client-kinesis";
import { ListBucketsCommand } from "@aws-sdk/client-s3";
import { GetTopicAttributesCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetQueueAttributesCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { parseStackId } from "../../../core/naming";
import { expectWorkloadsApplied } from "../kubernetes";
import type { LocalPlatform } from "../local-platform";
import type { MainLine } from "../main-line";
import { ALL_STACKS } from "../stacks";

export function resourcesPhase(main: MainLine, platform: LocalPlatform): void {
  const { env, tools, aws, s3, ec2, sqs, kinesis, stateObject, lockObjects } = platform;

  main.step("resources exist with the expected properties", async () => {
    const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Project", Values: ["acme"] }] }));
    expect(vpcs.Vpcs?.map((v) => v.CidrBlock)).toEqual([env.network.vpcCidr]);
    const subnets = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcs.Vpcs![0].VpcId!] }] }),
    );
    expect(subnets.Subnets).toHaveLength(env.network.azCount * 2);
    // The default security group is taken over with no rules: it denies everything.
    const defaults = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: "vpc-id", Values: [vpcs.Vpcs![0].VpcId!] },
          { Name: "group-name", Values: ["default"] },
        ],
      }),
    );
    expect(defaults.SecurityGroups?.map((g) => [g.IpPermissions, g.IpPermissionsEgress])).toEqual([[[], []]]);
    // Endpoints: what private workloads reach AWS through without NAT.
    const endpoints =
      (
        await ec2.send(
          new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcs.Vpcs![0].VpcId!] }] }),
        )
      ).VpcEndpoints ?? [];
    expect(endpoints.map((e) => `${e.VpcEndpointType} ${e.ServiceName}`).sort()).toEqual(
      ["Gateway s3", ...["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sts"].map((s) => `Interface ${s}`)]
        .map((x) => x.replace(/ (.*)$/, ` com.amazonaws.${env.region}.$1`))
        .sort(),
    );

    const work = await sqs.send(new GetQueueUrlCommand({ QueueName: "acme-local-file-processing-work" }));
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: work.QueueUrl, AttributeNames: ["RedrivePolicy"] }),
    );
    expect(JSON.parse(attrs.Attributes!.RedrivePolicy!)).toMatchObject({
      deadLetterTargetArn: expect.stringContaining("acme-local-file-processing-work-dlq"),
      maxReceiveCount: 5,
    });

    const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name);
    expect(buckets).toEqual(
      expect.arrayContaining([
        env.state.bucket,
        "acme-local-logs-000000000000",
        "acme-local-file-processing-inbox-000000000000",
        "acme-local-data-pipeline-raw-000000000000",
        "acme-local-data-pipeline-curated-000000000000",
      ]),
    );
    const repos = await new ECRClient(aws).send(new DescribeRepositoriesCommand({}));
    expect(repos.repositories?.map((r) => r.repositoryName).sort()).toEqual([
      "acme/data-pipeline",
      "acme/file-processing",
      "acme/ml-platform",
      "acme/order-tracking",
    ]);
    const streams = await kinesis.send(new ListStreamsCommand({}));
    expect(streams.StreamNames).toContain("acme-local-data-pipeline-events");

    // The environment's alerts topic, encrypted. Its alarms are switched off in local (env.alarms):
    // the emulator does not speak the CloudWatch protocol of the AWS provider (local/README.md).
    const topic = `arn:aws:sns:${env.region}:${env.accountId}:acme-local-alerts`;
    const topicAttributes =
      (await new SNSClient(aws).send(new GetTopicAttributesCommand({ TopicArn: topic }))).Attributes ?? {};
    expect(topicAttributes.KmsMasterKeyId).toMatch(/^arn:aws:kms:/);
    expect(env.alarms).toBe(false);
    expect(
      (await new CloudWatchClient(aws).send(new DescribeAlarmsCommand({ AlarmNamePrefix: "acme-local-" })))
        .MetricAlarms ?? [],
    ).toEqual([]);

    for (const stack of ALL_STACKS.map((s) => parseStackId(s).stack)) {
      expect((await stateObject(stack)).resources.length).toBeGreaterThan(0);
    }
    expect(await lockObjects()).toEqual([]);
  });

  main.step(
    "Kubernetes workloads on the local cluster: namespaces with their policies, Role and binding, ConfigMaps of the foundation's and modules' values, IRSA annotations, Deployments available, Services, the CronJob, the Helm release deployed",
    async () => {
      const outputs = async (stack: string) =>
        Object.fromEntries(
          Object.entries((await stateObject(stack)).outputs as Record<string, { value: string }>).map(([k, v]) => [
            k,
            v.value,
          ]),
        );
      await expectWorkloadsApplied(tools, aws, {
        dataPipeline: await outputs("data-pipeline"),
        mlPlatform: await outputs("ml-platform"),
        fileProcessing: await outputs("file-processing"),
      });
    },
  );
}

/** What the e2e checks after `npm run seed`: the seed arrived once, however often it runs. */
import { GetItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from "@aws-sdk/client-kinesis";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { sdkConfig } from "../../scripts/aws";

type SdkConfig = ReturnType<typeof sdkConfig>;

/** What arrived: the seeded objects and item, the events on the stream, the jobs waiting. */
export async function seeded(
  aws: SdkConfig,
): Promise<{ objects: string[]; item: boolean; events: string[]; jobs: number }> {
  const s3 = new S3Client(aws);
  const objects: string[] = [];
  for (const [bucket, key] of [
    ["acme-local-data-pipeline-raw-000000000000", "samples/orders/dt=2026-11-01/orders.jsonl"],
    ["acme-local-data-pipeline-raw-000000000000", "samples/customers/customers.csv"],
    ["acme-local-file-processing-inbox-000000000000", "incoming/partner-a/invoice-0001.csv"],
  ]) {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    if (head.Metadata?.["seed-sha256"]) objects.push(key);
  }
  const item = await new DynamoDBClient(aws).send(
    new GetItemCommand({
      TableName: "acme-local-data-pipeline-metadata",
      Key: { pk: { S: "dataset#orders" }, sk: { S: "2026-11-01" } },
    }),
  );
  // The Kinesis client defaults to HTTP/2, which the emulator does not speak.
  const kinesis = new KinesisClient({ ...aws, requestHandler: new NodeHttpHandler() });
  const stream = "acme-local-data-pipeline-events";
  const events: string[] = [];
  for (const shard of (await kinesis.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? []) {
    const iterator = await kinesis.send(
      new GetShardIteratorCommand({ StreamName: stream, ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON" }),
    );
    const records = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator, Limit: 1000 }));
    for (const r of records.Records ?? [])
      events.push((JSON.parse(Buffer.from(r.Data!).toString()) as { type: string; order: number }).type);
  }
  const sqs = new SQSClient(aws);
  const jobsUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: "acme-local-data-pipeline-jobs" }))).QueueUrl;
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: jobsUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
  );
  return {
    objects,
    item: item.Item?.rows?.N === "3",
    events: events.sort(),
    jobs: Number(attributes.Attributes?.ApproximateNumberOfMessages),
  };
}

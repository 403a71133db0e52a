import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { KinesisStream } from "@cdktf/provider-aws/lib/kinesis-stream";
import { TerraformOutput } from "cdktf";
import { z } from "zod";
import { PrivateBucket } from "../../constructs/private-bucket";
import { QueueWithDeadLetter } from "../../constructs/queue";
import { defineModule } from "../module";

const LAKE_ZONES = ["raw", "processed", "curated"] as const;

export const settings = z
  .object({
    /** Days after which objects of each zone move to Glacier; 0 keeps them in STANDARD. */
    glacierAfterDays: z
      .object({
        raw: z.number().int().min(0).default(90),
        processed: z.number().int().min(0).default(180),
        curated: z.number().int().min(0).default(0),
      })
      .strict()
      .default({ raw: 90, processed: 180, curated: 0 }),
    /** Kinesis capacity: ON_DEMAND scales by itself; PROVISIONED uses shardCount. */
    streamMode: z.enum(["ON_DEMAND", "PROVISIONED"]).default("PROVISIONED"),
    shardCount: z.number().int().min(1).max(500).default(1),
    /** Hours the stream keeps records. */
    streamRetentionHours: z.number().int().min(24).max(8760).default(24),
  })
  .strict();

export const dataPipeline = defineModule({
  name: "data-pipeline",
  owner: "@acme/data-team",
  description: "Data lake (raw, processed, curated), an event stream, a metadata table and a job queue.",
  consumes: ["kms_key_arn", "log_bucket_name"],
  image: true,
  settings,
  build({ scope, env, settings: s, foundation, name }) {
    const kmsKeyArn = foundation.string("kms_key_arn");
    const logBucket = foundation.string("log_bucket_name");

    for (const zone of LAKE_ZONES) {
      const days = s.glacierAfterDays[zone];
      const bucket = new PrivateBucket(scope, `lake-${zone}`, {
        bucketName: name(`${zone}-${env.accountId}`),
        kmsKeyArn,
        transitions: days > 0 ? [{ days, storageClass: "GLACIER" }] : [],
        accessLogs: { bucketName: logBucket, prefix: `s3/${name(zone)}/` },
        forceDestroy: !env.deletionProtection,
        preventDestroy: env.deletionProtection,
      });
      new TerraformOutput(scope, `${zone}_bucket_name`, { value: bucket.bucketName, description: `Data lake ${zone} zone bucket.` });
    }

    const stream = new KinesisStream(scope, "events", {
      name: name("events"),
      retentionPeriod: s.streamRetentionHours,
      shardCount: s.streamMode === "PROVISIONED" ? s.shardCount : undefined,
      streamModeDetails: { streamMode: s.streamMode },
      encryptionType: "KMS",
      kmsKeyId: kmsKeyArn,
    });

    const table = new DynamodbTable(scope, "metadata", {
      name: name("metadata"),
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      rangeKey: "sk",
      attribute: [
        { name: "pk", type: "S" },
        { name: "sk", type: "S" },
      ],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn },
      deletionProtectionEnabled: env.deletionProtection,
      lifecycle: env.deletionProtection ? { preventDestroy: true } : undefined,
    });

    const jobs = new QueueWithDeadLetter(scope, "jobs", { queueName: name("jobs"), kmsKeyArn });

    new TerraformOutput(scope, "stream_name", { value: stream.name, description: "Kinesis stream of pipeline events." });
    new TerraformOutput(scope, "metadata_table_name", { value: table.name, description: "DynamoDB table of dataset metadata." });
    new TerraformOutput(scope, "jobs_queue_url", { value: jobs.queue.url, description: "Queue of pipeline jobs." });
  },
});

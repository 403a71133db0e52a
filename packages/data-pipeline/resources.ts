import { join } from "node:path";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { KinesisStream } from "@cdktf/provider-aws/lib/kinesis-stream";
import { TerraformOutput } from "cdktf";
import { KubernetesApp } from "../../constructs/kubernetes-app";
import { PrivateBucket } from "../../constructs/private-bucket";
import { protection } from "../../constructs/protection";
import { QueueWithDeadLetter } from "../../constructs/queue";
import { StreamFunction } from "../../constructs/stream-function";
import { clusterAccess, type ModuleBuild, type ModuleContextOf } from "../../stacks/module-api";
import type declaration from ".";

const LAKE_ZONES = ["raw", "processed", "curated"] as const;

type Context = ModuleContextOf<typeof declaration>;

export const build: ModuleBuild<typeof declaration> = (ctx) => {
  const { scope, env, settings: s, foundation, name, secret, defaults } = ctx;
  const { kmsKeyArn } = defaults;
  const buckets = lakeBuckets(ctx);

  const stream = new KinesisStream(scope, "events", {
    name: name("events"),
    retentionPeriod: s.streamRetentionHours,
    shardCount: s.streamMode === "PROVISIONED" ? s.shardCount : undefined,
    streamModeDetails: { streamMode: s.streamMode },
    encryptionType: "KMS",
    kmsKeyId: kmsKeyArn,
  });

  const table = s.metadata.enabled ? metadataTable(ctx) : undefined;

  const jobs = new QueueWithDeadLetter(scope, "jobs", {
    queueName: name("jobs"),
    kmsKeyArn,
    alarmTopicArn: defaults.alarmTopicArn,
  });

  const cluster = clusterAccess(scope, env, foundation);
  if (cluster) {
    const databases = [secret("postgres-airflow"), secret("postgres-metastore")];
    const batch = new KubernetesApp(scope, "batch", {
      name: "data-pipeline",
      cluster,
      roleName: name("batch-irsa"),
      image: `${foundation.entry("ecr_repository_urls", "data-pipeline")}:${s.workload.imageTag}`,
      resources: s.workload,
      config: {
        RAW_BUCKET: buckets.raw.bucketName,
        PROCESSED_BUCKET: buckets.processed.bucketName,
        CURATED_BUCKET: buckets.curated.bucketName,
        ...(table ? { METADATA_TABLE: table.name } : {}),
        JOBS_QUEUE_URL: jobs.queue.url,
        AWS_REGION: env.region,
        // By reference: the job reads the values with its own role, at start.
        POSTGRES_AIRFLOW_SECRET_ARN: databases[0].arn,
        POSTGRES_METASTORE_SECRET_ARN: databases[1].arn,
      },
      policy: batchPolicy({
        rawArn: buckets.raw.bucketArn,
        writeArns: [buckets.processed.bucketArn, buckets.curated.bucketArn],
        tableArn: table?.arn,
        queueArn: jobs.queue.arn,
        kmsKeyArn,
        secretArns: databases.map((d) => d.arn),
      }),
      workload: { kind: "cronjob", schedule: s.batchSchedule, command: ["/app/batch"], deadlineSeconds: 3000 },
      egressPorts: [5432],
    });
    if (batch.role) for (const database of databases) database.grantRead(batch.role.arn);
  }

  if (s.landing.enabled) landingFunction(ctx, { rawBucket: buckets.raw, stream });
  new TerraformOutput(scope, "stream_name", {
    value: stream.name,
    description: "Kinesis stream of pipeline events.",
  });
  if (table) {
    new TerraformOutput(scope, "metadata_table_name", {
      value: table.name,
      description: "DynamoDB table of dataset metadata.",
    });
  }
  new TerraformOutput(scope, "jobs_queue_url", { value: jobs.queue.url, description: "Queue of pipeline jobs." });
};

/** The table of dataset metadata the batch job keeps: on demand, point-in-time recovery, the environment's key. */
function metadataTable({ scope, name, defaults }: Context): DynamodbTable {
  return new DynamodbTable(scope, "metadata", {
    name: name("metadata"),
    billingMode: "PAY_PER_REQUEST",
    hashKey: "pk",
    rangeKey: "sk",
    attribute: [
      { name: "pk", type: "S" },
      { name: "sk", type: "S" },
    ],
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true, kmsKeyArn: defaults.kmsKeyArn },
    deletionProtectionEnabled: defaults.protect,
    lifecycle: protection(defaults.protect).lifecycle,
  });
}

/** One bucket per lake zone, each with its Glacier transition and access logs. */
function lakeBuckets({ scope, settings: s, defaults }: Context): Record<(typeof LAKE_ZONES)[number], PrivateBucket> {
  const buckets = {} as Record<(typeof LAKE_ZONES)[number], PrivateBucket>;
  for (const zone of LAKE_ZONES) {
    const days = s.glacierAfterDays[zone];
    const bucket = new PrivateBucket(scope, `lake-${zone}`, {
      ...defaults.bucket(zone),
      transitions: days > 0 ? [{ days, storageClass: "GLACIER" }] : [],
    });
    buckets[zone] = bucket;
    new TerraformOutput(scope, `${zone}_bucket_name`, {
      value: bucket.bucketName,
      description: `Data lake ${zone} zone bucket.`,
    });
  }
  return buckets;
}

/** The function that lands the events stream in the raw zone (functions/land-events). */
function landingFunction(
  { scope, env, settings: s, name, defaults }: Context,
  parts: { rawBucket: PrivateBucket; stream: KinesisStream },
): void {
  const { stream } = parts;
  const buckets = { raw: parts.rawBucket };
  const landing = new StreamFunction(scope, "landing", {
    name: name("land-events"),
    codeDir: join(__dirname, "functions", "land-events"),
    handler: "index.handler",
    runtime: "nodejs20.x",
    memoryMb: s.landing.memoryMb,
    timeoutSeconds: s.landing.timeoutSeconds,
    reservedConcurrency: s.landing.reservedConcurrency,
    kmsKeyArn: defaults.kmsKeyArn,
    logRetentionDays: env.logRetentionDays,
    environment: { RAW_BUCKET: buckets.raw.bucketName, RAW_PREFIX: "events/" },
    stream: {
      arn: stream.arn,
      name: stream.name,
      batchSize: s.landing.batchSize,
      startingPosition: s.landing.startingPosition,
      maxRetries: s.landing.maxRetries,
    },
    statements: [
      { Sid: "LandInRaw", Effect: "Allow", Action: ["s3:PutObject"], Resource: `${buckets.raw.bucketArn}/events/*` },
    ],
    alarmTopicArn: defaults.alarmTopicArn,
  });
  new TerraformOutput(scope, "landing_function_name", {
    value: landing.fn.functionName,
    description: "Function that lands the events stream in the raw zone.",
  });
}

/** The batch job's permissions: read raw, write processed and curated, its table, queue and key. */
export function batchPolicy(arns: {
  rawArn: string;
  writeArns: string[];
  /** Its metadata table, where it has one. */
  tableArn?: string;
  queueArn: string;
  kmsKeyArn: string;
  secretArns: string[];
}) {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadRaw", Effect: "Allow", Action: ["s3:GetObject"], Resource: `${arns.rawArn}/*` },
      { Sid: "ListLake", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [arns.rawArn, ...arns.writeArns] },
      { Sid: "WriteLake", Effect: "Allow", Action: ["s3:PutObject"], Resource: arns.writeArns.map((a) => `${a}/*`) },
      ...(arns.tableArn
        ? [
            {
              Sid: "Metadata",
              Effect: "Allow",
              Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
              Resource: arns.tableArn,
            },
          ]
        : []),
      {
        Sid: "Jobs",
        Effect: "Allow",
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
        Resource: arns.queueArn,
      },
      { Sid: "UseDataKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: arns.kmsKeyArn },
      {
        Sid: "ReadDatabaseSecrets",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue"],
        Resource: arns.secretArns,
      },
    ],
  };
}

import { moduleNamed } from "../packages";
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { Testing } from "cdktf";
import { deterministicZip, packageFunction } from "../constructs/lambda-package";

import { ModuleStack } from "../stacks/module-stack";
import { env, onlyResource, policy, resourcesOf, synthJson } from "./helpers";

const dataPipeline = moduleNamed("data-pipeline");

// The handler, as Lambda loads it.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JavaScript, loaded as Lambda loads it
const { objectFor } = require("../packages/data-pipeline/functions/land-events/index.js") as {
  objectFor: (records: unknown[], prefix: string) => { key: string; body: string; count: number } | undefined;
};

const synth = (name: string, settings: unknown = {}) =>
  synthJson(
    new ModuleStack(Testing.app(), {
      env: env(name),
      module: dataPipeline,
      settings: dataPipeline.settings.parse(settings),
    }),
  );

describe("function packages", () => {
  test("the same files give the same zip bytes, whatever their modification times", () => {
    const dir = mkdtempSync(join(tmpdir(), "fn-"));
    writeFileSync(join(dir, "b.js"), "exports.b = 2;\n");
    writeFileSync(join(dir, "a.js"), "exports.a = 1;\n");
    const first = deterministicZip(dir);
    utimesSync(join(dir, "a.js"), new Date("2030-01-01"), new Date("2030-01-01"));
    expect(deterministicZip(dir).equals(first)).toBe(true);
    writeFileSync(join(dir, "a.js"), "exports.a = 3;\n");
    expect(deterministicZip(dir).equals(first)).toBe(false);
  });

  test("the zip holds each file, sorted, readable by any unzip (deflate, CRC, sizes)", () => {
    const dir = mkdtempSync(join(tmpdir(), "fn-"));
    writeFileSync(join(dir, "index.js"), "exports.handler = async () => 1;\n");
    const zip = deterministicZip(dir);
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    const nameLength = zip.readUInt16LE(26);
    expect(zip.subarray(30, 30 + nameLength).toString()).toBe("index.js");
    const compressed = zip.subarray(30 + nameLength, 30 + nameLength + zip.readUInt32LE(18));
    expect(inflateRawSync(compressed).toString()).toBe("exports.handler = async () => 1;\n");
    const pkg = packageFunction(dir, join(dir, "out"), "fn");
    expect(readFileSync(pkg.path).equals(zip)).toBe(true);
    expect(pkg.sha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});

describe("the land-events function (data-pipeline)", () => {
  const prod = synth("prod");

  test("code packaged from the repository with its hash; reserved concurrency, tracing, encrypted environment, dead-letter queue", () => {
    const fn = onlyResource(prod, "aws_lambda_function");
    expect(fn).toMatchObject({
      function_name: "acme-prod-data-pipeline-land-events",
      runtime: "nodejs20.x",
      handler: "index.handler",
      filename: expect.stringMatching(
        /^assets\/landing_code_[0-9A-F]{8}\/[0-9A-F]+\/acme-prod-data-pipeline-land-events-[0-9a-f]{16}\.zip$/,
      ),
      source_code_hash: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      reserved_concurrent_executions: 2,
      tracing_config: { mode: "Active" },
      kms_key_arn: expect.stringContaining("outputs.kms_key_arn"),
      environment: {
        variables: { RAW_BUCKET: expect.stringContaining("aws_s3_bucket.lake-raw"), RAW_PREFIX: "events/" },
      },
    });
    expect(String((fn.dead_letter_config as { target_arn: string }).target_arn)).toMatch(
      /aws_sqs_queue\.landing_failures/,
    );
    expect(onlyResource(prod, "aws_cloudwatch_log_group")).toMatchObject({
      name: "/aws/lambda/acme-prod-data-pipeline-land-events",
      retention_in_days: 365,
      kms_key_id: expect.any(String),
    });
  });

  test("the stream triggers it: batch size and start from settings, split and retried, then to the failure queue", () => {
    const local = synth("local", { landing: { batchSize: 500, startingPosition: "LATEST", maxRetries: 5 } });
    expect(onlyResource(local, "aws_lambda_event_source_mapping")).toMatchObject({
      event_source_arn: expect.stringMatching(/^\$\{aws_kinesis_stream\.events\.arn\}$/),
      batch_size: 500,
      starting_position: "LATEST",
      maximum_retry_attempts: 5,
      bisect_batch_on_function_error: true,
      destination_config: { on_failure: { destination_arn: expect.stringMatching(/aws_sqs_queue\.landing_failures/) } },
    });
    const failures = Object.entries(resourcesOf(local, "aws_sqs_queue")).filter(([id]) =>
      id.startsWith("landing_failures"),
    );
    expect(failures.map(([, q]) => q)).toEqual([
      {
        name: "acme-local-data-pipeline-land-events-failures",
        kms_master_key_id: expect.stringContaining("outputs.kms_key_arn"),
        message_retention_seconds: 1_209_600,
      },
    ]);
  });

  test("its role reads this stream, writes its log group, the failure queue and raw/events/ only", () => {
    const statements = policy(
      Object.values(resourcesOf(prod, "aws_iam_role_policy")).find((p) => p.name === "stream-function")?.policy,
    ).Statement;
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.ReadStream.Resource).toBe("${aws_kinesis_stream.events.arn}");
    expect(bySid.LandInRaw).toMatchObject({
      Action: ["s3:PutObject"],
      Resource: expect.stringMatching(/^\$\{aws_s3_bucket\.lake-raw_bucket_[0-9A-F]{8}\.arn\}\/events\/\*$/),
    });
    expect(String(bySid.Logs.Resource)).toMatch(/aws_cloudwatch_log_group\.landing_logs_[0-9A-F]{8}\.arn\}:\*$/);
    // Only X-Ray, which has no resource types, is granted on "*".
    expect(statements.filter((s) => s.Resource === "*").map((s) => s.Sid)).toEqual(["Tracing"]);
  });

  test("alarms: falling behind on the stream, errors, failures queued", () => {
    const alarms = Object.values(resourcesOf(prod, "aws_cloudwatch_metric_alarm")).filter((a) =>
      String(a.alarm_name).includes("land-events"),
    );
    expect(alarms.map((a) => [a.metric_name, a.threshold]).sort()).toEqual([
      ["ApproximateNumberOfMessagesVisible", 0],
      ["Errors", 0],
      ["IteratorAge", 60000],
    ]);
  });

  test("switched off by configuration: no function, no mapping", () => {
    const off = synth("prod", { landing: { enabled: false } });
    expect(resourcesOf(off, "aws_lambda_function")).toEqual({});
    expect(resourcesOf(off, "aws_lambda_event_source_mapping")).toEqual({});
  });

  test("a batch becomes one newline-delimited object keyed by day, shard and first sequence number", () => {
    const record = (data: string, seq: string) => ({
      eventID: "shardId-000000000000:" + seq,
      kinesis: {
        data: Buffer.from(data).toString("base64"),
        sequenceNumber: seq,
        approximateArrivalTimestamp: 1_800_000_000,
      },
    });
    expect(
      objectFor([record('{"order":1}', "49590"), record("  ", "49591"), record('{"order":2}\n', "49592")], "events/"),
    ).toEqual({
      key: "events/dt=2027-01-15/shardId-000000000000-49590.jsonl",
      body: '{"order":1}\n{"order":2}\n',
      count: 2,
    });
    expect(objectFor([], "events/")).toBeUndefined();
  });
});

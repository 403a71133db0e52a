import { moduleNamed } from "..";
import { Testing } from "cdktf";

import { ModuleStack } from "../../stacks/module-stack";
import { env, onlyResource, resourcesOf, synthJson } from "../../__tests__/helpers";

const dataPipeline = moduleNamed("data-pipeline");

const stack = synthJson(
  new ModuleStack(Testing.app(), { env: env("prod"), module: dataPipeline, settings: dataPipeline.settings.parse({}) }),
);

describe("data-pipeline", () => {
  test("raw, processed and curated lake buckets", () => {
    expect(
      Object.values(resourcesOf(stack, "aws_s3_bucket"))
        .map((b) => b.bucket)
        .sort(),
    ).toEqual([
      "acme-prod-data-pipeline-curated-333333333333",
      "acme-prod-data-pipeline-processed-333333333333",
      "acme-prod-data-pipeline-raw-333333333333",
    ]);
  });

  test("old raw and processed data moves to Glacier; curated stays", () => {
    const rules = Object.values(resourcesOf(stack, "aws_s3_bucket_lifecycle_configuration")).map((l) =>
      JSON.stringify(l),
    );
    expect(rules.filter((r) => r.includes("GLACIER"))).toHaveLength(2);
    expect(rules.find((r) => r.includes('"days":90'))).toContain("GLACIER");
  });

  test("Kinesis stream encrypted with the foundation key", () => {
    expect(onlyResource(stack, "aws_kinesis_stream")).toMatchObject({
      encryption_type: "KMS",
      kms_key_id: expect.stringContaining("kms_key_arn"),
    });
  });

  test("DynamoDB table with PITR, KMS and deletion protection in prod", () => {
    expect(onlyResource(stack, "aws_dynamodb_table")).toMatchObject({
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  test("SQS job queue with its dead-letter queue, and the landing function's failure queue, KMS-encrypted", () => {
    const queues = Object.values(resourcesOf(stack, "aws_sqs_queue"));
    expect(queues.map((q) => q.name).sort()).toEqual([
      "acme-prod-data-pipeline-jobs",
      "acme-prod-data-pipeline-jobs-dlq",
      "acme-prod-data-pipeline-land-events-failures",
    ]);
    expect(queues.every((q) => String(q.kms_master_key_id).includes("kms_key_arn"))).toBe(true);
  });

  test("settings reject an unknown stream mode with its path", () => {
    const result = dataPipeline.settings.safeParse({ streamMode: "FAST" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(["streamMode"]);
  });
});

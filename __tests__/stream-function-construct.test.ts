import { join } from "node:path";
import { StreamFunction, type StreamFunctionProps } from "../constructs/stream-function";
import { awsTestStack, onlyResource, policy, resourcesOf, type StackJson, synthJson } from "./helpers";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/k";
const STREAM = "arn:aws:kinesis:eu-west-1:111111111111:stream/acme-x-events";

function fn(props: Partial<StreamFunctionProps> = {}): StackJson {
  const stack = awsTestStack();
  new StreamFunction(stack, "landing", {
    name: "acme-x-land-events",
    codeDir: join(__dirname, "..", "packages", "data-pipeline", "functions", "land-events"),
    handler: "index.handler",
    runtime: "nodejs22.x",
    memoryMb: 256,
    timeoutSeconds: 60,
    reservedConcurrency: 2,
    kmsKeyArn: KEY,
    logRetentionDays: 14,
    environment: { BUCKET: "acme-x-raw" },
    stream: { arn: STREAM, name: "acme-x-events", batchSize: 100, startingPosition: "LATEST", maxRetries: 3 },
    statements: [{ Effect: "Allow", Action: ["s3:PutObject"], Resource: "arn:aws:s3:::acme-x-raw/*" }],
    ...props,
  });
  return synthJson(stack);
}

describe("StreamFunction", () => {
  const json = fn();

  test("the function: packaged code with its hash, reserved concurrency, tracing, encrypted settings, JSON logs, a dead-letter queue", () => {
    expect(onlyResource(json, "aws_lambda_function")).toMatchObject({
      function_name: "acme-x-land-events",
      handler: "index.handler",
      runtime: "nodejs22.x",
      memory_size: 256,
      timeout: 60,
      reserved_concurrent_executions: 2,
      kms_key_arn: KEY,
      environment: { variables: { BUCKET: "acme-x-raw" } },
      tracing_config: { mode: "Active" },
      dead_letter_config: { target_arn: expect.stringMatching(/aws_sqs_queue\.landing_failures_/) },
      logging_config: { log_format: "JSON" },
      source_code_hash: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$|^[0-9a-f]{64}$/),
    });
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toEqual({
      name: "/aws/lambda/acme-x-land-events",
      retention_in_days: 14,
      kms_key_id: KEY,
    });
    expect(onlyResource(json, "aws_sqs_queue")).toEqual({
      name: "acme-x-land-events-failures",
      kms_master_key_id: KEY,
      message_retention_seconds: 1209600,
    });
  });

  test("the trigger: a failing batch is split, retried, then described in the failure queue", () => {
    expect(onlyResource(json, "aws_lambda_event_source_mapping")).toMatchObject({
      event_source_arn: STREAM,
      starting_position: "LATEST",
      batch_size: 100,
      bisect_batch_on_function_error: true,
      maximum_retry_attempts: 3,
      destination_config: {
        on_failure: { destination_arn: expect.stringMatching(/aws_sqs_queue\.landing_failures_/) },
      },
    });
  });

  test("the role writes its logs, reads this stream, sends failures, uses the key and traces, plus the given statements", () => {
    const statements = policy(onlyResource(json, "aws_iam_role_policy").policy).Statement;
    expect(statements.map((s) => [s.Sid, s.Resource])).toEqual([
      ["Logs", expect.stringMatching(/aws_cloudwatch_log_group\.landing_logs_[0-9A-F]+\.arn\}:\*$/)],
      ["ReadStream", STREAM],
      ["Failures", expect.stringMatching(/aws_sqs_queue\.landing_failures_[0-9A-F]+\.arn/)],
      ["Key", KEY],
      // X-Ray has no resource types: the only "*".
      ["Tracing", "*"],
      [undefined, "arn:aws:s3:::acme-x-raw/*"],
    ]);
    expect(onlyResource(json, "aws_iam_role").name).toBe("acme-x-land-events");
  });

  test("alarms only with a topic: falling behind (60 s by default), errors, failures queued", () => {
    expect(resourcesOf(json, "aws_cloudwatch_metric_alarm")).toEqual({});
    const alarmed = fn({ alarmTopicArn: "arn:aws:sns:eu-west-1:1:alerts", maxIteratorAgeMs: 30_000 });
    expect(
      Object.values(resourcesOf(alarmed, "aws_cloudwatch_metric_alarm"))
        .map((a) => [a.alarm_name, a.metric_name, a.threshold])
        .sort(),
    ).toEqual([
      ["acme-x-land-events-errors", "Errors", 0],
      ["acme-x-land-events-failures-queued", "ApproximateNumberOfMessagesVisible", 0],
      ["acme-x-land-events-falling-behind", "IteratorAge", 30000],
    ]);
  });
});

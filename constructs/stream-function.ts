import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { trustedByService } from "./iam";
import { packageFunction } from "./lambda-package";

/** Where packaged function code is kept between synths (content-addressed, outside the repository). */
const PACKAGE_DIR = join(tmpdir(), "cdktf-platform", "functions");

export interface StreamFunctionProps {
  /** Function name; its role, log group, failure queue and alarms are named after it. */
  readonly name: string;
  /** Directory of the function's code in the repository, packaged as it is (nothing is fetched). */
  readonly codeDir: string;
  /** `file.export` of the handler. */
  readonly handler: string;
  readonly runtime: "nodejs20.x" | "nodejs22.x" | "python3.12";
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Concurrent executions reserved for (and limited to) this function. */
  readonly reservedConcurrency: number;
  /** Encrypts the environment variables, the log group and the failure queue. */
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  readonly environment: Record<string, string>;
  /** The stream the function consumes. */
  readonly stream: {
    readonly arn: string;
    readonly name: string;
    readonly batchSize: number;
    readonly startingPosition: "LATEST" | "TRIM_HORIZON";
    readonly maxRetries: number;
  };
  /** What else the function may do, as IAM statements scoped by ARN. */
  readonly statements: Record<string, unknown>[];
  /** SNS topic told when records wait too long or the function fails. */
  readonly alarmTopicArn?: string;
  /** Iterator age that counts as falling behind, in milliseconds. @default 60000 */
  readonly maxIteratorAgeMs?: number;
}

/**
 * A Lambda function that consumes a Kinesis stream: code from the repository packaged at synth
 * (deterministic zip, so the code hash changes only with the code), a role that may read this stream
 * and write its logs and failures and nothing else but `statements`, an encrypted log group with
 * retention, reserved concurrency, X-Ray tracing, and an event source mapping that splits a failing
 * batch, retries `maxRetries` times and then sends the batch's description to an encrypted failure
 * queue (also the function's dead-letter queue). Alarms on iterator age, errors and failures queued.
 */
export class StreamFunction extends Construct {
  public readonly fn: LambdaFunction;
  public readonly role: IamRole;
  public readonly failures: SqsQueue;
  public readonly mapping: LambdaEventSourceMapping;

  constructor(scope: Construct, id: string, props: StreamFunctionProps) {
    super(scope, id);
    const code = packageFunction(props.codeDir, PACKAGE_DIR, props.name);
    const asset = new TerraformAsset(this, "code", { path: code.path, type: AssetType.FILE });
    const logs = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${props.name}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.failures = new SqsQueue(this, "failures", {
      name: `${props.name}-failures`,
      kmsMasterKeyId: props.kmsKeyArn,
      messageRetentionSeconds: 1_209_600,
    });

    this.role = new IamRole(this, "role", {
      name: props.name,
      assumeRolePolicy: trustedByService("lambda.amazonaws.com"),
    });
    this.grantOwnNeeds(props, logs.arn);

    this.fn = new LambdaFunction(this, "function", {
      functionName: props.name,
      role: this.role.arn,
      handler: props.handler,
      runtime: props.runtime,
      filename: asset.path,
      sourceCodeHash: code.sha256,
      memorySize: props.memoryMb,
      timeout: props.timeoutSeconds,
      reservedConcurrentExecutions: props.reservedConcurrency,
      kmsKeyArn: props.kmsKeyArn,
      environment: { variables: props.environment },
      tracingConfig: { mode: "Active" },
      deadLetterConfig: { targetArn: this.failures.arn },
      loggingConfig: { logFormat: "JSON", logGroup: logs.name },
      dependsOn: [logs],
    });

    this.mapping = new LambdaEventSourceMapping(this, "trigger", {
      functionName: this.fn.arn,
      eventSourceArn: props.stream.arn,
      startingPosition: props.stream.startingPosition,
      batchSize: props.stream.batchSize,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: props.stream.maxRetries,
      destinationConfig: { onFailure: { destinationArn: this.failures.arn } },
    });

    if (props.alarmTopicArn) this.alarms(props, props.alarmTopicArn);
  }

  private alarms(props: StreamFunctionProps, topic: string): void {
    const common = { period: 60, alarmActions: [topic], okActions: [topic], treatMissingData: "notBreaching" };
    const fn = { namespace: "AWS/Lambda", dimensions: { FunctionName: props.name } };
    const maxAge = props.maxIteratorAgeMs ?? 60_000;
    new CloudwatchMetricAlarm(this, "iterator-age-alarm", {
      ...common,
      ...fn,
      alarmName: `${props.name}-falling-behind`,
      alarmDescription: `${props.name} reads ${props.stream.name} more than ${maxAge / 1000} s behind for 5 minutes; raise reservedConcurrency or batchSize, or find what slows it.`,
      metricName: "IteratorAge",
      statistic: "Maximum",
      evaluationPeriods: 5,
      threshold: maxAge,
      comparisonOperator: "GreaterThanThreshold",
    });
    new CloudwatchMetricAlarm(this, "errors-alarm", {
      ...common,
      ...fn,
      alarmName: `${props.name}-errors`,
      alarmDescription: `${props.name} failed on a batch; read its log group /aws/lambda/${props.name}.`,
      metricName: "Errors",
      statistic: "Sum",
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
    });
    new CloudwatchMetricAlarm(this, "failures-alarm", {
      ...common,
      alarmName: `${props.name}-failures-queued`,
      alarmDescription: `${props.name} gave up on records after ${props.stream.maxRetries} retries; ${props.name}-failures names the shard and sequence numbers to replay.`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: `${props.name}-failures` },
      statistic: "Maximum",
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
    });
  }

  /** The role may write its logs, read its stream, send failures, use the key and trace; plus `statements`. */
  private grantOwnNeeds(props: StreamFunctionProps, logsArn: string): void {
    new IamRolePolicy(this, "policy", {
      role: this.role.id,
      name: "stream-function",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "Logs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${logsArn}:*`,
          },
          {
            Sid: "ReadStream",
            Effect: "Allow",
            Action: [
              "kinesis:DescribeStream",
              "kinesis:DescribeStreamSummary",
              "kinesis:GetRecords",
              "kinesis:GetShardIterator",
              "kinesis:ListShards",
            ],
            Resource: props.stream.arn,
          },
          { Sid: "Failures", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: this.failures.arn },
          { Sid: "Key", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: props.kmsKeyArn },
          // X-Ray has no resource types: its write actions are granted on "*" or not at all.
          {
            Sid: "Tracing",
            Effect: "Allow",
            Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
            Resource: "*",
          },
          ...props.statements,
        ],
      }),
    });
  }
}

import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueueRedrivePolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-policy";
import { Construct } from "constructs";

export interface QueueWithDeadLetterProps {
  /** Name of the main queue; the dead-letter queue gets a `-dlq` suffix. */
  readonly queueName: string;
  /** KMS key for SSE-KMS; without it the queues use SQS-managed SSE. */
  readonly kmsKeyArn?: string;
  /** Receives before a message moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
  /** Visibility timeout of the main queue, seconds. @default 60 */
  readonly visibilityTimeoutSeconds?: number;
  /** How long the dead-letter queue keeps messages, seconds. @default 1209600 (14 days) */
  readonly deadLetterRetentionSeconds?: number;
  /** SNS topic told when the dead-letter queue holds a message, and again when it is empty (the foundation's alerts_topic_arn). */
  readonly alarmTopicArn?: string;
}

/**
 * An encrypted SQS queue with a dead-letter queue and a redrive policy between them; with an alarm
 * topic, an alarm that fires as soon as the dead-letter queue holds a message.
 */
export class QueueWithDeadLetter extends Construct {
  public readonly queue: SqsQueue;
  public readonly deadLetterQueue: SqsQueue;
  public readonly deadLetterAlarm?: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: QueueWithDeadLetterProps) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    const encryption = props.kmsKeyArn
      ? { kmsMasterKeyId: props.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 }
      : { sqsManagedSseEnabled: true };

    this.deadLetterQueue = new SqsQueue(this, "dlq", {
      name: `${props.queueName}-dlq`,
      messageRetentionSeconds: props.deadLetterRetentionSeconds ?? 1_209_600,
      ...encryption,
    });
    this.queue = new SqsQueue(this, "queue", {
      name: props.queueName,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds ?? 60,
      ...encryption,
    });
    new SqsQueueRedrivePolicy(this, "redrive", {
      queueUrl: this.queue.url,
      redrivePolicy: JSON.stringify({
        deadLetterTargetArn: this.deadLetterQueue.arn,
        maxReceiveCount,
      }),
    });
    if (props.alarmTopicArn) {
      this.deadLetterAlarm = new CloudwatchMetricAlarm(this, "dlq-alarm", {
        alarmName: `${props.queueName}-dlq-not-empty`,
        alarmDescription: `${props.queueName}-dlq holds messages that failed ${maxReceiveCount} receives: find the cause, then redrive them.`,
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: `${props.queueName}-dlq` },
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [props.alarmTopicArn],
        okActions: [props.alarmTopicArn],
      });
    }
  }
}

import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { TerraformOutput } from "cdktf";
import { join } from "node:path";
import type { Construct } from "constructs";
import { trustedByService } from "../../constructs/iam";
import { KubernetesApp } from "../../constructs/kubernetes-app";
import { PrivateBucket } from "../../constructs/private-bucket";
import { QueueWithDeadLetter } from "../../constructs/queue";
import { clusterAccess, type ModuleBuild } from "../../stacks/module-api";
import type declaration from ".";

export const build: ModuleBuild<typeof declaration> = ({ scope, env, settings: s, foundation, name, defaults }) => {
  const { kmsKeyArn } = defaults;
  const inbox = new PrivateBucket(scope, "inbox", defaults.bucket("inbox"));
  const processed = new PrivateBucket(scope, "processed", {
    ...defaults.bucket("processed"),
    transitions: [{ days: s.processedGlacierAfterDays, storageClass: "GLACIER" }],
  });

  // S3 cannot publish to a queue encrypted with a customer key it may not use, so SQS-managed SSE.
  const work = new QueueWithDeadLetter(scope, "work", {
    queueName: name("work"),
    alarmTopicArn: defaults.alarmTopicArn,
    maxReceiveCount: s.maxReceiveCount,
    visibilityTimeoutSeconds: s.visibilityTimeoutSeconds,
  });

  uploadsQueueWork(scope, env.accountId, inbox, work);

  const permissions = workerPolicy({
    inboxArn: inbox.bucketArn,
    processedArn: processed.bucketArn,
    queueArn: work.queue.arn,
    kmsKeyArn,
  });
  const worker = new IamRole(scope, "worker-role", {
    name: name("worker"),
    description: "Runs the file-processing worker: reads the inbox, writes processed files.",
    assumeRolePolicy: trustedByService("ecs-tasks.amazonaws.com"),
  });
  new IamRolePolicy(scope, "worker-policy", {
    role: worker.id,
    name: "file-processing",
    policy: JSON.stringify(permissions),
  });

  const cluster = clusterAccess(scope, env, foundation);
  if (cluster) {
    new KubernetesApp(scope, "worker", {
      name: "file-processing",
      cluster,
      roleName: name("worker-irsa"),
      image: `${foundation.entry("ecr_repository_urls", "file-processing")}:${s.workload.imageTag}`,
      resources: s.workload,
      config: {
        INBOX_BUCKET: inbox.bucketName,
        PROCESSED_BUCKET: processed.bucketName,
        WORK_QUEUE_URL: work.queue.url,
        AWS_REGION: env.region,
      },
      policy: permissions,
      workload: {
        kind: "helm",
        chartDir: join(__dirname, "chart"),
        replicas: s.workload.replicas,
        port: s.workload.port,
        healthPath: "/healthz",
      },
    });
  }

  new TerraformOutput(scope, "inbox_bucket_name", {
    value: inbox.bucketName,
    description: "Bucket that receives files to process.",
  });
  new TerraformOutput(scope, "processed_bucket_name", {
    value: processed.bucketName,
    description: "Bucket the worker writes results to.",
  });
  new TerraformOutput(scope, "work_queue_url", {
    value: work.queue.url,
    description: "Queue of inbox upload events.",
  });
  new TerraformOutput(scope, "dead_letter_queue_url", {
    value: work.deadLetterQueue.url,
    description: "Events that failed processing too often.",
  });
  new TerraformOutput(scope, "worker_role_arn", { value: worker.arn, description: "IAM role of the worker." });
};

/** Uploads to the inbox raise an event on the work queue, which admits only that bucket of this account. */
function uploadsQueueWork(scope: Construct, accountId: string, inbox: PrivateBucket, work: QueueWithDeadLetter): void {
  const queuePolicy = new SqsQueuePolicy(scope, "work-policy", {
    queueUrl: work.queue.url,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "InboxUploadsEnqueue",
          Effect: "Allow",
          Principal: { Service: "s3.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: work.queue.arn,
          Condition: {
            ArnEquals: { "aws:SourceArn": inbox.bucketArn },
            StringEquals: { "aws:SourceAccount": accountId },
          },
        },
      ],
    }),
  });

  new S3BucketNotification(scope, "inbox-events", {
    bucket: inbox.bucket.id,
    queue: [{ queueArn: work.queue.arn, events: ["s3:ObjectCreated:*"] }],
    dependsOn: [queuePolicy],
  });
}

/** The worker's permissions, scoped to exactly this module's bucket, queue and key ARNs. */
export function workerPolicy(arns: { inboxArn: string; processedArn: string; queueArn: string; kmsKeyArn: string }) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadInbox",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:DeleteObject"],
        Resource: `${arns.inboxArn}/*`,
      },
      { Sid: "ListInbox", Effect: "Allow", Action: ["s3:ListBucket"], Resource: arns.inboxArn },
      { Sid: "WriteProcessed", Effect: "Allow", Action: ["s3:PutObject"], Resource: `${arns.processedArn}/*` },
      {
        Sid: "ConsumeWork",
        Effect: "Allow",
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
        Resource: arns.queueArn,
      },
      { Sid: "UseDataKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: arns.kmsKeyArn },
    ],
  };
}

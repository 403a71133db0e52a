import type { PolicyRule } from "../rule";

/** SQS-managed SSE counts: S3 event notifications cannot publish to a queue under a customer key. */
export const sqsEncryption: PolicyRule = {
  id: "ACME-SQS-1",
  description: "Every SQS queue is encrypted at rest (kms_master_key_id, or sqs_managed_sse_enabled).",
  fix: "Create the queue with QueueWithDeadLetter (constructs/queue.ts), or set kmsMasterKeyId (SSE-KMS) or sqsManagedSseEnabled: true on the SqsQueue.",
  check(stack) {
    return stack
      .resources("aws_sqs_queue")
      .filter(
        (q) =>
          !(typeof q.config.kms_master_key_id === "string" && q.config.kms_master_key_id !== "") &&
          q.config.sqs_managed_sse_enabled !== true,
      )
      .map((q) => ({
        path: q.path,
        message: "queue sets neither kms_master_key_id nor sqs_managed_sse_enabled = true",
      }));
  },
};

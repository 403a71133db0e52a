import { moduleNamed } from "..";
import { Testing } from "cdktf";

import { ModuleStack } from "../../stacks/module-stack";
import { env, onlyResource, policy, resourcesOf, synthJson } from "../../__tests__/helpers";

const fileProcessing = moduleNamed("file-processing");

const stack = synthJson(
  new ModuleStack(Testing.app(), {
    env: env("dev"),
    module: fileProcessing,
    settings: fileProcessing.settings.parse({}),
  }),
);

describe("file-processing", () => {
  test("inbox and processed buckets, both private and KMS-encrypted", () => {
    expect(
      Object.values(resourcesOf(stack, "aws_s3_bucket"))
        .map((b) => b.bucket)
        .sort(),
    ).toEqual(["acme-dev-file-processing-inbox-111111111111", "acme-dev-file-processing-processed-111111111111"]);
    for (const pab of Object.values(resourcesOf(stack, "aws_s3_bucket_public_access_block"))) {
      expect(pab).toMatchObject({ block_public_acls: true, restrict_public_buckets: true });
    }
    const encryption = Object.values(resourcesOf(stack, "aws_s3_bucket_server_side_encryption_configuration"));
    expect(encryption).toHaveLength(2);
    for (const sse of encryption) {
      expect(sse.rule).toEqual([
        {
          apply_server_side_encryption_by_default: {
            kms_master_key_id: expect.stringMatching(
              /^\$\{data\.terraform_remote_state\.foundation[^.]*\.outputs\.kms_key_arn\}$/,
            ),
            sse_algorithm: "aws:kms",
          },
          bucket_key_enabled: true,
        },
      ]);
    }
  });

  test("queue with dead-letter queue and redrive", () => {
    const redrive = JSON.parse(String(onlyResource(stack, "aws_sqs_queue_redrive_policy").redrive_policy));
    expect(redrive).toEqual({
      deadLetterTargetArn: expect.stringMatching(/^\$\{aws_sqs_queue\.work_dlq_[0-9A-F]+\.arn\}$/),
      maxReceiveCount: 5,
    });
  });

  test("uploads to the inbox notify the queue, allowed only from that bucket and account", () => {
    const notification = onlyResource(stack, "aws_s3_bucket_notification") as {
      queue: { events: string[] }[];
      depends_on: string[];
    };
    expect(notification.queue[0].events).toEqual(["s3:ObjectCreated:*"]);
    expect(notification.depends_on).toEqual(["aws_sqs_queue_policy.work-policy"]);
    const statement = policy(onlyResource(stack, "aws_sqs_queue_policy").policy).Statement[0];
    expect(statement).toMatchObject({
      Principal: { Service: "s3.amazonaws.com" },
      Action: "sqs:SendMessage",
      Condition: {
        ArnEquals: { "aws:SourceArn": expect.stringContaining("inbox") },
        StringEquals: { "aws:SourceAccount": "111111111111" },
      },
    });
  });

  test("worker policy is scoped to the module's own ARNs: no wildcard resource or action", () => {
    const statements = policy(onlyResource(stack, "aws_iam_role_policy").policy).Statement;
    for (const s of statements) {
      expect(s.Resource).not.toBe("*");
      expect(JSON.stringify(s.Action)).not.toContain("*");
    }
    expect(statements.find((s) => s.Sid === "WriteProcessed")?.Resource).toMatch(/processed.*\/\*$/);
  });

  test("reads KMS key and log bucket from the foundation's remote state", () => {
    const sse = JSON.stringify(resourcesOf(stack, "aws_s3_bucket_server_side_encryption_configuration"));
    expect(sse).toContain("data.terraform_remote_state.foundation");
    expect(sse).toContain("outputs.kms_key_arn");
  });
});

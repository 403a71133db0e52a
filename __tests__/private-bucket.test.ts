import { Testing, TerraformStack } from "cdktf";
import { PrivateBucket } from "../constructs/private-bucket";
import { thrownMessage } from "./helpers";

describe("PrivateBucket", () => {
  test("a log target with a KMS key is refused: S3 delivers access logs only to SSE-S3 buckets", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const message = thrownMessage(
      () =>
        new PrivateBucket(stack, "logs", {
          bucketName: "b",
          kmsKeyArn: "arn:aws:kms:eu-west-1:1:key/k",
          logDeliveryFromAccount: "111111111111",
        }),
    );
    expect(message).toBe(
      "s/logs: a bucket that receives server access logs must use SSE-S3; drop kmsKeyArn or logDeliveryFromAccount",
    );
  });
});

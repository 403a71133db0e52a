import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { TerraformStack, Testing } from "cdktf";
import { ConfigError } from "../../environments";
import { PolicyGate, PolicyViolationError } from "../../policies/pack";
import { RULES } from "../../policies/rules";
import { logGroupEncryption } from "../../policies/rules/log-group-encryption";
import { sqsEncryption } from "../../policies/rules/sqs-encryption";
import type { Suppression } from "../../policies/suppression";
import { thrownMessage } from "../helpers";
import { DEV, line, run, TAGS } from "./check";

const rules = [sqsEncryption];
const plainQueue = (s: TerraformStack) => new SqsQueue(s, "queue", { name: "plain" });

function refusal(suppressions: Suppression[]): string {
  return thrownMessage(() => new PolicyGate({ suppressions }), ConfigError);
}

describe("a violation fails synth with rule id, path, what is wrong and the fix", () => {
  test("the message", () => {
    const error = run(plainQueue, { rules });
    expect(error).toBeInstanceOf(PolicyViolationError);
    expect(error?.message).toBe(
      "1 policy violation in 1 stack; fix each resource, or suppress it with a reason in policies/suppressions.ts:\n" +
        "[ACME-SQS-1] test/queue\n" +
        "    queue sets neither kms_master_key_id nor sqs_managed_sse_enabled = true\n" +
        `    fix: ${sqsEncryption.fix}`,
    );
  });

  test("the violations of every stack are collected and reported once, after the last stack", () => {
    const app = Testing.app();
    const gate = new PolicyGate({ rules: [sqsEncryption, logGroupEncryption], suppressions: [] });
    const stacks = ["a", "b"].map((id) => {
      const stack = new TerraformStack(app, id);
      new AwsProvider(stack, "aws", { region: "eu-west-1", defaultTags: [{ tags: TAGS }] });
      plainQueue(stack);
      new CloudwatchLogGroup(stack, "logs", { name: `/acme/${id}` });
      gate.apply(stack, DEV);
      return stack;
    });
    expect(() => Testing.synth(stacks[0])).not.toThrow();
    let error: unknown;
    try {
      app.synth();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyViolationError);
    expect((error as PolicyViolationError).violations.map(line)).toEqual([
      "ACME-SQS-1 a/queue: queue sets neither kms_master_key_id nor sqs_managed_sse_enabled = true",
      "ACME-LOG-1 a/logs: log group has no kms_key_id",
      "ACME-SQS-1 b/queue: queue sets neither kms_master_key_id nor sqs_managed_sse_enabled = true",
      "ACME-LOG-1 b/logs: log group has no kms_key_id",
    ]);
    expect((error as Error).message).toMatch(/^4 policy violations in 2 stacks; /);
  });

  test("a clean stack synthesizes", () => {
    expect(run((s) => new SqsQueue(s, "queue", { sqsManagedSseEnabled: true }), { rules })).toBeUndefined();
  });
});

describe("suppressions", () => {
  test("a matching exact path suppresses that rule there only", () => {
    const suppressions = [{ id: "ACME-SQS-1", path: "test/queue", reason: "test" }];
    expect(run(plainQueue, { rules, suppressions })).toBeUndefined();
    const other = run((s) => (plainQueue(s), new SqsQueue(s, "other", { name: "other" })), { rules, suppressions });
    expect(other?.violations.map((v) => v.path)).toEqual(["test/other"]);
  });

  test("a glob matches any run of characters, slashes included", () => {
    expect(
      run(plainQueue, { rules, suppressions: [{ id: "ACME-SQS-1", path: "t*/q*", reason: "test" }] }),
    ).toBeUndefined();
    expect(run(plainQueue, { rules, suppressions: [{ id: "ACME-SQS-1", path: "*", reason: "test" }] })).toBeUndefined();
  });

  test("a suppression of another rule on the same path does not suppress, and is itself unused", () => {
    const error = run(plainQueue, {
      rules: RULES,
      suppressions: [{ id: "ACME-LOG-1", path: "test/queue", reason: "test" }],
    });
    expect(error?.violations.map(line)).toEqual([
      "ACME-SQS-1 test/queue: queue sets neither kms_master_key_id nor sqs_managed_sse_enabled = true",
    ]);
    expect(error?.unusedSuppressions).toEqual([{ id: "ACME-LOG-1", path: "test/queue", reason: "test" }]);
  });

  test("a suppression that matches nothing is reported, even when nothing else is wrong", () => {
    const error = run((s) => new SqsQueue(s, "queue", { sqsManagedSseEnabled: true }), {
      rules,
      suppressions: [{ id: "ACME-SQS-1", path: "test/gone", reason: "was plain once" }],
    });
    expect(error?.violations).toEqual([]);
    expect(error?.message).toBe(
      'policies/suppressions.ts has suppressions that match no violation; remove them:\n  - ACME-SQS-1 on "test/gone"',
    );
  });

  test("unused suppressions are not judged when the gate is told the build is partial", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new PolicyGate({
      rules,
      suppressions: [{ id: "ACME-SQS-1", path: "prod-x/queue", reason: "test" }],
      reportUnusedSuppressions: false,
    }).apply(stack, DEV);
    expect(() => Testing.synth(stack)).not.toThrow();
  });

  test("a reason is required", () => {
    expect(refusal([{ id: "ACME-SQS-1", path: "test/queue", reason: "  " }])).toBe(
      'policies/suppressions.ts is invalid:\n  - entry 1 (ACME-SQS-1 on "test/queue"): reason is required: say why this resource may break the rule',
    );
    expect(refusal([{ id: "ACME-SQS-1", path: "test/queue" } as Suppression])).toContain("reason is required");
  });

  test("an unknown rule id is refused with the known ids", () => {
    expect(refusal([{ id: "ACME-S3-9", path: "test/bucket", reason: "typo" }])).toBe(
      `policies/suppressions.ts is invalid:\n  - entry 1 (ACME-S3-9 on "test/bucket"): unknown rule id; known ids: ${RULES.map((r) => r.id).join(", ")}`,
    );
  });

  test("an empty path and a duplicate are refused; every problem is listed", () => {
    const entry = { id: "ACME-SQS-1", path: "test/queue", reason: "test" };
    expect(refusal([entry, { ...entry, reason: "again" }, { ...entry, path: "" }]).split("\n")).toEqual([
      "policies/suppressions.ts is invalid:",
      '  - entry 2 (ACME-SQS-1 on "test/queue"): listed twice',
      '  - entry 3 (ACME-SQS-1 on ""): path is required: the construct path it applies to',
    ]);
  });

  test("the project's own suppressions are valid", () => {
    expect(() => new PolicyGate()).not.toThrow();
  });
});

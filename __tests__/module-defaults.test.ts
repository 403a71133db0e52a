import { Testing } from "cdktf";
import { z } from "zod";
import { PrivateBucket } from "../constructs/private-bucket";
import { QueueWithDeadLetter } from "../constructs/queue";
import type { Environment } from "../environments";
import {
  defineModule,
  type FoundationOutputName,
  type ModuleContext,
  type ModuleDefaults,
  type ModuleDefinition,
} from "../stacks/module-api";
import { ModuleStack } from "../stacks/module-stack";
import { env, resourcesOf, synthJson, thrownMessage } from "./helpers";

// What ModuleContext.defaults hands every module: the environment's protection, TLS-only policy,
// key, alarm topic and access-log target, read from the foundation only when used.

function withDefaults(
  e: Environment,
  consumes: FoundationOutputName[],
  use: (defaults: ModuleDefaults, scope: ModuleStack) => void,
  secrets: { name: string; description: string; keys: string[] }[] = [],
) {
  const declaration = defineModule({
    name: "demo",
    owner: "@acme/demo",
    description: "A module that builds with the environment's defaults.",
    consumes,
    image: false,
    services: ["s3", "sqs"],
    secrets,
    settings: z.object({}).strict(),
    environments: { default: { enabled: true } },
  });
  const module = {
    ...declaration,
    build: ({ defaults, scope }: ModuleContext<unknown, FoundationOutputName>) => use(defaults, scope as ModuleStack),
  } as ModuleDefinition;
  return new ModuleStack(Testing.app(), { env: e, module, settings: {} });
}

describe("ModuleContext.defaults", () => {
  test.each([
    ["local", false, false],
    ["dev", false, true],
    ["prod", true, true],
  ])("in %s: protect %s, TLS-only %s, as the environment says", (name, protect, tlsOnly) => {
    let seen: Pick<ModuleDefaults, "protect" | "denyInsecureTransport"> | undefined;
    withDefaults(env(name), [], (d) => (seen = { protect: d.protect, denyInsecureTransport: d.denyInsecureTransport }));
    expect(seen).toEqual({ protect, denyInsecureTransport: tlsOnly });
  });

  test("a bucket: named with the account, the environment's key, protection, TLS-only and access logs under s3/<name>/", () => {
    let props: ReturnType<ModuleDefaults["bucket"]> | undefined;
    const stack = withDefaults(env("prod"), ["kms_key_arn", "log_bucket_name"], (d, scope) => {
      props = d.bucket("inbox");
      new PrivateBucket(scope, "inbox", props);
    });
    expect(props).toEqual({
      bucketName: "acme-prod-demo-inbox-333333333333",
      kmsKeyArn: expect.stringMatching(/^\$\{TfToken\[TOKEN\.\d+\]\}$/),
      protect: true,
      denyInsecureTransport: true,
      accessLogs: {
        bucketName: expect.stringMatching(/^\$\{TfToken\[TOKEN\.\d+\]\}$/),
        prefix: "s3/acme-prod-demo-inbox/",
      },
    });
    const json = synthJson(stack);
    const [encryption] = Object.values(resourcesOf(json, "aws_s3_bucket_server_side_encryption_configuration"));
    expect(encryption.rule).toEqual([
      {
        apply_server_side_encryption_by_default: {
          kms_master_key_id: expect.stringContaining(".outputs.kms_key_arn}"),
          sse_algorithm: "aws:kms",
        },
        bucket_key_enabled: true,
      },
    ]);
    const [logging] = Object.values(resourcesOf(json, "aws_s3_bucket_logging"));
    expect(logging.target_bucket).toMatch(/^\$\{data\.terraform_remote_state\.[^.]+\.outputs\.log_bucket_name\}$/);
    expect(logging.target_prefix).toBe("s3/acme-prod-demo-inbox/");
  });

  test("the alarm topic where the environment raises alarms, none where it does not", () => {
    const alarmsOf = (name: string) => {
      const stack = withDefaults(env(name), ["kms_key_arn", "alerts_topic_arn"], (d, scope) => {
        new QueueWithDeadLetter(scope, "work", {
          queueName: "q",
          kmsKeyArn: d.kmsKeyArn,
          alarmTopicArn: d.alarmTopicArn,
        });
      });
      return Object.values(resourcesOf(synthJson(stack), "aws_cloudwatch_metric_alarm")).map((a) => a.alarm_actions);
    };
    expect(alarmsOf("dev")).toEqual([[expect.stringMatching(/\.outputs\.alerts_topic_arn\}$/)]]);
    expect(alarmsOf("local")).toEqual([]);
  });

  test("reading a default whose foundation output the module does not consume is refused, naming the output", () => {
    expect(thrownMessage(() => withDefaults(env("dev"), [], (d) => d.kmsKeyArn))).toBe(
      'module "demo" reads foundation output "kms_key_arn" without declaring it; add it to the module\'s consumes list',
    );
    expect(thrownMessage(() => withDefaults(env("dev"), ["kms_key_arn"], (d) => d.bucket("data")))).toBe(
      'module "demo" reads foundation output "log_bucket_name" without declaring it; add it to the module\'s consumes list',
    );
  });

  test("secrets without kms_key_arn in consumes are refused instead of adding it silently", () => {
    expect(
      thrownMessage(() =>
        withDefaults(env("dev"), [], () => undefined, [{ name: "api-key", description: "d", keys: ["API_KEY"] }]),
      ),
    ).toBe(
      `module "demo" declares secrets (api-key), which are encrypted with the environment's KMS key: add "kms_key_arn" to its consumes`,
    );
  });
});

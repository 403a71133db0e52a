import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Adding a module the way README's "Adding a module" says: a folder packages/<name>/ and its name on
 * one line of MODULE_NAMES in packages/index.ts. Used on copies of the repository (the unit test that
 * adds a module, the benchmark's synthetic modules), never on the working tree.
 */
export function addModule(root: string, name: string, files: Readonly<Record<string, string>>): void {
  const folder = join(root, "packages", name);
  mkdirSync(folder, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text);
  registerModules(root, [name]);
}

/** Adds one line per name at the end of MODULE_NAMES in packages/index.ts. */
export function registerModules(root: string, names: readonly string[]): void {
  const registry = join(root, "packages", "index.ts");
  const source = readFileSync(registry, "utf8");
  const end = /(export const MODULE_NAMES = \[\n(?: {2}"[a-z0-9-]+",\n)*)(\] as const;)/;
  if (!end.test(source))
    throw new Error(`${registry}: no MODULE_NAMES list with one "name", per line to register modules in`);
  writeFileSync(
    registry,
    source.replace(
      end,
      (_m, list: string, close: string) => `${list}${names.map((n) => `  "${n}",\n`).join("")}${close}`,
    ),
  );
}

/** What a new module is called, who owns it, what it is for. */
export interface NewModule {
  readonly name: string;
  readonly owner: string;
  readonly description: string;
  /** The default of its one setting; prod overrides it with two more. @default 5 */
  readonly maxReceiveCount?: number;
}

/**
 * The files of a new module, as `npm run new-module` writes them: a private bucket and a queue with
 * a dead-letter queue, built with the environment's defaults (key, protection, TLS-only, access
 * logs, alarm topic), enabled everywhere, one setting that prod overrides, a README whose tables
 * `npm run docs` writes, and a test that synthesizes it in every environment.
 */
export function moduleFiles(m: NewModule): Record<string, string> {
  const receives = m.maxReceiveCount ?? 5;
  return {
    "index.ts": `import { defineModule } from "../../stacks/module-api";
import { environments } from "./environments";
import { settings } from "./settings";

export default defineModule({
  name: ${JSON.stringify(m.name)},
  owner: ${JSON.stringify(m.owner)},
  description: ${JSON.stringify(m.description)},
  // Read through ctx.defaults: the environment's key, the access-log bucket, the alarm topic.
  consumes: ["kms_key_arn", "log_bucket_name", "alerts_topic_arn"],
  image: false,
  services: ["s3", "sqs"],
  settings,
  environments,
});
`,
    "settings.ts": `import { z } from "zod";

export const settings = z
  .object({
    maxReceiveCount: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(${receives})
      .describe("Failed receives before a message moves to the dead-letter queue."),
  })
  .strict();
`,
    "environments.ts": `import type { z } from "zod";
import type { ModuleEnvironments } from "../../stacks/module-api";
import type { settings } from "./settings";

/** Where the module runs and with which settings: \`default\` everywhere, an environment's entry merged over it. */
export const environments: ModuleEnvironments<z.input<typeof settings>> = {
  default: { enabled: true },
  prod: { settings: { maxReceiveCount: ${receives + 2} } },
};
`,
    "resources.ts": `import { TerraformOutput } from "cdktf";
import { PrivateBucket } from "../../constructs/private-bucket";
import { QueueWithDeadLetter } from "../../constructs/queue";
import type { ModuleBuild } from "../../stacks/module-api";
import type declaration from ".";

export const build: ModuleBuild<typeof declaration> = ({ scope, settings: s, name, defaults }) => {
  const data = new PrivateBucket(scope, "data", defaults.bucket("data"));
  const work = new QueueWithDeadLetter(scope, "work", {
    queueName: name("work"),
    kmsKeyArn: defaults.kmsKeyArn,
    alarmTopicArn: defaults.alarmTopicArn,
    maxReceiveCount: s.maxReceiveCount,
  });
  new TerraformOutput(scope, "data_bucket_name", { value: data.bucketName, description: "The module's bucket." });
  new TerraformOutput(scope, "work_queue_url", { value: work.queue.url, description: "The module's work queue." });
};
`,
    "README.md": `# ${m.name}

Owner: \`${m.owner}\`

${m.description}

## Inputs (foundation outputs consumed)

| output | used for |
|---|---|
| \`kms_key_arn\` | SSE-KMS of the bucket and the queues |
| \`log_bucket_name\` | S3 server access logs of the bucket |
| \`alerts_topic_arn\` | the alarm on the dead-letter queue (where the environment raises alarms) |

## Resources

- the data bucket (\`PrivateBucket\`: public access blocked, TLS only where the environment says, versioned, KMS)
- work queue + dead-letter queue with redrive after \`maxReceiveCount\` failed receives

## Outputs

Generated by \`npm run docs\` from a synth of the module's stack in every environment.

<!-- generated by npm run docs: outputs -->
<!-- end of generated outputs -->

## Settings

Generated from \`settings.ts\` and \`environments.ts\` by \`npm run docs\`.

<!-- generated by npm run docs: settings -->
<!-- end of generated settings -->
`,
    [`${m.name}.test.ts`]: `import { Testing } from "cdktf";
import { moduleNamed } from "..";
import { resourcePrefix } from "../../core/naming";
import { environmentNames } from "../../environments";
import { ModuleStack } from "../../stacks/module-stack";
import { env, resourcesOf, synthJson } from "../../__tests__/helpers";

const declared = moduleNamed(${JSON.stringify(m.name)});

function stackIn(name: string) {
  const e = env(name);
  const settings = declared.settings.parse(e.modules[declared.name]?.settings ?? {});
  return { e, json: synthJson(new ModuleStack(Testing.app(), { env: e, module: declared, settings })) };
}

describe(${JSON.stringify(m.name)}, () => {
  test.each(environmentNames())("in %s: the bucket, encrypted with the environment's key, and the queue's redrive", (name) => {
    const { e, json } = stackIn(name);
    expect(Object.values(resourcesOf(json, "aws_s3_bucket")).map((b) => b.bucket)).toEqual([
      \`\${resourcePrefix(e, declared.name)}-data-\${e.accountId}\`,
    ]);
    const [sse] = Object.values(resourcesOf(json, "aws_s3_bucket_server_side_encryption_configuration"));
    expect(sse.rule).toEqual([
      {
        apply_server_side_encryption_by_default: {
          kms_master_key_id: expect.stringMatching(/\\.outputs\\.kms_key_arn\\}$/),
          sse_algorithm: "aws:kms",
        },
        bucket_key_enabled: true,
      },
    ]);
    const redrive = Object.values(resourcesOf(json, "aws_sqs_queue_redrive_policy")).map(
      (r) => JSON.parse(String(r.redrive_policy)).maxReceiveCount,
    );
    expect(redrive).toEqual([name === "prod" ? ${receives + 2} : ${receives}]);
  });

  test("an alarm on the dead-letter queue where the environment raises alarms, none elsewhere", () => {
    for (const name of environmentNames()) {
      const { e, json } = stackIn(name);
      expect(Object.keys(resourcesOf(json, "aws_cloudwatch_metric_alarm")).length > 0).toBe(e.alarms);
    }
  });
});
`,
  };
}

/** The files of a small module for a copy of the repository (tests, the benchmark's synthetic modules). */
export function bucketAndQueueModule(name: string, owner: string, maxReceiveCount: number): Record<string, string> {
  return moduleFiles({
    name,
    owner,
    description: "A private bucket and a queue with a dead-letter queue.",
    maxReceiveCount,
  });
}

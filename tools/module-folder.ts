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

/**
 * The files of a small module: a private bucket and a queue with a dead-letter queue on the
 * foundation's key, enabled everywhere, one setting that prod overrides.
 */
export function bucketAndQueueModule(name: string, owner: string, maxReceiveCount: number): Record<string, string> {
  return {
    "index.ts": `import { defineModule } from "../../stacks/module-api";
import { environments } from "./environments";
import { settings } from "./settings";

export default defineModule({
  name: "${name}",
  owner: "${owner}",
  description: "A private bucket and a queue with a dead-letter queue.",
  consumes: ["kms_key_arn"],
  image: false,
  services: ["s3", "sqs"],
  settings,
  environments,
});
`,
    "settings.ts": `import { z } from "zod";

export const settings = z.object({ maxReceiveCount: z.number().int().min(1).default(${maxReceiveCount}) }).strict();
`,
    "environments.ts": `import type { z } from "zod";
import type { ModuleEnvironments } from "../../environments/module-entries";
import type { settings } from "./settings";

export const environments: ModuleEnvironments<z.input<typeof settings>> = {
  default: { enabled: true },
  prod: { settings: { maxReceiveCount: ${maxReceiveCount + 2} } },
};
`,
    "resources.ts": `import { TerraformOutput } from "cdktf";
import { PrivateBucket } from "../../constructs/private-bucket";
import { QueueWithDeadLetter } from "../../constructs/queue";
import type { ModuleBuild } from "../../stacks/module-api";
import type declaration from ".";

export const build: ModuleBuild<typeof declaration> = ({ scope, env, settings: s, foundation, name }) => {
  const kmsKeyArn = foundation.string("kms_key_arn");
  const data = new PrivateBucket(scope, "data", {
    bucketName: name(\`data-\${env.accountId}\`),
    kmsKeyArn,
    protect: env.deletionProtection,
  });
  const work = new QueueWithDeadLetter(scope, "work", { queueName: name("work"), kmsKeyArn, maxReceiveCount: s.maxReceiveCount });
  new TerraformOutput(scope, "data_bucket_name", { value: data.bucketName });
  new TerraformOutput(scope, "work_queue_url", { value: work.queue.url });
};
`,
  };
}

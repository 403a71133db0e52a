/**
 * Bootstrap: the state bucket made, the state migrated into it, then made again from it; beside the
 * second run, a module planned against mock outputs before the foundation exists.
 */
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import {
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketVersioningCommand,
  HeadObjectCommand,
  ListBucketsCommand,
} from "@aws-sdk/client-s3";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { BOOTSTRAP_STACK, stateKey } from "../../../core/naming";
import { MOCK_REFUSAL } from "../../../stacks/foundation-ref";
import type { LocalPlatform } from "../local-platform";
import type { MainLine } from "../main-line";
import { REPO, run } from "../run";
import { local } from "../stacks";

/** A second bootstrap finds its state in the bucket and changes nothing. */
async function bootstrapAgain({ bootstrap }: LocalPlatform): Promise<void> {
  const again = await bootstrap([]);
  expect(again.code).toBe(0);
  expect(again.output).toContain("state object: present");
  expect(again.output).toMatch(/No changes|0 added, 0 changed, 0 destroyed/);
}

/** A module stack plans against mock foundation outputs; its apply is refused; drift says "not deployed". */
async function planBeforeFoundation({ tools, s3 }: LocalPlatform): Promise<void> {
  const [stack, neverDeployed] = [local("file-processing"), local("data-pipeline")];
  const out = join(REPO, ".e2e", "plans");
  const plan = await run(
    "npm",
    ["run", "--silent", "plan", "--", stack, "--mock-foundation=if-missing", "--out", out],
    { env: tools, log: "plan-mock.log" },
  );
  expect(plan.code).toBe(2);
  expect(plan.output).toContain("Planned against **mock foundation outputs**");
  expect(plan.output).toMatch(new RegExp(`### \`${stack}\`: \\d+ to create, 0 to update, 0 to replace, 0 to destroy`));
  const apply = await run(tools.TERRAFORM_BINARY_NAME!, ["apply", "-input=false", join(out, `${stack}.tfplan`)], {
    cwd: join(out, "cdktf.out", "stacks", stack),
    env: tools,
    log: "plan-mock.log",
  });
  expect(apply.code).not.toBe(0);
  expect(apply.output).toContain(MOCK_REFUSAL);
  const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name);
  expect(buckets.filter((b) => b?.includes("file-processing"))).toEqual([]);
  // A stack that was never deployed is not drift.
  const drift = await run(
    "npm",
    ["run", "--silent", "drift", "--", neverDeployed, "--out", join(REPO, ".e2e", "drift-before")],
    { env: tools, log: "drift.log" },
  );
  expect({ code: drift.code, output: drift.output }).toEqual({
    code: 0,
    output: expect.stringContaining(`### \`${neverDeployed}\`: not deployed (no state yet), nothing to compare`),
  });
}

export function bootstrapPhase(main: MainLine, platform: LocalPlatform): void {
  const { env, s3, dynamo, bootstrap, lockObjects } = platform;

  main.step("bootstrap applies, then migrates its state into the bucket it created", async () => {
    const first = await bootstrap([]);
    expect({ code: first.code, tail: first.code === 0 ? "" : first.output.slice(-3000) }).toEqual({
      code: 0,
      tail: "",
    });
    await s3.send(new HeadObjectCommand({ Bucket: env.state.bucket, Key: stateKey(env, BOOTSTRAP_STACK) }));
    expect(existsSync(join(REPO, ".bootstrap", "local.tfstate"))).toBe(false);
  });

  main.step("state bucket is versioned and KMS-encrypted; locks are S3 objects, no lock table", async () => {
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: env.state.bucket }));
    expect(versioning.Status).toBe("Enabled");
    const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: env.state.bucket }));
    expect(
      encryption.ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    ).toBe("aws:kms");
    const logging = await s3.send(new GetBucketLoggingCommand({ Bucket: env.state.bucket }));
    expect(logging.LoggingEnabled).toMatchObject({ TargetBucket: env.state.accessLogBucket, TargetPrefix: "state/" });
    expect(env.state.locking).toBe("s3");
    expect((await dynamo.send(new ListTablesCommand({}))).TableNames ?? []).not.toContain("acme-local-tflock");
    expect(await lockObjects()).toEqual([]);
  });

  main.step(
    "bootstrap is idempotent (a second run re-applies from the bucket); beside it, before the foundation exists, a module plans against mock outputs and its apply is refused",
    async () => {
      // Neither touches what the other reads: the second bootstrap plans no change, and the module's
      // plan reads only the foundation's state key, absent until the foundation is deployed.
      await Promise.all([bootstrapAgain(platform), planBeforeFoundation(platform)]);
    },
  );
}

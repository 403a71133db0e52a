/**
 * A second environment's life beside the main line, on the scratch emulator with the other engine:
 * the move from DynamoDB locks to S3 locks (README runbook), then a full cycle.
 */
import { CDKTF_TS } from "../../helpers";
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { BOOTSTRAP_STACK, FOUNDATION_STACK, stateKey } from "../../../core/naming";
import { type Engine, engineOf } from "../../../scripts/lib/engine";
import { type LocalPlatform, SCRATCH_ENDPOINT } from "../local-platform";
import { applyAgainstHeldLock } from "../locks";
import { REPO, must, phase, run } from "../run";
import { local } from "../stacks";

/** Locks held now in a lock table (DynamoDB locking): LockIDs of items that carry lock info, not digests. */
async function lockItems(client: DynamoDBClient, table: string): Promise<string[]> {
  const items = await client.send(new ScanCommand({ TableName: table }));
  return (items.Items ?? [])
    .filter((i) => i.Info?.S)
    .map((i) => i.LockID.S!)
    .sort();
}

/**
 * The engine of the cycle beside the main line: HashiCorp Terraform where a `terraform` binary is on
 * PATH, else the toolchain's OpenTofu (the main line's engine).
 */
export function otherEngine(tools: NodeJS.ProcessEnv): Engine {
  try {
    return engineOf("terraform");
  } catch {
    return engineOf(tools.TERRAFORM_BINARY_NAME);
  }
}

/**
 * A second environment's life on the scratch emulator with the other engine, through the project's
 * own commands: README's runbook for moving from DynamoDB locks to S3 locks (bootstrap with the lock
 * table, then "both", then "s3" with the table kept, then without it; in each mode an apply waiting
 * at its prompt holds exactly that mode's locks, a second apply fails on them, and nothing stays
 * locked after), then the foundation, one module, a no-change plan of both, and destroy.
 */
export async function otherEngineCycle({ env, aws, tools, lockObjects }: LocalPlatform, engine: Engine): Promise<void> {
  const label = `${engine.name} ${engine.version}`;
  const work = join(REPO, ".e2e", "engine");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const scratch = { ...aws, endpoint: SCRATCH_ENDPOINT };
  const scratchS3 = new S3Client(scratch);
  const scratchDynamo = new DynamoDBClient(scratch);
  const table = "acme-local-tflock";
  const key = stateKey(env, BOOTSTRAP_STACK);
  const outdir = join(work, "cdktf.out");
  const stateDir = join(outdir, "stacks", local(BOOTSTRAP_STACK));
  const at = {
    ...tools,
    TERRAFORM_BINARY_NAME: engine.binary,
    TF_CMD: engine.binary,
    // The garbage collector setting the toolchain's engine wrapper gives OpenTofu and its providers.
    GOGC: process.env.GOGC ?? "800",
    // The local cluster is the main line's: this environment's module deploys no workloads into it.
    PLATFORM_LOCAL_KUBECONFIG: "off",
    AWS_ENDPOINT_URL: SCRATCH_ENDPOINT,
    CDKTF_OUTDIR: outdir,
    PLATFORM_BOOTSTRAP_STATE_DIR: join(work, "state"),
  };
  const log = "engine-cycle.log";
  const tables = async () => (await scratchDynamo.send(new ListTablesCommand({}))).TableNames ?? [];
  const bootstrapWith = async (mode: NodeJS.ProcessEnv, args: string[] = []) => {
    const output = (await must("bash", ["scripts/bootstrap.sh", "local", ...args], { env: { ...at, ...mode }, log }))
      .output;
    expect(output).toContain(`engine: ${engine.name} v${engine.version}`);
    return output;
  };
  const cdktfHere = async (args: string[]) => {
    const output = (await must(process.execPath, [...CDKTF_TS, ...args, "--output", outdir], { env: at, log })).output;
    expect(output).toContain(`engine: ${engine.name} v${engine.version}`);
  };
  const locksHeld = async () => ({
    objects: await lockObjects(scratchS3),
    items: (await tables()).includes(table) ? await lockItems(scratchDynamo, table) : [],
  });
  /** What an apply holds while it waits at its prompt; a second apply meanwhile must fail on the lock. */
  const heldDuringApply = async () => {
    const { held, second, firstOutput } = await applyAgainstHeldLock({
      cwd: stateDir,
      env: at,
      replace: "aws_kms_alias.state-key-alias",
      logs: [log, log],
      whileHeld: locksHeld,
    });
    expect({ code: second.code, locked: second.output.includes("Error acquiring the state lock") }).toEqual({
      code: 1,
      locked: true,
    });
    expect(firstOutput).toContain("Apply cancelled");
    return held;
  };
  const nothingHeld = async () => expect(await locksHeld()).toEqual({ objects: [], items: [] });
  const tableLock = `${env.state.bucket}/${key}`;
  const objectLock = `${key}.tflock`;

  await phase(
    `(beside) ${label}: a lock table made by hand adopted by import, then locks moved from DynamoDB to S3 by the README runbook`,
    async () => {
      // 1. An environment as it was: locks in the table. The table was made by hand before bootstrap
      // existed (the seed's "Table already exists"): bootstrap adopts it through an import block.
      await scratchDynamo.send(
        new CreateTableCommand({
          TableName: table,
          BillingMode: "PAY_PER_REQUEST",
          KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
          AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
        }),
      );
      const byHand = { TableName: table, Key: { LockID: { S: "made-by-hand" } } };
      await scratchDynamo.send(new PutItemCommand({ ...byHand, Item: byHand.Key }));
      const adopted = await bootstrapWith({
        PLATFORM_LOCAL_LOCKING: "dynamodb",
        PLATFORM_LOCAL_IMPORTS: JSON.stringify({ bootstrap: { "lock-table": table } }),
      });
      expect(adopted).toMatch(/Resources: 1 imported, \d+ added, 1 changed, 0 destroyed/);
      expect(adopted).toContain(`state locking: dynamodb; the lock table ${table} holds every stack's lock`);
      // The same table, now encrypted with the state key: the item made by hand is still in it.
      expect((await scratchDynamo.send(new GetItemCommand(byHand))).Item).toEqual(byHand.Key);
      expect(
        (await scratchDynamo.send(new DescribeTableCommand({ TableName: table }))).Table?.SSEDescription,
      ).toMatchObject({ Status: "ENABLED", SSEType: "KMS" });
      await scratchDynamo.send(new DeleteItemCommand(byHand));
      // The import is needed once: the bootstraps below run without it.
      expect(await heldDuringApply()).toEqual({ objects: [], items: [tableLock] });
      await nothingHeld();
      // 2. Both: every lock is taken in S3 and in the table, so runs on either setting exclude each other.
      expect(await bootstrapWith({ PLATFORM_LOCAL_LOCKING: "both" })).toContain("state locking: both;");
      expect(await heldDuringApply()).toEqual({ objects: [objectLock], items: [tableLock] });
      await nothingHeld();
      // 3. S3 only, the table kept (it protects nothing now).
      expect(await bootstrapWith({ PLATFORM_LOCAL_LOCKING: "s3", PLATFORM_LOCAL_LOCK_TABLE: table })).toContain(
        `The lock table ${table} protects nothing now`,
      );
      expect(await tables()).toContain(table);
      expect(await heldDuringApply()).toEqual({ objects: [objectLock], items: [] });
      await nothingHeld();
      // 4. The table goes.
      expect(await bootstrapWith({ PLATFORM_LOCAL_LOCKING: "s3" })).toContain("no lock table");
      expect(await tables()).not.toContain(table);
    },
  );
  await phase(`(beside) ${label}: foundation and a module deployed, a no-change plan, destroyed`, async () => {
    const [foundation, fileProcessing] = [local(FOUNDATION_STACK), local("file-processing")];
    await cdktfHere(["deploy", foundation, "--auto-approve"]);
    await cdktfHere(["deploy", fileProcessing, "--auto-approve"]);
    const plan = await run(
      "npm",
      ["run", "--silent", "plan", "--", `${foundation},${fileProcessing}`, "--out", join(work, "plans")],
      { env: at, log },
    );
    expect({ code: plan.code, engine: plan.output.includes(`engine: ${label}`) }).toEqual({ code: 0, engine: true });
    expect(plan.output).toContain(`### \`${foundation}\`: no changes`);
    expect(plan.output).toContain(`### \`${fileProcessing}\`: no changes`);
    await cdktfHere(["destroy", fileProcessing, "--auto-approve"]);
    await cdktfHere(["destroy", foundation, "--auto-approve"]);
    await bootstrapWith({ PLATFORM_LOCAL_LOCKING: "s3" }, ["--destroy"]);
  });
}

import { platformInputs } from "../../packages";
/**
 * End to end against the local emulator and the local Kubernetes cluster with the real toolchain:
 * bootstrap with state migration, cdktf deploy (parallel modules, their workloads on the cluster) and
 * tflocal, resource checks with the AWS SDK and kubectl, no-change plans,
 * the pull-request workflow rehearsed with the read-only role under enforced IAM, lock safety, state
 * restore, destroy in reverse layer order and a clean emulator afterwards.
 *
 * Work that needs neither the deployed platform nor the main emulator runs beside the main line, on
 * a scratch emulator of its own (the plan-summary fixture, the prevent_destroy guard), on LocalStack
 * (its lane, localstack.ts) or on no emulator at all (tofu validate of every stack); their steps at
 * the end wait for them.
 */
import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { DescribeRepositoriesCommand, ECRClient } from "@aws-sdk/client-ecr";
import { DescribeStreamSummaryCommand, KinesisClient, ListStreamsCommand } from "@aws-sdk/client-kinesis";
import {
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  CopyObjectCommand,
  GetObjectCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetTopicAttributesCommand, SNSClient } from "@aws-sdk/client-sns";
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { App } from "cdktf";
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnvironments } from "../../environments";
import { sdkConfig } from "../../scripts/aws";
import { type Engine, engineOf } from "../../scripts/lib/engine";
import type { StackDrift } from "../../review/drift";
import { BootstrapStack } from "../../stacks/bootstrap-stack";
import { MOCK_REFUSAL } from "../../stacks/foundation-ref";
import { savedPlanKey, stateKey } from "../../core/naming";
import { type GithubStub, startGithubStub } from "../github-stub";
import { expectRenderedPlan } from "../review/plan-assertions";
import { leftovers } from "./leftovers";
import { localstackLane } from "./localstack";
import { applyAgainstHeldLock, stateLockObjects } from "./locks";
import { expectLandingApplied } from "./data-pipeline";
import {
  expectApiRefusals,
  expectServedApiResources,
  expectWorkloadsApplied,
  kubectl,
  kubernetesLeftovers,
} from "./kubernetes";
import { seeded } from "./seed";
import { expectMlPlatformApplied } from "./ml-platform";
import { motoUserPasswords, secretValues, stateObjectsHolding } from "./secrets-in-state";
import { expectFrontendApplied, expectOrderTrackingApplied } from "./order-tracking";
import { planFixture } from "./plan-fixture";
import { rehearsal } from "./rehearsal";
import { reviewedApply } from "./reviewed-apply";
import { REPO, lowPriority, must, phase, run, timings, toolchainEnv } from "./run";

const env = loadEnvironments(platformInputs({}), "local")[0];
const tools = toolchainEnv();
const OUT = join(REPO, "cdktf.out", "stacks");
/** In registry order (packages/index.ts), the order `local-*` selects them in. */
const MODULE_STACKS = ["local-file-processing", "local-data-pipeline", "local-order-tracking", "local-ml-platform"];
/** One module goes through tflocal to prove the JSON works there too; cdktf deploys the others. */
const TFLOCAL_STACK = "local-order-tracking";
const CDKTF_MODULES = MODULE_STACKS.filter((s) => s !== TFLOCAL_STACK);
/** tflocal works in the stack's directory of a synth of its own, so cdktf may synthesize beside it. */
const TFLOCAL_OUT = join(REPO, ".e2e", "tflocal");
const TFLOCAL_DIR = join(TFLOCAL_OUT, "stacks", TFLOCAL_STACK);
const ALL_STACKS = ["local-bootstrap", "local-foundation", ...MODULE_STACKS];
/**
 * The module stacks with SQS queues. The provider confirms a queue's deletion with fifteen "gone"
 * answers in a row (2m9s, on AWS too), so their destroy is the longest; it starts right after the
 * drift step, and the lock and restore checks run on ml-platform beside it.
 */
const QUEUE_STACKS = ["local-file-processing", "local-data-pipeline"];
/** The stack the lock and restore checks use while the queue stacks are destroyed. */
const LOCK_STACK = "local-ml-platform";
/** A second emulator for work that needs none of the main line's resources. */
const SCRATCH = { port: "4567", dir: join(process.env.HOME ?? "/tmp", ".cache", "cdktf-platform", "emulator-scratch") };
const SCRATCH_ENDPOINT = `http://127.0.0.1:${SCRATCH.port}`;

const aws = sdkConfig(env);
const s3 = new S3Client(aws);

const TERRAIN = join(REPO, ".e2e", "terrain");

/**
 * README's "Moving to CDK Terrain" rehearsal, as a team runs it: on the current Node (the machine's
 * may be older than cdktn needs), with the toolchain's engine and provider mirror for `cdktn get`.
 */
async function terrainRehearsal(): Promise<string> {
  const node = (await must("bash", [join(REPO, "local", "node.sh")], { log: "terrain.log" })).output
    .trim()
    .split("\n")
    .pop()!;
  const rehearsal = await must("npm", ["run", "--silent", "terrain-rehearsal", "--", "--out", TERRAIN], {
    env: { ...tools, PATH: `${node}:${tools.PATH ?? process.env.PATH}` },
    log: "terrain.log",
  });
  return rehearsal.output;
}

/** Credentials of a role, through the emulator's STS, the way configure-aws-credentials gets them. */
async function assumeRole(roleArn: string, session: string): Promise<NodeJS.ProcessEnv> {
  const sts = new STSClient({ region: env.region, endpoint: env.endpoint });
  const { Credentials } = await sts.send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: roleArn,
      RoleSessionName: session,
      WebIdentityToken: "emulator-does-not-verify-tokens",
    }),
  );
  return {
    AWS_ACCESS_KEY_ID: Credentials!.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: Credentials!.SecretAccessKey,
    AWS_SESSION_TOKEN: Credentials!.SessionToken,
  };
}
const dynamo = new DynamoDBClient(aws);
const ec2 = new EC2Client(aws);
const sqs = new SQSClient(aws);
// The Kinesis client defaults to HTTP/2, which the emulator does not speak.
const kinesis = new KinesisClient({ ...aws, requestHandler: new NodeHttpHandler() });

const tofu = (dir: string, args: string[], log: string, input?: string, extraEnv: NodeJS.ProcessEnv = {}) =>
  run(tools.TERRAFORM_BINARY_NAME!, args, {
    cwd: dir.startsWith("/") ? dir : join(OUT, dir),
    env: { ...tools, ...extraEnv },
    log,
    input,
  });
/** cdktf through the project's wrapper: toolchain env, single-layer runs, no registry lock. */
const cdktf = (args: string[], log: string) =>
  run("bash", [join(REPO, "scripts", "cdktf.sh"), ...args], { env: tools, log });
const mustCdktf = (args: string[], log: string) =>
  must("bash", [join(REPO, "scripts", "cdktf.sh"), ...args], { env: tools, log });
// tflocal points S3 at s3.localhost.localstack.cloud, a name only public DNS resolves; the emulator's
// loopback address works without it (local/README.md, "tflocal").
const tflocalEnv = {
  ...tools,
  TF_CMD: tools.TERRAFORM_BINARY_NAME,
  AWS_ENDPOINT_URL: env.endpoint,
  S3_HOSTNAME: new URL(env.endpoint!).hostname,
};
const emulator = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
  must("bash", [join(REPO, "local", "emulator.sh"), ...args], { env: extraEnv, log: "emulator.log" });
/** The local Kubernetes cluster (the built control plane here), where the module stacks deploy their workloads. */
const cluster = (action: string) =>
  must("bash", [join(REPO, "local", "cluster.sh"), action], { env: tools, log: "cluster.log" });
const scratchEmulator = (action: string) =>
  emulator([action], { EMULATOR: "moto", EMULATOR_PORT: SCRATCH.port, EMULATOR_DIR: SCRATCH.dir });
/** Bootstrap with OpenTofu's debug log kept, so a state-migration failure can be explained afterwards. */
let bootstrapRuns = 0;
const bootstrap = (args: string[]) =>
  run("bash", ["scripts/bootstrap.sh", "local", ...args], {
    env: {
      ...tools,
      TF_LOG: "debug",
      TF_LOG_PATH: join(REPO, ".e2e", "logs", `bootstrap-tofu-${++bootstrapRuns}.log`),
    },
    log: "bootstrap.log",
  });

/** Steps depend on each other: after a failure the rest report it instead of piling up noise. */
let broken: string | undefined;
function step(name: string, body: () => Promise<void>, timeoutSeconds = 900) {
  test(
    name,
    async () => {
      if (broken) throw new Error(`not run: earlier step "${broken}" failed`);
      try {
        await phase(name, body);
      } catch (e) {
        broken = name;
        throw e;
      }
    },
    timeoutSeconds * 1000,
  );
}

/**
 * Work started now that runs beside the main line, its commands at low CPU priority (lowPriority);
 * `awaited` later fails with its error.
 */
function beside<T>(name: string, body: () => Promise<T>): { awaited: () => Promise<T> } {
  return startedNow(`(beside) ${name}`, () => lowPriority(body));
}

/** Main-line work started now, at the main line's priority, that later steps run beside. */
function alongside<T>(name: string, body: () => Promise<T>): { awaited: () => Promise<T> } {
  return startedNow(`(alongside) ${name}`, body);
}

function startedNow<T>(label: string, body: () => Promise<T>): { awaited: () => Promise<T> } {
  const started = phase(label, body);
  started.catch(() => undefined); // reported when awaited, not as an unhandled rejection
  return { awaited: () => started };
}

/** Locks held now in a state bucket (S3 locking), by default the main line's. */
const lockObjects = (client = s3, bucket = env.state.bucket) => stateLockObjects(client, bucket);

/** The locks of these stacks held now (other stacks may be locked by work beside them). */
async function locksOf(stacks: string[]): Promise<string[]> {
  const mine = new Set(stacks.map((s) => `${stateKey(env, s.replace(/^local-/, ""))}.tflock`));
  return (await lockObjects()).filter((k) => mine.has(k));
}

/** The address of the one resource of `type` under construct `id` in a synthesized stack of cdktf.out. */
function addressIn(stack: string, type: string, id: string): string {
  const json = JSON.parse(readFileSync(join(OUT, stack, "cdk.tf.json"), "utf8")) as {
    resource: Record<string, Record<string, unknown>>;
  };
  const found = Object.keys(json.resource[type] ?? {}).filter((name) => name.startsWith(`${id}_`));
  if (found.length !== 1) throw new Error(`expected one ${type} under ${id} in ${stack}, found ${found.length}`);
  return `${type}.${found[0]}`;
}

/** Locks held now in a lock table (DynamoDB locking): LockIDs of items that carry lock info, not digests. */
async function lockItems(client: DynamoDBClient, table: string): Promise<string[]> {
  const items = await client.send(new ScanCommand({ TableName: table }));
  return (items.Items ?? [])
    .filter((i) => i.Info?.S)
    .map((i) => i.LockID.S!)
    .sort();
}

const stateObject = async (stack: string) =>
  JSON.parse(
    await (
      await s3.send(new GetObjectCommand({ Bucket: env.state.bucket, Key: stateKey(env, stack) }))
    ).Body!.transformToString(),
  );

let besides: Record<
  "fixture" | "guard" | "validate" | "engine" | "kubernetes" | "localstack" | "terrain",
  { awaited: () => Promise<unknown> }
>;
let queueStacksDestroyed: { awaited: () => Promise<unknown> } | undefined;
const ENGINE = otherEngine();

beforeAll(async () => {
  await emulator(["stop"]);
  await emulator(["start"]);
  await cluster("stop");
  const started = await cluster("start");
  timings.push({
    phase: `local cluster started (${/control plane ready in [\d.]+ s/.exec(started.output)?.[0] ?? "?"})`,
    seconds: started.seconds,
  });
  await scratchEmulator("stop");
  // The scratch emulator serves only the work beside the main line: it runs at that work's priority.
  await lowPriority(() => scratchEmulator("start"));
  for (const stack of ALL_STACKS) rmSync(join(OUT, stack), { recursive: true, force: true });
  rmSync(join(REPO, ".bootstrap", "local.tfstate"), { force: true });
  rmSync(join(REPO, ".e2e", "tflocal"), { recursive: true, force: true });
  besides = {
    terrain: beside("CDK Terrain rehearsal (npm run terrain-rehearsal on Node 24)", terrainRehearsal),
    fixture: beside("plan summary of a real create/update/replace/destroy plan (scratch emulator)", () =>
      planFixture(tools, SCRATCH_ENDPOINT),
    ),
    guard: beside("prevent_destroy bootstrap refuses destroy (scratch emulator)", guardRefusesDestroy),
    validate: beside("synth all environments + tofu validate every stack", validateEveryStack),
    engine: beside(`${ENGINE.name} ${ENGINE.version}: locking move and a full cycle (scratch emulator)`, () =>
      otherEngineCycle(ENGINE),
    ),
    localstack: beside("LocalStack lane (127.0.0.1:4569)", () => localstackLane(tools)),
    kubernetes: beside(
      "Kubernetes: the kinds served as listed; what the API refuses names object and field",
      async () => {
        await expectServedApiResources(tools);
        await expectApiRefusals(tools);
      },
    ),
  };
}, 120_000);

afterAll(async () => {
  // Whatever failed, wait for the work beside the main line before the emulators go.
  await Promise.allSettled([...Object.values(besides ?? {}), queueStacksDestroyed].map((b) => b?.awaited()));
  await run("bash", [join(REPO, "local", "emulator.sh"), "stop"], { log: "emulator.log" });
  await run("bash", [join(REPO, "local", "cluster.sh"), "stop"], { env: tools, log: "cluster.log" });
  await run("bash", [join(REPO, "local", "emulator.sh"), "stop"], {
    env: { EMULATOR: "moto", EMULATOR_PORT: SCRATCH.port, EMULATOR_DIR: SCRATCH.dir },
    log: "emulator.log",
  });
  // The emulators' request logs (one line per request, with the SDK's attempt counter) stay with the run's logs.
  for (const [dir, name] of [
    [join(process.env.HOME ?? "/tmp", ".cache", "cdktf-platform", "emulator"), "emulator-requests.log"],
    [SCRATCH.dir, "scratch-emulator-requests.log"],
  ]) {
    if (existsSync(join(dir, "requests.log")))
      copyFileSync(join(dir, "requests.log"), join(REPO, ".e2e", "logs", name));
  }
  console.log(
    ["e2e phase timings (s):", ...timings.map((t) => `  ${t.phase.padEnd(78)} ${t.seconds.toFixed(1)}`)].join("\n"),
  );
}, 900_000);

/** A bootstrap synthesized with protected state (as outside local) refuses destroy at plan time. */
async function guardRefusesDestroy(): Promise<void> {
  const guarded = {
    ...env,
    name: "guard",
    endpoint: SCRATCH_ENDPOINT,
    state: {
      ...env.state,
      bucket: "acme-guard-tfstate-000000000000",
      accessLogBucket: "acme-guard-tfstate-logs-000000000000",
    },
  };
  const dir = join(REPO, ".e2e", "guard");
  rmSync(dir, { recursive: true, force: true });
  const synthGuard = (protect: boolean) => {
    const app = new App({ outdir: dir });
    new BootstrapStack(app, {
      env: { ...guarded, state: { ...guarded.state, protect } },
      localStatePath: join(dir, "guard.tfstate"),
    });
    app.synth();
    return join(dir, "stacks", "guard-bootstrap");
  };
  const stackDir = synthGuard(true);
  const guardTofu = (args: string[]) =>
    must(tools.TERRAFORM_BINARY_NAME!, args, { cwd: stackDir, env: tools, log: "guard.log" });
  await guardTofu(["init", "-input=false"]);
  await guardTofu(["apply", "-input=false", "-auto-approve"]);
  const refused = await run(tools.TERRAFORM_BINARY_NAME!, ["destroy", "-input=false", "-auto-approve"], {
    cwd: stackDir,
    env: tools,
    log: "guard.log",
  });
  expect(refused.code).not.toBe(0);
  // OpenTofu 1.10: "Instance cannot be destroyed"; 1.12 and Terraform: "Resource instance cannot be destroyed".
  expect(refused.output).toMatch(/[Ii]nstance cannot be destroyed/);
  expect(refused.output).toContain("prevent_destroy");
  const scratchS3 = new S3Client({ ...aws, endpoint: SCRATCH_ENDPOINT });
  expect((await scratchS3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name)).toContain(
    "acme-guard-tfstate-000000000000",
  );
  // Clean up the way an operator would: lift the protection in code, apply, then destroy.
  synthGuard(false);
  await guardTofu(["apply", "-input=false", "-auto-approve"]);
  await guardTofu(["destroy", "-input=false", "-auto-approve"]);
}

/**
 * The engine of the cycle beside the main line: HashiCorp Terraform where a `terraform` binary is on
 * PATH, else the toolchain's OpenTofu (the main line's engine).
 */
function otherEngine(): Engine {
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
async function otherEngineCycle(engine: Engine): Promise<void> {
  const label = `${engine.name} ${engine.version}`;
  const work = join(REPO, ".e2e", "engine");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const scratch = { ...aws, endpoint: SCRATCH_ENDPOINT };
  const scratchS3 = new S3Client(scratch);
  const scratchDynamo = new DynamoDBClient(scratch);
  const table = "acme-local-tflock";
  const key = stateKey(env, "bootstrap");
  const outdir = join(work, "cdktf.out");
  const stateDir = join(outdir, "stacks", "local-bootstrap");
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
    const output = (
      await must("bash", [join(REPO, "scripts", "cdktf.sh"), ...args, "--output", outdir], { env: at, log })
    ).output;
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
    await cdktfHere(["deploy", "local-foundation", "--auto-approve"]);
    await cdktfHere(["deploy", "local-file-processing", "--auto-approve"]);
    const plan = await run(
      "npm",
      ["run", "--silent", "plan", "--", "local-foundation,local-file-processing", "--out", join(work, "plans")],
      { env: at, log },
    );
    expect({ code: plan.code, engine: plan.output.includes(`engine: ${label}`) }).toEqual({ code: 0, engine: true });
    expect(plan.output).toContain("### `local-foundation`: no changes");
    expect(plan.output).toContain("### `local-file-processing`: no changes");
    await cdktfHere(["destroy", "local-file-processing", "--auto-approve"]);
    await cdktfHere(["destroy", "local-foundation", "--auto-approve"]);
    await bootstrapWith({ PLATFORM_LOCAL_LOCKING: "s3" }, ["--destroy"]);
  });
}

/**
 * Every stack of every environment, synthesized apart from the main line's cdktf.out, passes tofu
 * validate. Each stack directory is a child module of one root, so a single init and a single
 * validate (one provider start) check all of them; a failure names the stack's directory. Backend
 * blocks are ignored in child modules, as `init -backend=false` ignored them per stack.
 */
async function validateEveryStack(): Promise<void> {
  const work = join(REPO, ".e2e", "validate");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const out = join(work, "cdktf.out", "stacks");
  await must("node", ["-r", "./scripts/register.js", "main.ts"], {
    env: { PLATFORM_ENVIRONMENTS: "", CDKTF_OUTDIR: join(work, "cdktf.out") },
    log: "validate.log",
  });
  const stacks = readdirSync(out).sort();
  expect(stacks).toHaveLength(24);
  const root = {
    module: Object.fromEntries(stacks.map((stack) => [stack, { source: `./cdktf.out/stacks/${stack}` }])),
  };
  writeFileSync(join(work, "main.tf.json"), JSON.stringify(root, null, 2));
  await must(tools.TERRAFORM_BINARY_NAME!, ["init", "-backend=false", "-input=false", "-no-color"], {
    cwd: work,
    env: tools,
    log: "validate.log",
  });
  const validate = await run(tools.TERRAFORM_BINARY_NAME!, ["validate", "-no-color", "-json"], {
    cwd: work,
    env: tools,
    log: "validate.log",
  });
  const report = JSON.parse(validate.output.slice(validate.output.indexOf("{"))) as {
    valid: boolean;
    diagnostics: { severity: string; summary: string; detail: string; range?: { filename: string } }[];
  };
  const errors = report.diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => `${d.range?.filename ?? "?"}: ${d.summary}: ${d.detail}`);
  expect({ valid: report.valid, errors }).toEqual({ valid: true, errors: [] });
  // What validate may warn about: only the backend blocks it ignores in child modules.
  expect([...new Set(report.diagnostics.filter((d) => d.severity === "warning").map((d) => d.summary))]).toEqual([
    "Backend configuration ignored",
  ]);
}

/** A second bootstrap finds its state in the bucket and changes nothing. */
async function bootstrapAgain(): Promise<void> {
  const again = await bootstrap([]);
  expect(again.code).toBe(0);
  expect(again.output).toContain("state object: present");
  expect(again.output).toMatch(/No changes|0 added, 0 changed, 0 destroyed/);
}

/** A module stack plans against mock foundation outputs; its apply is refused; drift says "not deployed". */
async function planBeforeFoundation(): Promise<void> {
  const out = join(REPO, ".e2e", "plans");
  const plan = await run(
    "npm",
    ["run", "--silent", "plan", "--", "local-file-processing", "--mock-foundation=if-missing", "--out", out],
    { env: tools, log: "plan-mock.log" },
  );
  expect(plan.code).toBe(2);
  expect(plan.output).toContain("Planned against **mock foundation outputs**");
  expect(plan.output).toMatch(/### `local-file-processing`: \d+ to create, 0 to update, 0 to replace, 0 to destroy/);
  const apply = await run(
    tools.TERRAFORM_BINARY_NAME!,
    ["apply", "-input=false", join(out, "local-file-processing.tfplan")],
    {
      cwd: join(out, "cdktf.out", "stacks", "local-file-processing"),
      env: tools,
      log: "plan-mock.log",
    },
  );
  expect(apply.code).not.toBe(0);
  expect(apply.output).toContain(MOCK_REFUSAL);
  const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name);
  expect(buckets.filter((b) => b?.includes("file-processing"))).toEqual([]);
  // A stack that was never deployed is not drift.
  const drift = await run(
    "npm",
    ["run", "--silent", "drift", "--", "local-data-pipeline", "--out", join(REPO, ".e2e", "drift-before")],
    { env: tools, log: "drift.log" },
  );
  expect({ code: drift.code, output: drift.output }).toEqual({
    code: 0,
    output: expect.stringContaining("### `local-data-pipeline`: not deployed (no state yet), nothing to compare"),
  });
}

describe(`local environment, end to end (${engineOf(tools.TERRAFORM_BINARY_NAME).name} ${engineOf(tools.TERRAFORM_BINARY_NAME).version})`, () => {
  step("bootstrap applies, then migrates its state into the bucket it created", async () => {
    const first = await bootstrap([]);
    expect({ code: first.code, tail: first.code === 0 ? "" : first.output.slice(-3000) }).toEqual({
      code: 0,
      tail: "",
    });
    await s3.send(new HeadObjectCommand({ Bucket: env.state.bucket, Key: stateKey(env, "bootstrap") }));
    expect(existsSync(join(REPO, ".bootstrap", "local.tfstate"))).toBe(false);
  });

  step("state bucket is versioned and KMS-encrypted; locks are S3 objects, no lock table", async () => {
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

  step(
    "bootstrap is idempotent (a second run re-applies from the bucket); beside it, before the foundation exists, a module plans against mock outputs and its apply is refused",
    async () => {
      // Neither touches what the other reads: the second bootstrap plans no change, and the module's
      // plan reads only the foundation's state key, absent until the foundation is deployed.
      await Promise.all([bootstrapAgain(), planBeforeFoundation()]);
    },
  );

  step("cdktf deploys the foundation", async () => {
    await mustCdktf(["deploy", "local-foundation", "--auto-approve"], "deploy-foundation.log");
  });

  step(
    "modules: three through cdktf at once (one process per stack), one through tflocal in its synthesized directory beside them",
    async () => {
      mkdirSync(TFLOCAL_OUT, { recursive: true });
      await must("node", ["-r", "./scripts/register.js", "main.ts"], {
        env: { PLATFORM_STACKS: TFLOCAL_STACK, CDKTF_OUTDIR: TFLOCAL_OUT },
        log: "tflocal.log",
      });
      const tflocal = (async () => {
        await must("tflocal", ["init", "-input=false"], { cwd: TFLOCAL_DIR, env: tflocalEnv, log: "tflocal.log" });
        return must("tflocal", ["apply", "-input=false", "-auto-approve"], {
          cwd: TFLOCAL_DIR,
          env: tflocalEnv,
          log: "tflocal.log",
        });
      })();
      const parallel = mustCdktf(
        ["deploy", ...CDKTF_MODULES, "--auto-approve", "--parallelism", "3", "--ignore-missing-stack-dependencies"],
        "deploy-modules.log",
      );
      const [cdktfResult, tflocalResult] = await Promise.all([parallel, tflocal]);
      timings.push({
        phase: `  ${CDKTF_MODULES.length} module stacks deployed by cdktf, one process each, at once`,
        seconds: cdktfResult.seconds,
      });
      timings.push({ phase: "  1 module stack applied with tflocal", seconds: tflocalResult.seconds });
      expect(existsSync(join(TFLOCAL_DIR, "localstack_providers_override.tf"))).toBe(false);
    },
  );

  step("resources exist with the expected properties", async () => {
    const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Project", Values: ["acme"] }] }));
    expect(vpcs.Vpcs?.map((v) => v.CidrBlock)).toEqual([env.network.vpcCidr]);
    const subnets = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcs.Vpcs![0].VpcId!] }] }),
    );
    expect(subnets.Subnets).toHaveLength(env.network.azCount * 2);
    // The default security group is taken over with no rules: it denies everything.
    const defaults = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: "vpc-id", Values: [vpcs.Vpcs![0].VpcId!] },
          { Name: "group-name", Values: ["default"] },
        ],
      }),
    );
    expect(defaults.SecurityGroups?.map((g) => [g.IpPermissions, g.IpPermissionsEgress])).toEqual([[[], []]]);
    // Endpoints: what private workloads reach AWS through without NAT.
    const endpoints =
      (
        await ec2.send(
          new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcs.Vpcs![0].VpcId!] }] }),
        )
      ).VpcEndpoints ?? [];
    expect(endpoints.map((e) => `${e.VpcEndpointType} ${e.ServiceName}`).sort()).toEqual(
      ["Gateway s3", ...["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sts"].map((s) => `Interface ${s}`)]
        .map((x) => x.replace(/ (.*)$/, ` com.amazonaws.${env.region}.$1`))
        .sort(),
    );

    const work = await sqs.send(new GetQueueUrlCommand({ QueueName: "acme-local-file-processing-work" }));
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: work.QueueUrl, AttributeNames: ["RedrivePolicy"] }),
    );
    expect(JSON.parse(attrs.Attributes!.RedrivePolicy!)).toMatchObject({
      deadLetterTargetArn: expect.stringContaining("acme-local-file-processing-work-dlq"),
      maxReceiveCount: 5,
    });

    const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name);
    expect(buckets).toEqual(
      expect.arrayContaining([
        env.state.bucket,
        "acme-local-logs-000000000000",
        "acme-local-file-processing-inbox-000000000000",
        "acme-local-data-pipeline-raw-000000000000",
        "acme-local-data-pipeline-curated-000000000000",
      ]),
    );
    const repos = await new ECRClient(aws).send(new DescribeRepositoriesCommand({}));
    expect(repos.repositories?.map((r) => r.repositoryName).sort()).toEqual([
      "acme/data-pipeline",
      "acme/file-processing",
      "acme/ml-platform",
      "acme/order-tracking",
    ]);
    const streams = await kinesis.send(new ListStreamsCommand({}));
    expect(streams.StreamNames).toContain("acme-local-data-pipeline-events");

    // The environment's alerts topic, encrypted. Its alarms are switched off in local (env.alarms):
    // the emulator does not speak the CloudWatch protocol of the AWS provider (local/README.md).
    const topic = `arn:aws:sns:${env.region}:${env.accountId}:acme-local-alerts`;
    const topicAttributes =
      (await new SNSClient(aws).send(new GetTopicAttributesCommand({ TopicArn: topic }))).Attributes ?? {};
    expect(topicAttributes.KmsMasterKeyId).toMatch(/^arn:aws:kms:/);
    expect(env.alarms).toBe(false);
    expect(
      (await new CloudWatchClient(aws).send(new DescribeAlarmsCommand({ AlarmNamePrefix: "acme-local-" })))
        .MetricAlarms ?? [],
    ).toEqual([]);

    for (const stack of ["bootstrap", "foundation", ...MODULE_STACKS.map((s) => s.replace("local-", ""))]) {
      expect((await stateObject(stack)).resources.length).toBeGreaterThan(0);
    }
    expect(await lockObjects()).toEqual([]);
  });

  step(
    "Kubernetes workloads on the local cluster: namespaces with their policies, Role and binding, ConfigMaps of the foundation's and modules' values, IRSA annotations, Deployments available, Services, the CronJob, the Helm release deployed",
    async () => {
      const outputs = async (stack: string) =>
        Object.fromEntries(
          Object.entries((await stateObject(stack)).outputs as Record<string, { value: string }>).map(([k, v]) => [
            k,
            v.value,
          ]),
        );
      await expectWorkloadsApplied(tools, aws, {
        dataPipeline: await outputs("data-pipeline"),
        mlPlatform: await outputs("ml-platform"),
        fileProcessing: await outputs("file-processing"),
      });
    },
  );

  step(
    "seed data: npm run seed loads local/seed once; a second run writes objects and items again and sends nothing twice",
    async () => {
      const first = await must("npm", ["run", "--silent", "seed"], { env: tools, log: "seed.log" });
      expect(first.output).toContain(
        "local-data-pipeline: 2 object(s), 2 item(s) written, 4 secret key(s) filled, 4 record(s) and message(s) sent",
      );
      expect(first.output).toContain(
        "local-file-processing: 1 object(s), 0 item(s) written, 0 secret key(s) filled, 0 record(s) and message(s) sent",
      );
      const expected = {
        objects: [
          "samples/orders/dt=2026-11-01/orders.jsonl",
          "samples/customers/customers.csv",
          "incoming/partner-a/invoice-0001.csv",
        ],
        item: true,
        events: ["order_placed", "order_placed", "order_shipped"],
        jobs: 1,
      };
      expect(await seeded(aws)).toEqual(expected);
      const again = await must("npm", ["run", "--silent", "seed", "--", "data-pipeline"], {
        env: tools,
        log: "seed.log",
      });
      expect(again.output).toContain(
        "local-data-pipeline: 2 object(s), 2 item(s) written again, 0 secret key(s) filled; records and messages already loaded, not sent again",
      );
      expect(await seeded(aws)).toEqual(expected);
    },
  );

  step(
    "application secrets: secrets-fill generates what the platform owes (once) and leaves what a stack writes, the seed filled the keys people set, secrets-init writes each profile's env file (0600, colliding keys renamed) with what Secrets Manager holds, printing no value",
    async () => {
      const fill = () =>
        must("npm", ["run", "--silent", "secrets-fill", "--", "local"], { env: tools, log: "secrets-fill.log" });
      const filled = (await fill()).output;
      for (const line of [
        "acme-local/data-pipeline/postgres-airflow: filled POSTGRES_PASSWORD",
        "acme-local/data-pipeline/postgres-metastore: filled POSTGRES_PASSWORD",
        "acme-local/order-tracking/webhook-signing: filled WEBHOOK_SIGNING_KEY",
        "acme-local/ml-platform/redis-auth: written by its stack",
      ]) {
        expect(filled).toContain(`secrets-fill: ${line}\n`);
      }
      // A second run owes nothing: no value is replaced.
      expect((await fill()).output.match(/nothing to fill/g)).toHaveLength(3);
      const out = join(mkdtempSync(join(tmpdir(), "secrets-init-")), "local");
      const written = await must(
        "npm",
        ["run", "--silent", "secrets-init", "--", "local", "data-pipeline", "--out", out],
        { env: tools, log: "secrets-init.log" },
      );
      const file = join(out, "data-pipeline.env");
      expect(written.output).toContain(
        `secrets-init: wrote ${file} (0600): 6 variable(s) from 2 secret(s); renamed POSTGRES_USER of postgres-airflow as POSTGRES_AIRFLOW_USER`,
      );
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const secrets = new SecretsManagerClient(aws);
      const value = async (id: string) =>
        JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: id }))).SecretString!) as Record<
          string,
          string
        >;
      const airflow = await value("acme-local/data-pipeline/postgres-airflow");
      const metastore = await value("acme-local/data-pipeline/postgres-metastore");
      // Generated at apply (40 letters and digits, one per secret); the user and database came from the seed.
      expect(airflow.POSTGRES_PASSWORD).toMatch(/^[A-Za-z0-9]{40}$/);
      expect(metastore.POSTGRES_PASSWORD).not.toBe(airflow.POSTGRES_PASSWORD);
      const lines = readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l && !l.startsWith("#"));
      expect(lines).toEqual([
        "POSTGRES_AIRFLOW_USER=airflow",
        `POSTGRES_AIRFLOW_PASSWORD=${airflow.POSTGRES_PASSWORD}`,
        "POSTGRES_AIRFLOW_DB=airflow",
        "POSTGRES_METASTORE_USER=metastore",
        `POSTGRES_METASTORE_PASSWORD=${metastore.POSTGRES_PASSWORD}`,
        "POSTGRES_METASTORE_DB=metastore",
      ]);
      expect(written.output).not.toContain(airflow.POSTGRES_PASSWORD);
      const webhook = await must(
        "npm",
        ["run", "--silent", "secrets-init", "--", "local", "order-tracking", "--out", out],
        { env: tools, log: "secrets-init.log" },
      );
      const signing = (await value("acme-local/order-tracking/webhook-signing")).WEBHOOK_SIGNING_KEY;
      expect(readFileSync(join(out, "order-tracking.env"), "utf8")).toContain(`\nWEBHOOK_SIGNING_KEY=${signing}\n`);
      expect(webhook.output).not.toContain(signing);
      const refused = await run(
        "npm",
        ["run", "--silent", "secrets-init", "--", "local", "data-pipeline", "--out", join(REPO, ".e2e", "secrets")],
        { env: tools, log: "secrets-init.log" },
      );
      expect({ code: refused.code, output: refused.output }).toEqual({
        code: 1,
        output: expect.stringContaining("is inside the repository"),
      });
      expect(existsSync(join(REPO, ".e2e", "secrets"))).toBe(false);
    },
  );

  step(
    "data-pipeline's landing function: packaged code, reserved concurrency, tracing, dead-letter queue, triggered by the events stream",
    async () => {
      const stream = await kinesis.send(
        new DescribeStreamSummaryCommand({ StreamName: "acme-local-data-pipeline-events" }),
      );
      await expectLandingApplied(aws, stream.StreamDescriptionSummary!.StreamARN!);
    },
  );

  step(
    "order-tracking is applied whole: PostgreSQL, MSK Serverless with IAM, issued certificate, HTTPS load balancer and alias, Fargate service, CloudFront frontend",
    async () => {
      const outputs = Object.fromEntries(
        Object.entries((await stateObject("order-tracking")).outputs as Record<string, { value: string }>).map(
          ([k, v]) => [k, v.value],
        ),
      );
      const domains = env.modules["order-tracking"].settings as {
        service: { domain: string };
        frontend: { domain: string };
      };
      await expectOrderTrackingApplied(aws, domains.service.domain, env.dns.publicZone!, outputs);
      await expectFrontendApplied(aws, domains.frontend.domain, env.dns.publicZone!, outputs);
    },
  );

  step(
    "ml-platform: Redis encrypted at rest with the environment's key and in transit, ACL users (default off), the user's password in its secret and nowhere else, slow log",
    async () => {
      const outputs = Object.fromEntries(
        Object.entries((await stateObject("ml-platform")).outputs as Record<string, { value: string }>).map(
          ([k, v]) => [k, v.value],
        ),
      );
      const kmsKeyArn = (await stateObject("foundation")).outputs.kms_key_arn.value as string;
      await expectMlPlatformApplied(aws, kmsKeyArn, outputs, (user) => motoUserPasswords(env.endpoint!, user));
    },
  );

  step(
    "no secret value in any state: every version of every object in the state bucket is searched for every value Secrets Manager holds",
    async () => {
      const values = await secretValues(aws);
      // The generated ones at least: two database passwords, the signing key, the cache user's password.
      expect(values.filter((v) => /^[A-Za-z0-9]{40,64}$/.test(v.value)).length).toBeGreaterThanOrEqual(4);
      const found = await stateObjectsHolding(aws, env.state.bucket, values);
      expect(found.objects).toBeGreaterThanOrEqual(ALL_STACKS.length);
      expect(found.holding).toEqual([]);
    },
  );

  step("bootstrap --destroy is refused while other stacks' state is in the bucket, naming them", async () => {
    const refused = await bootstrap(["--destroy"]);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(
      `refusing to destroy the bootstrap of "local": its bucket ${env.state.bucket} still holds the state of ${MODULE_STACKS.length + 1} other stack(s)`,
    );
    for (const stack of ["local-foundation", ...MODULE_STACKS]) expect(refused.output).toContain(`  - ${stack}\n`);
    expect(refused.output).toContain("destroy refused; nothing was changed");
    await s3.send(new HeadObjectCommand({ Bucket: env.state.bucket, Key: stateKey(env, "bootstrap") }));
  });

  step("npm run plan of every stack, in parallel: each block says no changes, exit 0", async () => {
    const out = join(REPO, ".e2e", "plans-all");
    const plan = await run("npm", ["run", "--silent", "plan", "--", "local-*", "--out", out, "--parallelism", "2"], {
      env: tools,
      log: "plan-all.log",
    });
    expect({ code: plan.code, tail: plan.code === 0 ? "" : plan.output.slice(-3000) }).toEqual({ code: 0, tail: "" });
    // One block per stack, in the order selected, whatever order they finished in.
    const blocks = [...plan.output.matchAll(/^### `(local-[a-z-]+)`: no changes$/gm)].map((m) => m[1]);
    expect(blocks).toEqual(ALL_STACKS);
  });

  step(
    "reviewed-plan apply: the plan job saves the plan with the planner role (summary in the run), the apply job applies exactly it; a plan whose state changed since is refused and a new one applied; another commit's, another stack's or no plan is refused; neither the plan role nor the planner can read a saved plan",
    async () => {
      const stack = "local-ml-platform";
      const foundation = (await stateObject("foundation")).outputs;
      const rehearsal = reviewedApply("reviewed-apply.log");
      const dir = join(OUT, stack);
      const tofu = (args: string[]) =>
        must(tools.TERRAFORM_BINARY_NAME!, args, { cwd: dir, env: tools, log: "reviewed-apply.log" });
      // "The state changed": a resource replaced behind the saved plan's back, as another apply would.
      const target = (await tofu(["state", "list"])).output
        .split("\n")
        .find((a) => a.startsWith("aws_iam_role_policy."))!;
      const key = (commit: string) => savedPlanKey(env, "ml-platform", commit);
      const saved = async (commit: string) =>
        (await s3.send(new ListObjectsV2Command({ Bucket: env.state.bucket, Prefix: key(commit) }))).KeyCount ?? 0;
      /** The plan job: the planner role's credentials, IAM enforced by the emulator. */
      const planJob = async (commit = rehearsal.commit) => {
        const credentials = await assumeRole(foundation.planner_role_arn.value as string, "apply-plan-job");
        await emulator(["iam", "on"]);
        try {
          return await rehearsal.plan(
            stack,
            { ...tools, ...credentials, PLATFORM_LOCAL_CREDENTIALS: "environment" },
            commit,
          );
        } finally {
          await emulator(["iam", "off"]);
        }
      };
      /** The apply job: the apply role's credentials (configure-aws-credentials), as the saved plan's configuration expects. */
      const applyCredentials = {
        ...(await assumeRole(foundation.apply_role_arn.value as string, "apply-job")),
        PLATFORM_LOCAL_CREDENTIALS: "environment",
      };
      const applyJob = (commit = rehearsal.commit) => rehearsal.apply(stack, { ...tools, ...applyCredentials }, commit);
      try {
        // 1. Reviewed and applied: the plan (one replacement) is saved, its summary is in the run.
        await tofu(["taint", target]);
        const first = await planJob();
        expect({ code: first.code, tail: first.code === 0 ? "" : first.output.slice(-3000) }).toEqual({
          code: 0,
          tail: "",
        });
        expect(first.summary).toContain(`### \`${stack}\`: 0 to create, 0 to update, 1 to replace, 0 to destroy`);
        expect(first.summary).toContain(`Saved for commit \`${rehearsal.commit}\``);
        expect(await saved(rehearsal.commit)).toBe(1);
        // The pull requests' plan role reads state, never a saved plan; the planner writes them, reads none.
        const roles = {
          plan: await assumeRole(foundation.plan_role_arn.value as string, "pull-request-1"),
          planner: await assumeRole(foundation.planner_role_arn.value as string, "apply-plan-job"),
        };
        await emulator(["iam", "on"]);
        try {
          const reads: Record<string, string> = {};
          for (const [role, credentials] of Object.entries(roles)) {
            reads[role] = await new S3Client({
              ...aws,
              credentials: {
                accessKeyId: credentials.AWS_ACCESS_KEY_ID!,
                secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY!,
                sessionToken: credentials.AWS_SESSION_TOKEN,
              },
            })
              .send(new GetObjectCommand({ Bucket: env.state.bucket, Key: key(rehearsal.commit) }))
              .then(
                () => "read",
                (e: Error) => e.name,
              );
          }
          expect(reads).toEqual({ plan: "AccessDenied", planner: "AccessDenied" });
        } finally {
          await emulator(["iam", "off"]);
        }
        const applied = await applyJob();
        expect({ code: applied.code, tail: applied.code === 0 ? "" : applied.output.slice(-3000) }).toEqual({
          code: 0,
          tail: "",
        });
        expect(applied.output).toMatch(/Apply complete! Resources: 1 added, 0 changed, 1 destroyed\./);
        expect(await saved(rehearsal.commit)).toBe(0);

        // 2. Stale: a plan saved, then the state changes; the saved plan is refused, nothing applied.
        expect((await planJob()).summary).toContain(`### \`${stack}\`: no changes`);
        await tofu(["taint", target]);
        const stale = await applyJob();
        expect(stale.code).toBe(1);
        expect(stale.output).toContain(
          `plan-apply: the saved plan s3://${env.state.bucket}/${key(rehearsal.commit)} is stale: the state of ${stack} changed after the plan was made (another apply ran); nothing was applied. Plan again and review the new plan: npm run plan-save -- ${stack}`,
        );
        expect((await tofu(["state", "show", target])).output).toMatch(/# .* \(tainted\)/);

        // 3. What is not that commit's plan of that stack is refused before any engine runs.
        const otherCommit = await applyJob(rehearsal.nextCommit);
        expect(otherCommit.code).toBe(1);
        expect(otherCommit.output).toContain(
          `plan-apply: no saved plan of ${stack} for commit ${rehearsal.nextCommit} (s3://${env.state.bucket}/${key(rehearsal.nextCommit)}); there are plans of this stack for other commits (${rehearsal.commit}), and a plan applies only at its own: plan it first: npm run plan-save -- ${stack}; nothing was applied`,
        );
        const otherStackKey = savedPlanKey(env, "data-pipeline", rehearsal.commit);
        await s3.send(
          new CopyObjectCommand({
            Bucket: env.state.bucket,
            Key: otherStackKey,
            CopySource: `${env.state.bucket}/${key(rehearsal.commit)}`,
          }),
        );
        try {
          const otherStack = await rehearsal.apply("local-data-pipeline", { ...tools, ...applyCredentials });
          expect(otherStack.code).toBe(1);
          expect(otherStack.output).toContain(
            `plan-apply: the saved plan s3://${env.state.bucket}/${otherStackKey} was saved for ${stack} at commit ${rehearsal.commit}, not local-data-pipeline at ${rehearsal.commit}`,
          );
        } finally {
          await s3.send(new DeleteObjectCommand({ Bucket: env.state.bucket, Key: otherStackKey }));
        }

        // 4. Planned again, reviewed, applied: the state is what the code says.
        const again = await planJob();
        expect(again.summary).toContain(`### \`${stack}\`: 0 to create, 0 to update, 1 to replace, 0 to destroy`);
        const reapplied = await applyJob();
        expect({ code: reapplied.code, tail: reapplied.code === 0 ? "" : reapplied.output.slice(-3000) }).toEqual({
          code: 0,
          tail: "",
        });
        expect((await planJob()).summary).toContain(`### \`${stack}\`: no changes`);
        await s3.send(new DeleteObjectCommand({ Bucket: env.state.bucket, Key: key(rehearsal.commit) }));
      } finally {
        rehearsal.remove();
      }
    },
  );

  step("the CDK Terrain build plans the local stacks that the cdktf build deployed: no changes", async () => {
    await besides.terrain.awaited();
    const queue = [...ALL_STACKS];
    const planned: Record<string, number> = {};
    const worker = async () => {
      for (let stack = queue.shift(); stack; stack = queue.shift()) {
        const cwd = join(TERRAIN, "cdktn.out", "stacks", stack);
        await must(tools.TERRAFORM_BINARY_NAME!, ["init", "-input=false", "-no-color"], {
          cwd,
          env: tools,
          log: "terrain-plan.log",
        });
        const plan = await run(
          tools.TERRAFORM_BINARY_NAME!,
          ["plan", "-input=false", "-no-color", "-lock-timeout=120s", "-detailed-exitcode"],
          { cwd, env: tools, log: "terrain-plan.log" },
        );
        planned[stack] = plan.code;
      }
    };
    await Promise.all([worker(), worker()]);
    expect(planned).toEqual(Object.fromEntries(ALL_STACKS.map((s) => [s, 0])));
  });

  step("plain cdktf without the project's wrappers, offline: npx cdktf list and diff, no error line", async () => {
    const plain = join(REPO, ".e2e", "plain-cdktf");
    const list = await must("npx", ["cdktf", "list", "--output", plain], { env: tools, log: "plain-cdktf.log" });
    expect(ALL_STACKS.filter((s) => !list.output.includes(s))).toEqual([]);
    // A fresh working directory: cdktf runs init, then `providers lock`, which the toolchain's engine
    // answers from the provider mirror instead of a registry.
    const diff = await must("npx", ["cdktf", "diff", "local-file-processing", "--output", plain], {
      env: tools,
      log: "plain-cdktf.log",
    });
    expect(diff.output).toMatch(/No changes/);
    expect(existsSync(join(plain, "stacks", "local-file-processing", ".terraform.lock.hcl"))).toBe(true);
    expect([list.output, diff.output].join("\n")).not.toMatch(/ERROR|ENOTFOUND|checkpoint/i);
  });

  step(
    "pull-request rehearsal: affected, plans with the read-only role under enforced IAM, one comment per stack; apply with that role refused; a second push updates the comments",
    async () => {
      const github: GithubStub = await startGithubStub("acme/platform", "rehearsal-token");
      const pr = rehearsal();
      try {
        const planRole = (await stateObject("foundation")).outputs.plan_role_arn.value as string;
        // Retention of the data-pipeline stream (a real change) and a comment in the module stack class
        // (reaches every module stack, changes nothing).
        const edit = (hours: number) => (repo: string) => {
          const file = join(repo, "packages", "data-pipeline", "settings.ts");
          const before = readFileSync(file, "utf8");
          const after = before.replace(
            /streamRetentionHours: z\.number\(\)\.int\(\)\.min\(24\)\.max\(8760\)\.default\(\d+\)/,
            `streamRetentionHours: z.number().int().min(24).max(8760).default(${hours})`,
          );
          // An edit that changes nothing would rehearse a pull request without the change it is about.
          if (after === before) throw new Error(`${file}: no streamRetentionHours default to change`);
          writeFileSync(file, after);
          appendFileSync(join(repo, "stacks", "module-stack.ts"), `\n// reviewed for ${hours}h retention\n`);
        };
        const assumePlanRole = () => assumeRole(planRole, "pull-request-1");
        const workflow = async (hours: number) => {
          pr.change(`retention ${hours}h`, edit(hours));
          const credentials = await assumePlanRole();
          await emulator(["iam", "on"]);
          try {
            const planEnv = { ...tools, ...credentials, PLATFORM_LOCAL_CREDENTIALS: "environment" };
            const result = await pr.runWorkflow({
              env: { PLATFORM_ENVIRONMENTS: "local" },
              planEnv,
              githubApi: github.url,
              githubToken: "rehearsal-token",
              pr: 1,
              log: "rehearsal.log",
            });
            return { ...result, planEnv };
          } finally {
            await emulator(["iam", "off"]);
          }
        };

        const first = await workflow(48);
        expect(first.matrix.stacks).toEqual([
          "local-data-pipeline",
          "local-file-processing",
          "local-ml-platform",
          "local-order-tracking",
        ]);
        for (const [stack, plan] of first.plans)
          expect({ stack, code: plan.code, tail: plan.code === 0 ? "" : plan.output.slice(-2500) }).toEqual({
            stack,
            code: 0,
            tail: "",
          });
        expect(first.comment.output).toContain(
          "plan comments: 2 created, 0 updated, 0 unchanged, 0 deleted (4 stacks)",
        );
        const bodies = () => [...github.comments.values()].map((c) => c.body);
        expect(bodies()).toEqual(
          expect.arrayContaining([
            expect.stringMatching(
              /^<!-- cdktf-plan:local-data-pipeline:part-1 -->\n### `local-data-pipeline`: 0 to create, 1 to update, 0 to replace, 0 to destroy/,
            ),
            "<!-- cdktf-plan:no-changes -->\nNo changes: `local-file-processing`, `local-ml-platform`, `local-order-tracking`",
          ]),
        );
        expect(bodies().find((b) => b.includes("local-data-pipeline"))).toMatch(/retention_period[\s\S]*24[\s\S]*48/);

        // The saved plan, applied with the plan role: every write is refused, nothing changes.
        const stateBefore = await s3.send(
          new HeadObjectCommand({ Bucket: env.state.bucket, Key: stateKey(env, "data-pipeline") }),
        );
        const job = first.plans.get("local-data-pipeline")!.workspace;
        await emulator(["iam", "on"]);
        let apply;
        try {
          apply = await tofu(
            join(job, ".plans", "cdktf.out", "stacks", "local-data-pipeline"),
            ["apply", "-input=false", "-no-color", join(job, ".plans", "local-data-pipeline.tfplan")],
            "rehearsal-apply.log",
            undefined,
            first.planEnv,
          );
        } finally {
          await emulator(["iam", "off"]);
        }
        expect(apply.code).toBe(1);
        expect(apply.output).toMatch(
          /AccessDenied(Exception)?[\s\S]*assumed-role\/acme-local-github-plan\/pull-request-1 is not authorized to perform: kinesis:IncreaseStreamRetentionPeriod/,
        );
        const stream = await kinesis.send(
          new DescribeStreamSummaryCommand({ StreamName: "acme-local-data-pipeline-events" }),
        );
        expect(stream.StreamDescriptionSummary?.RetentionPeriodHours).toBe(24);
        expect(
          (await s3.send(new HeadObjectCommand({ Bucket: env.state.bucket, Key: stateKey(env, "data-pipeline") })))
            .ETag,
        ).toBe(stateBefore.ETag);
        expect(await lockObjects()).toEqual([]);

        // A second push: the same comments, updated in place.
        const ids = [...github.comments.keys()].sort();
        const second = await workflow(72);
        expect(second.comment.output).toContain(
          "plan comments: 0 created, 1 updated, 1 unchanged, 0 deleted (4 stacks)",
        );
        expect([...github.comments.keys()].sort()).toEqual(ids);
        expect(github.calls.filter((c) => c.startsWith("POST"))).toHaveLength(2);
        expect(bodies().find((b) => b.includes("local-data-pipeline"))).toMatch(/retention_period[\s\S]*24[\s\S]*72/);
      } finally {
        pr.remove();
        await github.close();
      }
    },
  );

  step(
    "drift: changes made behind Terraform's back are reported exactly, kept in one issue, and gone after a deploy",
    async () => {
      const github = await startGithubStub("acme/platform", "drift-token");
      // The first check's report is kept in .e2e/drift-found (README shows it), the second's in .e2e/drift-after.
      let out = join(REPO, ".e2e", "drift-found");
      const selection = MODULE_STACKS.join(",");
      const drift = () =>
        run("npm", ["run", "--silent", "drift", "--", selection, "--out", out, "--parallelism", "2"], {
          env: tools,
          log: "drift.log",
        });
      const issues = () =>
        must("npm", ["run", "--silent", "drift-issues", "--", "--repo", "acme/platform", "--dir", out], {
          env: { GITHUB_TOKEN: "drift-token", GITHUB_API_URL: github.url },
          log: "drift.log",
        });
      const reports = () =>
        (JSON.parse(readFileSync(join(out, "drift.json"), "utf8")) as { reports: StackDrift[] }).reports;
      try {
        // Someone changes the cloud by hand: a queue's visibility timeout, a bucket's tags, a removed
        // redrive policy, a deleted table; and the cluster with kubectl: the model server scaled out, a
        // value of the batch job's ConfigMap.
        const queueUrl = async (name: string) =>
          (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
        await sqs.send(
          new SetQueueAttributesCommand({
            QueueUrl: await queueUrl("acme-local-file-processing-work"),
            Attributes: { VisibilityTimeout: "900" },
          }),
        );
        const raw = "acme-local-data-pipeline-raw-000000000000";
        const tags = (await s3.send(new GetBucketTaggingCommand({ Bucket: raw }))).TagSet ?? [];
        await s3.send(
          new PutBucketTaggingCommand({
            Bucket: raw,
            Tagging: {
              TagSet: [...tags.filter((t) => t.Key !== "CostCenter"), { Key: "CostCenter", Value: "marketing" }],
            },
          }),
        );
        await sqs.send(
          new SetQueueAttributesCommand({
            QueueUrl: await queueUrl("acme-local-data-pipeline-jobs"),
            Attributes: { RedrivePolicy: "" },
          }),
        );
        await dynamo.send(new DeleteTableCommand({ TableName: "acme-local-data-pipeline-metadata" }));
        await kubectl(tools, ["scale", "deployment/ml-platform", "--namespace", "ml-platform", "--replicas=3"]);
        const region = { data: { AWS_REGION: "eu-central-1" } };
        await kubectl(tools, ["patch", "configmap/data-pipeline", "-n", "data-pipeline", "-p", JSON.stringify(region)]);

        const found = await drift();
        expect({ code: found.code, tail: found.code === 2 ? "" : found.output.slice(-3000) }).toEqual({
          code: 2,
          tail: "",
        });
        const byStack = Object.fromEntries(reports().map((r) => [r.stack, r]));
        const shape = (r: StackDrift) =>
          r.drifted.map((d) => ({
            address: d.address.replace(/_[0-9A-F]{8}$/, ""),
            action: d.action,
            attributes: d.attributes,
          }));
        expect(shape(byStack["local-file-processing"])).toEqual([
          {
            address: "aws_sqs_queue.work_queue",
            action: "update",
            attributes: ["~ visibility_timeout_seconds: 300 -> 900"],
          },
        ]);
        expect(shape(byStack["local-data-pipeline"])).toEqual([
          { address: "aws_dynamodb_table.metadata", action: "delete", attributes: [] },
          {
            address: "aws_s3_bucket.lake-raw_bucket",
            action: "update",
            attributes: ['+ tags.CostCenter = "marketing"', '~ tags_all.CostCenter: "platform" -> "marketing"'],
          },
          // The provider reads a queue without a redrive policy as a redrive-policy resource that is gone.
          { address: "aws_sqs_queue_redrive_policy.jobs_redrive", action: "delete", attributes: [] },
          {
            address: "kubernetes_config_map_v1.batch_config",
            action: "update",
            attributes: [`~ data.AWS_REGION: "${env.region}" -> "eu-central-1"`],
          },
        ]);
        expect(shape(byStack["local-ml-platform"])).toEqual([
          {
            address: "kubernetes_deployment_v1.serving_deployment",
            action: "update",
            attributes: ['~ spec[0].replicas: "1" -> "3"'],
          },
        ]);
        // The apply creates the table again, with a new ARN: the batch job's IRSA policy names it.
        expect(byStack["local-data-pipeline"].followsFromDrift?.map((a) => a.replace(/_[0-9A-F]{8}$/, ""))).toEqual([
          "aws_iam_role_policy.batch_irsa-policy",
        ]);
        expect(reports().every((r) => r.pending.length === 0)).toBe(true);
        expect((await issues()).output).toContain("drift issue local: created (#1)");
        expect(github.issues.get(1)).toMatchObject({
          state: "open",
          title: "Drift in local: 3 stacks changed outside Terraform",
        });

        // Re-applying the code of the stacks the report names puts the cloud back; the next check
        // finds nothing and closes the issue.
        const drifted = reports()
          .filter((r) => r.status === "drift")
          .map((r) => r.stack);
        expect(drifted).toEqual(["local-file-processing", "local-data-pipeline", "local-ml-platform"]);
        await mustCdktf(
          ["deploy", ...drifted, "--auto-approve", "--parallelism", "3", "--ignore-missing-stack-dependencies"],
          "drift-deploy.log",
        );
        out = join(REPO, ".e2e", "drift-after");
        const clean = await drift();
        expect({ code: clean.code, tail: clean.code === 0 ? "" : clean.output.slice(-3000) }).toEqual({
          code: 0,
          tail: "",
        });
        expect(reports().map((r) => r.status)).toEqual(MODULE_STACKS.map(() => "in-sync"));
        const replicas = await kubectl(tools, [
          "get",
          "deployment/ml-platform",
          "-n",
          "ml-platform",
          "-o",
          "jsonpath={.spec.replicas}",
        ]);
        expect(replicas.trim()).toBe("1");
        expect((await issues()).output).toContain("drift issue local: closed (#1)");
        expect(github.issues.get(1)?.state).toBe("closed");
      } finally {
        await github.close();
      }
    },
  );

  step(
    "destroy begins with the queue stacks (the provider waits 2m9s per queue); the checks below use ml-platform beside it",
    async () => {
      // Its own output directory: the cdktf runs of the next steps synthesize into cdktf.out meanwhile.
      queueStacksDestroyed = alongside("destroy of the queue stacks (file-processing, data-pipeline)", () =>
        mustCdktf(
          [
            "destroy",
            ...QUEUE_STACKS,
            "--auto-approve",
            "--parallelism",
            "2",
            "--output",
            join(REPO, ".e2e", "destroy"),
          ],
          "destroy-modules.log",
        ),
      );
    },
  );

  step("two applies of one stack at once: the second fails on the lock, state intact", async () => {
    const key = stateKey(env, "ml-platform");
    const before = await s3.send(new HeadObjectCommand({ Bucket: env.state.bucket, Key: key }));
    // The first apply plans a replacement, then waits at its approval prompt holding the lock.
    const { held, second, firstOutput } = await applyAgainstHeldLock({
      cwd: join(OUT, LOCK_STACK),
      env: tools,
      replace: addressIn(LOCK_STACK, "aws_cloudwatch_log_group", "cache_slow-log"),
      logs: ["lock-first.log", "lock-second.log"],
      whileHeld: () => locksOf([LOCK_STACK]),
    });
    expect(second.code).not.toBe(0);
    expect(second.output).toContain("Error acquiring the state lock");
    expect(second.output).toContain("PreconditionFailed");
    expect(second.output).toMatch(/Lock Info:[\s\S]*Operation: +OperationTypeApply/);
    expect(held).toEqual([`${key}.tflock`]);
    expect(firstOutput).toContain("Apply cancelled");
    const after = await s3.send(new HeadObjectCommand({ Bucket: env.state.bucket, Key: key }));
    expect(after.ETag).toBe(before.ETag);
    expect(await locksOf([LOCK_STACK])).toEqual([]);
  });

  step("a stack that fails in a multi-stack deploy leaves no other stack's lock held", async () => {
    // Another operator holds ml-platform's lock; the foundation deploys before it in the same run.
    // With S3 locking a lock is the object <state key>.tflock holding the lock info.
    const stacks = ["local-foundation", LOCK_STACK];
    const foreignLock = `${stateKey(env, "ml-platform")}.tflock`;
    const info = {
      ID: "e2e-foreign-lock",
      Operation: "OperationTypeApply",
      Who: "someone@elsewhere",
      Version: "1.10.6",
      Created: new Date().toISOString(),
      Path: "",
    };
    await s3.send(
      new PutObjectCommand({
        Bucket: env.state.bucket,
        Key: foreignLock,
        Body: JSON.stringify(info),
        IfNoneMatch: "*",
      }),
    );
    try {
      const deploy = await cdktf(
        ["deploy", ...stacks, "--auto-approve", "--ignore-missing-stack-dependencies"],
        "deploy-with-lock-held.log",
      );
      expect(deploy.code).not.toBe(0);
      expect(deploy.output).toContain("e2e-foreign-lock");
      // scripts/engine.sh, in front of the engine cdktf runs, leaves a lock that is not the run's own.
      expect(deploy.output).toContain(
        "[engine] the lock e2e-foreign-lock is not this run's own: the lock was taken by someone@elsewhere, not ",
      );
      expect(await locksOf(stacks)).toEqual([foreignLock]);
    } finally {
      await s3.send(new DeleteObjectCommand({ Bucket: env.state.bucket, Key: foreignLock }));
    }
    const plan = await tofu("local-foundation", ["plan", "-input=false", "-detailed-exitcode"], "plan-after-lock.log");
    expect(plan.code).toBe(0);
  });

  step("a previous state version restores a damaged state (README runbook)", async () => {
    const key = stateKey(env, "ml-platform");
    const address = addressIn(LOCK_STACK, "aws_cloudwatch_log_group", "cache_slow-log");
    const versions = async () =>
      ((await s3.send(new ListObjectVersionsCommand({ Bucket: env.state.bucket, Prefix: key }))).Versions ?? []).filter(
        (v) => v.Key === key,
      );
    const good = (await versions()).find((v) => v.IsLatest)!;
    // Damage: a resource dropped from state by mistake; the next plan would create it again.
    await must(tools.TERRAFORM_BINARY_NAME!, ["state", "rm", address], {
      cwd: join(OUT, LOCK_STACK),
      env: tools,
      log: "restore.log",
    });
    const damaged = await tofu(LOCK_STACK, ["plan", "-input=false", "-detailed-exitcode"], "restore.log");
    expect(damaged.code).toBe(2);
    expect((await versions()).length).toBeGreaterThan(1);
    // Runbook: fetch the last good version and push it back as the current state.
    const previous = await s3.send(
      new GetObjectCommand({ Bucket: env.state.bucket, Key: key, VersionId: good.VersionId }),
    );
    const restoredFile = join(REPO, ".e2e", "restored.tfstate");
    writeFileSync(restoredFile, await previous.Body!.transformToString());
    await must(tools.TERRAFORM_BINARY_NAME!, ["state", "push", "-force", restoredFile], {
      cwd: join(OUT, LOCK_STACK),
      env: tools,
      log: "restore.log",
    });
    const restored = await tofu(LOCK_STACK, ["plan", "-input=false", "-detailed-exitcode"], "restore.log");
    expect(restored.code).toBe(0);
  });

  step(
    "destroy in reverse layer order: the module stacks (the queue stacks since the lock checks, cdktf and tflocal), foundation, bootstrap",
    async () => {
      if (!queueStacksDestroyed) throw new Error("the queue stacks' destroy never started (its step failed)");
      await Promise.all([
        queueStacksDestroyed.awaited(),
        must("tflocal", ["destroy", "-input=false", "-auto-approve"], {
          cwd: TFLOCAL_DIR,
          env: tflocalEnv,
          log: "destroy-tflocal.log",
        }),
        mustCdktf(["destroy", LOCK_STACK, "--auto-approve"], "destroy-ml-platform.log"),
      ]);
      // Its dependants are gone now; one stack by name goes without them (scripts/cdktf.sh).
      await mustCdktf(["destroy", "local-foundation", "--auto-approve"], "destroy-foundation.log");
      const destroyed = await bootstrap(["--destroy"]);
      expect({ code: destroyed.code, tail: destroyed.code === 0 ? "" : destroyed.output.slice(-3000) }).toEqual({
        code: 0,
        tail: "",
      });
    },
  );

  step(
    "nothing the stacks created is left: buckets, tables, queues, streams, repositories, network, databases, caches, clusters, load balancers, distributions, certificates, secrets, IAM, logs, zones, keys, topics, alarms; no platform namespace in the cluster",
    async () => {
      // The API refusals beside the main line use the cluster too: their namespaces go first.
      await besides.kubernetes.awaited().catch(() => undefined);
      expect([...(await leftovers(aws)), ...(await kubernetesLeftovers(tools))]).toEqual([]);
    },
  );

  step("npm run local:down stops the emulator and the cluster, and leaves no process of either", async () => {
    // The main line's: the cluster's five processes and the emulator on 4566 (the scratch one may still serve work beside).
    const pattern = `^${tools.PLATFORM_TOOLCHAIN_DIR}/bin/(etcd|kube-apiserver|kube-controller-manager|kube-scheduler|kwok) |moto_server\\.py -H 127\\.0\\.0\\.1 -p 4566`;
    const ours = () =>
      run("bash", ["-c", 'ps -eo args= | grep -E "$0" | grep -v grep || true', pattern], { log: "cluster.log" });
    expect((await ours()).output).toMatch(/kube-apiserver/);
    await must("npm", ["run", "--silent", "local:down"], { env: tools, log: "cluster.log" });
    expect((await ours()).output.trim()).toBe("");
  });
});

describe("beside the main line", () => {
  test("CDK Terrain: the repository moved to cdktn on Node 24 installs, generates its kubernetes and helm bindings, type-checks, and synthesizes every stack; what differs from the cdktf synth is the version stamp and the providers' spelled-out sources", async () => {
    const output = (await besides.terrain.awaited()) as string;
    expect(output).toContain("[terrain] generated bindings with cdktn get: kubernetes 3.2.1, helm 3.2.0");
    expect(output).toContain("[terrain] the moved copy type-checks against cdktn");
    expect(output).toMatch(/\[terrain\] 24 stacks: 0 identical, 24 with differences;/);
    const differences = output
      .split("\n")
      .filter((l) => l.startsWith("  /"))
      .map((l) => l.replace(/\s+in .*$/, ""));
    expect(differences).toEqual([
      '  /"//"/metadata/version: "0.21.0" -> "0.24.0"',
      '  /terraform/required_providers/aws/source: "aws" -> "hashicorp/aws"',
      '  /terraform/required_providers/helm/source: "helm" -> "hashicorp/helm"',
      '  /terraform/required_providers/kubernetes/source: "kubernetes" -> "hashicorp/kubernetes"',
    ]);
  }, 900_000);

  test("plan summary of a real plan with create, update, replace, destroy and secrets", async () => {
    expectRenderedPlan(JSON.parse((await besides.fixture.awaited()) as string));
  }, 900_000);

  test("a bootstrap with protected state refuses destroy", async () => {
    await besides.guard.awaited();
  }, 900_000);

  test("every synthesized stack of every environment passes tofu validate with the mirrored providers", async () => {
    await besides.validate.awaited();
  }, 900_000);

  test("LocalStack: bootstrap with state migration, foundation, file-processing (cdktf) and data-pipeline (tflocal) with their alarms, no-change plans, the S3 lock, destroy, nothing left", async () => {
    await besides.localstack.awaited();
  }, 1_800_000);

  test("the Kubernetes kinds the pinned server serves are those listed; what the API refuses fails the apply naming object and field", async () => {
    await besides.kubernetes.awaited();
  }, 900_000);

  test(`${ENGINE.name} ${ENGINE.version}: an environment moves from DynamoDB to S3 locks without a moment unlocked (README runbook), then lives a full cycle`, async () => {
    await besides.engine.awaited();
  }, 1_800_000);
});

/**
 * End to end against the local emulator with the real toolchain: bootstrap with state migration,
 * cdktf deploy (parallel modules), tflocal, resource checks with the AWS SDK, no-change plans,
 * lock safety, destroy in reverse layer order and a clean emulator afterwards.
 */
import { DeleteItemCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, ScanCommand, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { ECRClient, DescribeRepositoriesCommand } from "@aws-sdk/client-ecr";
import { KinesisClient, ListStreamsCommand } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import {
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectVersionsCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { App } from "cdktf";
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { environmentInputs, loadEnvironments } from "../../environments";
import { sdkConfig } from "../../scripts/aws";
import { BootstrapStack } from "../../stacks/bootstrap-stack";
import { stateKey } from "../../stacks/state";
import { MOCK_REFUSAL } from "../../stacks/foundation-ref";
import { expectRenderedPlan } from "../review/plan-assertions";
import { planFixture } from "./plan-fixture";
import { REPO, must, phase, run, start, timings, toolchainEnv, waitForOutput } from "./run";

const env = loadEnvironments(environmentInputs({}), "local")[0];
const tools = toolchainEnv();
const OUT = join(REPO, "cdktf.out", "stacks");
const MODULE_STACKS = ["local-file-processing", "local-data-pipeline", "local-order-tracking"];
/** Deployed through cdktf; the last module goes through tflocal to prove the JSON works there too. */
const CDKTF_MODULES = MODULE_STACKS.slice(0, 2);
const TFLOCAL_STACK = MODULE_STACKS[2];
const ALL_STACKS = ["local-bootstrap", "local-foundation", ...MODULE_STACKS];

const aws = sdkConfig(env);
const s3 = new S3Client(aws);
const dynamo = new DynamoDBClient(aws);
const ec2 = new EC2Client(aws);
const sqs = new SQSClient(aws);
// The Kinesis client defaults to HTTP/2, which the emulator does not speak.
const kinesis = new KinesisClient({ ...aws, requestHandler: new NodeHttpHandler() });

const tofu = (dir: string, args: string[], log: string, input?: string) =>
  run(tools.TERRAFORM_BINARY_NAME!, args, { cwd: join(OUT, dir), env: tools, log, input });
/** cdktf through the project's wrapper: toolchain env, single-layer runs, no registry lock. */
const cdktf = (args: string[], log: string) => run("bash", [join(REPO, "scripts", "cdktf.sh"), ...args], { env: tools, log });
const mustCdktf = (args: string[], log: string) => must("bash", [join(REPO, "scripts", "cdktf.sh"), ...args], { env: tools, log });
const tflocalEnv = { ...tools, TF_CMD: tools.TERRAFORM_BINARY_NAME, AWS_ENDPOINT_URL: env.endpoint };

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

async function lockItems(): Promise<Record<string, string>[]> {
  const items = await dynamo.send(new ScanCommand({ TableName: env.state.lockTable }));
  return (items.Items ?? []).map((i) => Object.fromEntries(Object.entries(i).map(([k, v]) => [k, v.S ?? ""])));
}

beforeAll(async () => {
  await must("bash", [join(REPO, "local", "emulator.sh"), "stop"], { log: "emulator.log" });
  await must("bash", [join(REPO, "local", "emulator.sh"), "start"], { log: "emulator.log" });
  for (const stack of ALL_STACKS) rmSync(join(OUT, stack), { recursive: true, force: true });
  rmSync(join(REPO, ".bootstrap", "local.tfstate"), { force: true });
}, 120_000);

afterAll(async () => {
  await run("bash", [join(REPO, "local", "emulator.sh"), "stop"], { log: "emulator.log" });
  console.log(
    ["e2e phase timings (s):", ...timings.map((t) => `  ${t.phase.padEnd(60)} ${t.seconds.toFixed(1)}`)].join("\n"),
  );
});

describe("local environment, end to end", () => {
  step("bootstrap applies, then migrates its state into the bucket it created", async () => {
    await must("bash", ["scripts/bootstrap.sh", "local"], { env: tools, log: "bootstrap.log" });
    await s3.send(new HeadObjectCommand({ Bucket: env.state.bucket, Key: stateKey(env, "bootstrap") }));
    expect(existsSync(join(REPO, ".bootstrap", "local.tfstate"))).toBe(false);
  });

  step("bootstrap is idempotent: a second run re-applies from the bucket", async () => {
    const again = await must("bash", ["scripts/bootstrap.sh", "local"], { env: tools, log: "bootstrap.log" });
    expect(again.output).toContain("state object: present");
    expect(again.output).toMatch(/No changes|0 added, 0 changed, 0 destroyed/);
  });

  step("state bucket is versioned and KMS-encrypted; lock table keyed on LockID", async () => {
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: env.state.bucket }));
    expect(versioning.Status).toBe("Enabled");
    const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: env.state.bucket }));
    expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe("aws:kms");
    const logging = await s3.send(new GetBucketLoggingCommand({ Bucket: env.state.bucket }));
    expect(logging.LoggingEnabled).toMatchObject({ TargetBucket: env.state.accessLogBucket, TargetPrefix: "state/" });
    const table = await dynamo.send(new DescribeTableCommand({ TableName: env.state.lockTable }));
    expect(table.Table?.KeySchema).toEqual([{ AttributeName: "LockID", KeyType: "HASH" }]);
    expect(table.Table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
  });

  step("before the foundation exists, a module plans against mock outputs and its apply is refused", async () => {
    const out = join(REPO, ".e2e", "plans");
    const plan = await run("npm", ["run", "--silent", "plan", "--", "local-file-processing", "--mock-foundation=if-missing", "--out", out], { env: tools, log: "plan-mock.log" });
    expect(plan.code).toBe(2);
    expect(plan.output).toContain("Planned against **mock foundation outputs**");
    expect(plan.output).toMatch(/### `local-file-processing`: \d+ to create, 0 to update, 0 to replace, 0 to destroy/);
    const apply = await run(tools.TERRAFORM_BINARY_NAME!, ["apply", "-input=false", join(out, "local-file-processing.tfplan")], {
      cwd: join(out, "cdktf.out", "stacks", "local-file-processing"),
      env: tools,
      log: "plan-mock.log",
    });
    expect(apply.code).not.toBe(0);
    expect(apply.output).toContain(MOCK_REFUSAL);
    const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name);
    expect(buckets.filter((b) => b?.includes("file-processing"))).toEqual([]);
  });

  step("cdktf deploy: foundation, then independent modules in parallel", async () => {
    await mustCdktf(["deploy", "local-foundation", "--auto-approve"], "deploy-foundation.log");
    const parallel = await mustCdktf(["deploy", ...CDKTF_MODULES, "--auto-approve", "--parallelism", "2", "--ignore-missing-stack-dependencies"], "deploy-modules.log");
    timings.push({ phase: "  modules deployed in parallel (cdktf)", seconds: parallel.seconds });
  });

  step("tflocal deploys a synthesized stack directory unchanged", async () => {
    const dir = TFLOCAL_STACK;
    await must("tflocal", ["init", "-input=false"], { cwd: join(OUT, dir), env: tflocalEnv, log: "tflocal.log" });
    await must("tflocal", ["apply", "-input=false", "-auto-approve"], { cwd: join(OUT, dir), env: tflocalEnv, log: "tflocal.log" });
    expect(existsSync(join(OUT, dir, "localstack_providers_override.tf"))).toBe(false);
  });

  step("resources exist with the expected properties", async () => {
    const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Project", Values: ["acme"] }] }));
    expect(vpcs.Vpcs?.map((v) => v.CidrBlock)).toEqual([env.network.vpcCidr]);
    const subnets = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcs.Vpcs![0].VpcId!] }] }));
    expect(subnets.Subnets).toHaveLength(env.network.azCount * 2);
    // The default security group is taken over with no rules: it denies everything.
    const defaults = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcs.Vpcs![0].VpcId!] }, { Name: "group-name", Values: ["default"] }] }),
    );
    expect(defaults.SecurityGroups?.map((g) => [g.IpPermissions, g.IpPermissionsEgress])).toEqual([[[], []]]);

    const work = await sqs.send(new GetQueueUrlCommand({ QueueName: "acme-local-file-processing-work" }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: work.QueueUrl, AttributeNames: ["RedrivePolicy"] }));
    expect(JSON.parse(attrs.Attributes!.RedrivePolicy!)).toMatchObject({ deadLetterTargetArn: expect.stringContaining("acme-local-file-processing-work-dlq"), maxReceiveCount: 5 });

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
    expect(repos.repositories?.map((r) => r.repositoryName).sort()).toEqual(["acme/data-pipeline", "acme/file-processing", "acme/order-tracking"]);
    const streams = await kinesis.send(new ListStreamsCommand({}));
    expect(streams.StreamNames).toContain("acme-local-data-pipeline-events");

    for (const stack of ["bootstrap", "foundation", ...MODULE_STACKS.map((s) => s.replace("local-", ""))]) {
      const object = await s3.send(new GetObjectCommand({ Bucket: env.state.bucket, Key: stateKey(env, stack) }));
      const state = JSON.parse(await object.Body!.transformToString());
      expect(state.resources.length).toBeGreaterThan(0);
    }
    expect(await lockItems()).toEqual(expect.not.arrayContaining([expect.objectContaining({ Info: expect.any(String) })]));
  });

  step("npm run plan renders a stack's real plan and exits 0 when nothing changes", async () => {
    const out = join(REPO, ".e2e", "plans");
    const plan = await run("npm", ["run", "--silent", "plan", "--", "local-data-pipeline", "--out", out], { env: tools, log: "plan-cli.log" });
    expect({ code: plan.code, tail: plan.output.slice(-1500) }).toEqual({ code: 0, tail: expect.stringContaining("### `local-data-pipeline`: no changes") });
  });

  step("plan summary of a real plan with create, update, replace, destroy and secrets", async () => {
    expectRenderedPlan(JSON.parse(await planFixture(tools, env.endpoint!)));
  });

  step("plan of every stack shows no changes", async () => {
    for (const stack of ALL_STACKS) {
      const plan = await tofu(stack, ["plan", "-input=false", "-detailed-exitcode", "-lock-timeout=30s"], `plan-${stack}.log`);
      expect({ stack, code: plan.code, tail: plan.code === 0 ? "" : plan.output.slice(-2000) }).toEqual({ stack, code: 0, tail: "" });
    }
  });

  step("independent module stacks: serial and parallel deploy timed for the report", async () => {
    // Both stacks are up to date here, so each run is init + refresh + plan per stack: the part of
    // a deploy that every run pays, measured both ways on the same stacks.
    const serial = await mustCdktf(["deploy", ...CDKTF_MODULES, "--auto-approve", "--parallelism", "1", "--ignore-missing-stack-dependencies"], "deploy-serial.log");
    const parallel = await mustCdktf(["deploy", ...CDKTF_MODULES, "--auto-approve", "--parallelism", "2", "--ignore-missing-stack-dependencies"], "deploy-parallel.log");
    timings.push({ phase: `  no-op deploy of ${CDKTF_MODULES.length} module stacks, serial`, seconds: serial.seconds });
    timings.push({ phase: `  no-op deploy of ${CDKTF_MODULES.length} module stacks, parallel (speedup ${(serial.seconds / parallel.seconds).toFixed(2)}x)`, seconds: parallel.seconds });
  });

  step("two applies of one stack at once: the second fails on the lock, state intact", async () => {
    const dir = "local-file-processing";
    const key = stateKey(env, "file-processing");
    const before = await s3.send(new HeadObjectCommand({ Bucket: env.state.bucket, Key: key }));
    // The first apply plans a replacement, then waits at its approval prompt holding the lock.
    const first = start(tools.TERRAFORM_BINARY_NAME!, ["apply", "-input=true", "-replace=aws_sqs_queue_policy.work-policy"], {
      cwd: join(OUT, dir),
      env: tools,
      log: "lock-first.log",
    });
    await waitForOutput(first, (o) => o.includes("Enter a value:"), 120_000);
    const second = await tofu(dir, ["apply", "-input=false", "-auto-approve", "-lock-timeout=0s"], "lock-second.log");
    expect(second.code).not.toBe(0);
    expect(second.output).toContain("Error acquiring the state lock");
    expect(second.output).toMatch(/Lock Info:[\s\S]*Operation: +OperationTypeApply/);
    first.write("no\n");
    first.end();
    const firstResult = await first.done;
    expect(firstResult.output).toContain("Apply cancelled");
    const after = await s3.send(new HeadObjectCommand({ Bucket: env.state.bucket, Key: key }));
    expect(after.ETag).toBe(before.ETag);
    expect((await lockItems()).filter((i) => i.Info)).toEqual([]);
  });

  step("a stack that fails in a parallel deploy leaves no other stack's lock held", async () => {
    // Another operator holds data-pipeline's lock; file-processing deploys beside it.
    const foreignLock = {
      LockID: { S: `${env.state.bucket}/${stateKey(env, "data-pipeline")}` },
      Info: { S: JSON.stringify({ ID: "e2e-foreign-lock", Operation: "OperationTypeApply", Who: "someone@elsewhere", Version: "1.10.6", Created: new Date().toISOString(), Path: "" }) },
    };
    await dynamo.send(new PutItemCommand({ TableName: env.state.lockTable, Item: foreignLock }));
    try {
      const deploy = await cdktf(["deploy", ...CDKTF_MODULES, "--auto-approve", "--parallelism", "2", "--ignore-missing-stack-dependencies"], "deploy-with-lock-held.log");
      expect(deploy.code).not.toBe(0);
      expect(deploy.output).toContain("e2e-foreign-lock");
      const held = (await lockItems()).filter((i) => i.Info);
      expect(held.map((i) => i.LockID)).toEqual([foreignLock.LockID.S]);
    } finally {
      await dynamo.send(new DeleteItemCommand({ TableName: env.state.lockTable, Key: { LockID: foreignLock.LockID } }));
    }
    const plan = await tofu("local-file-processing", ["plan", "-input=false", "-detailed-exitcode"], "plan-after-lock.log");
    expect(plan.code).toBe(0);
  });

  step("a previous state version restores a damaged state (README runbook)", async () => {
    const dir = "local-file-processing";
    const key = stateKey(env, "file-processing");
    const address = "aws_sqs_queue_policy.work-policy";
    const versions = async () =>
      ((await s3.send(new ListObjectVersionsCommand({ Bucket: env.state.bucket, Prefix: key }))).Versions ?? []).filter((v) => v.Key === key);
    const good = (await versions()).find((v) => v.IsLatest)!;
    // Damage: a resource dropped from state by mistake; the next plan would create it again.
    await must(tools.TERRAFORM_BINARY_NAME!, ["state", "rm", address], { cwd: join(OUT, dir), env: tools, log: "restore.log" });
    const damaged = await tofu(dir, ["plan", "-input=false", "-detailed-exitcode"], "restore.log");
    expect(damaged.code).toBe(2);
    expect((await versions()).length).toBeGreaterThan(1);
    // Runbook: fetch the last good version and push it back as the current state.
    const previous = await s3.send(new GetObjectCommand({ Bucket: env.state.bucket, Key: key, VersionId: good.VersionId }));
    const restoredFile = join(REPO, ".e2e", "restored.tfstate");
    writeFileSync(restoredFile, await previous.Body!.transformToString());
    await must(tools.TERRAFORM_BINARY_NAME!, ["state", "push", "-force", restoredFile], { cwd: join(OUT, dir), env: tools, log: "restore.log" });
    const restored = await tofu(dir, ["plan", "-input=false", "-detailed-exitcode"], "restore.log");
    expect(restored.code).toBe(0);
  });

  step("a bootstrap with prevent_destroy (as outside local) refuses destroy", async () => {
    const guarded = { ...env, name: "guard", deletionProtection: true, state: { ...env.state, bucket: "acme-guard-tfstate-000000000000", accessLogBucket: "acme-guard-tfstate-logs-000000000000", lockTable: "acme-guard-tflock" } };
    const dir = join(REPO, ".e2e", "guard");
    rmSync(dir, { recursive: true, force: true });
    const synthGuard = (protect: boolean) => {
      const app = new App({ outdir: dir });
      new BootstrapStack(app, { env: { ...guarded, deletionProtection: protect }, localStatePath: join(dir, "guard.tfstate") });
      app.synth();
      return join(dir, "stacks", "guard-bootstrap");
    };
    const stackDir = synthGuard(true);
    const guardTofu = (args: string[]) => run(tools.TERRAFORM_BINARY_NAME!, args, { cwd: stackDir, env: tools, log: "guard.log" });
    expect((await guardTofu(["init", "-input=false"])).code).toBe(0);
    expect((await guardTofu(["apply", "-input=false", "-auto-approve"])).code).toBe(0);
    const refused = await guardTofu(["destroy", "-input=false", "-auto-approve"]);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain("Instance cannot be destroyed");
    expect(refused.output).toContain("prevent_destroy");
    const stillThere = (await s3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name);
    expect(stillThere).toContain("acme-guard-tfstate-000000000000");
    // Clean up the way an operator would: lift the protection in code, apply, then destroy.
    synthGuard(false);
    expect((await guardTofu(["apply", "-input=false", "-auto-approve"])).code).toBe(0);
    expect((await guardTofu(["destroy", "-input=false", "-auto-approve"])).code).toBe(0);
  });

  step("destroy in reverse layer order: modules, foundation, bootstrap", async () => {
    await must("tflocal", ["destroy", "-input=false", "-auto-approve"], { cwd: join(OUT, TFLOCAL_STACK), env: tflocalEnv, log: "destroy.log" });
    // Module stacks have no dependants: cdktf destroys its two in parallel. (Not beside tflocal:
    // cdktf synthesizes into the directory tflocal works in.)
    await mustCdktf(["destroy", ...CDKTF_MODULES, "--auto-approve", "--parallelism", "2"], "destroy.log");
    // Its dependants are gone now; one stack by name goes without them (scripts/cdktf.sh).
    await mustCdktf(["destroy", "local-foundation", "--auto-approve"], "destroy.log");
    await must("bash", ["scripts/bootstrap.sh", "local", "--destroy"], { env: tools, log: "destroy.log" });
  });

  step("nothing the stacks created is left", async () => {
    expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    expect((await dynamo.send(new ListTablesCommand({}))).TableNames ?? []).toEqual([]);
    expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []).toEqual([]);
    expect((await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Project", Values: ["acme"] }] }))).Vpcs).toEqual([]);
    expect((await new ECRClient(aws).send(new DescribeRepositoriesCommand({}))).repositories ?? []).toEqual([]);
    expect((await kinesis.send(new ListStreamsCommand({}))).StreamNames ?? []).toEqual([]);
  });
});

describe("every synthesized stack of every environment", () => {
  test("passes tofu validate with the mirrored providers", async () => {
    await phase("synth all environments + tofu validate every stack", async () => {
      await must("node", ["-r", "./scripts/register.js", "main.ts"], { env: { PLATFORM_ENVIRONMENTS: "" }, log: "validate.log" });
      const work = join(REPO, ".e2e", "validate");
      rmSync(work, { recursive: true, force: true });
      const stacks = readdirSync(OUT);
      expect(stacks).toHaveLength(20);
      const failures: string[] = [];
      for (const stack of stacks) {
        const dir = join(work, stack);
        mkdirSync(dir, { recursive: true });
        copyFileSync(join(OUT, stack, "cdk.tf.json"), join(dir, "cdk.tf.json"));
        const init = await run(tools.TERRAFORM_BINARY_NAME!, ["init", "-backend=false", "-input=false"], { cwd: dir, env: tools, log: "validate.log" });
        const validate = init.code === 0 ? await run(tools.TERRAFORM_BINARY_NAME!, ["validate", "-no-color"], { cwd: dir, env: tools, log: "validate.log" }) : init;
        if (validate.code !== 0) failures.push(`${stack}:\n${validate.output.slice(-1500)}`);
      }
      expect(failures).toEqual([]);
    });
  }, 900_000);
});

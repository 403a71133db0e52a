/**
 * The LocalStack lane: the `local` environment against LocalStack community on a port of its own,
 * installed and started the way `EMULATOR=localstack npm run local:up` does it, through the project's
 * own commands: bootstrap with its state migration, the foundation and file-processing with cdktf,
 * data-pipeline with tflocal in its synthesized directory, their alarms (which moto cannot serve), a
 * no-change plan of each, two applies of one stack at once, destroy, and nothing left.
 */
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { CDKTF_TS } from "../helpers";
import { GetObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { BOOTSTRAP_STACK, FOUNDATION_STACK, stateKey } from "../../core/naming";
import { loadEnvironments } from "../../environments";
import { platformInputs } from "../../packages";
import { sdkConfig } from "../../scripts/aws";
import { leftovers } from "./leftovers";
import { applyAgainstHeldLock, stateLockObjects } from "./locks";
import { REPO, must, phase, run } from "./run";
import { LOCAL, local, noChangeStacks } from "./stacks";

const PORT = "4569";
const ENDPOINT = `http://127.0.0.1:${PORT}`;
const log = "localstack.log";

export async function localstackLane(tools: NodeJS.ProcessEnv): Promise<void> {
  const work = join(REPO, ".e2e", "localstack");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const emulatorEnv = { EMULATOR: "localstack", EMULATOR_PORT: PORT, EMULATOR_DIR: join(work, "emulator") };
  const outdir = join(work, "cdktf.out");
  const at = {
    ...tools,
    ...emulatorEnv,
    AWS_ENDPOINT_URL: ENDPOINT,
    CDKTF_OUTDIR: outdir,
    PLATFORM_BOOTSTRAP_STATE_DIR: join(work, "state"),
  };
  const env = loadEnvironments(platformInputs(at), LOCAL)[0];
  expect({ emulator: env.emulator, endpoint: env.endpoint, alarms: env.alarms }).toEqual({
    emulator: "localstack",
    endpoint: ENDPOINT,
    alarms: true,
  });
  const aws = sdkConfig(env);
  const emulator = (action: string) =>
    must("bash", [join(REPO, "local", "emulator.sh"), action], { env: emulatorEnv, log });
  const cdktf = (args: string[]) =>
    must(process.execPath, [...CDKTF_TS, ...args, "--output", outdir], { env: at, log });
  const stackDir = (stack: string) => join(outdir, "stacks", stack);

  await emulator("stop");
  await phase("(beside) LocalStack: install (once) and start", () => emulator("start"));
  try {
    const health = (await (await fetch(`${ENDPOINT}/_localstack/health`)).json()) as {
      version: string;
      services: Record<string, string>;
    };
    expect(health.version).toMatch(/^2026\.3\.0/);
    expect(health.services).toMatchObject({ s3: expect.any(String), cloudwatch: expect.any(String) });

    await phase("(beside) LocalStack: bootstrap with its state migration, then the foundation", async () => {
      const bootstrap = await must("bash", ["scripts/bootstrap.sh", "local"], { env: at, log });
      expect(bootstrap.output).toContain("state migrated to the bucket");
      await new S3Client(aws).send(
        new HeadObjectCommand({ Bucket: env.state.bucket, Key: stateKey(env, BOOTSTRAP_STACK) }),
      );
      // The synth says once what LocalStack cannot serve and is left out.
      const foundation = await cdktf(["deploy", local(FOUNDATION_STACK), "--auto-approve"]);
      expect(foundation.output).toContain("local runs against LocalStack community 2026.3.0, which cannot serve these");
    });

    const tflocalOut = join(work, "tflocal");
    const tflocalDir = join(tflocalOut, "stacks", local("data-pipeline"));
    const tflocalEnv = { ...at, TF_CMD: tools.TERRAFORM_BINARY_NAME, S3_HOSTNAME: "127.0.0.1" };
    const tflocal = (args: string[]) => run("tflocal", args, { cwd: tflocalDir, env: tflocalEnv, log });
    /** data-pipeline through tflocal in its synthesized directory, as the seeds run LocalStack. */
    const dataPipeline = async () => {
      await must("node", ["-r", "./scripts/register.js", "main.ts"], {
        env: { ...at, PLATFORM_STACKS: local("data-pipeline"), CDKTF_OUTDIR: tflocalOut },
        log,
      });
      expect((await tflocal(["init", "-input=false"])).code).toBe(0);
      expect((await tflocal(["apply", "-input=false", "-auto-approve"])).code).toBe(0);
      // LocalStack's Kinesis (kinesis-mock) drops the tags a stream is created with; the next apply
      // adds them (AddTagsToStream), and from then on the plan is empty (local/README.md).
      const first = await tflocal(["plan", "-input=false", "-detailed-exitcode", "-no-color"]);
      expect({ code: first.code, changes: first.output.match(/# \S+ will be updated in-place/g) }).toEqual({
        code: 2,
        changes: ["# aws_kinesis_stream.events will be updated in-place"],
      });
      expect(first.output).toMatch(/\+ "Project"\s+= "acme"/);
      expect((await tflocal(["apply", "-input=false", "-auto-approve"])).code).toBe(0);
    };
    await phase("(beside) LocalStack: file-processing with cdktf, data-pipeline with tflocal beside it", () =>
      Promise.all([cdktf(["deploy", local("file-processing"), "--auto-approve"]), dataPipeline()]),
    );

    await phase("(beside) LocalStack: alarms read back; a no-change plan of every stack", async () => {
      const alarms = (
        await new CloudWatchClient(aws).send(new DescribeAlarmsCommand({ AlarmNamePrefix: "acme-local-" }))
      ).MetricAlarms;
      const topic = `arn:aws:sns:${env.region}:${env.accountId}:acme-local-alerts`;
      // LocalStack lists alarms in the order they were made, and the two stacks are deployed at once:
      // the order is not part of what is checked.
      const byName = (a: { AlarmName?: string }, b: { AlarmName?: string }) =>
        (a.AlarmName ?? "").localeCompare(b.AlarmName ?? "");
      expect([...(alarms ?? [])].sort(byName).map((a) => [a.AlarmName, a.Namespace, a.AlarmActions])).toEqual([
        ["acme-local-data-pipeline-jobs-dlq-not-empty", "AWS/SQS", [topic]],
        ["acme-local-file-processing-work-dlq-not-empty", "AWS/SQS", [topic]],
      ]);
      const stacks = [BOOTSTRAP_STACK, FOUNDATION_STACK, "file-processing", "data-pipeline"].map(local);
      const plan = await run("npm", ["run", "--silent", "plan", "--", stacks.join(","), "--out", join(work, "plans")], {
        env: at,
        log,
      });
      expect({ code: plan.code, tail: plan.code === 0 ? "" : plan.output.slice(-3000) }).toEqual({ code: 0, tail: "" });
      expect(noChangeStacks(plan.output)).toEqual(stacks);
    });

    await phase(
      "(beside) LocalStack: two applies of one stack at once, the second refused on the S3 lock",
      async () => {
        const key = stateKey(env, "file-processing");
        const s3 = new S3Client(aws);
        const before = await s3.send(new GetObjectCommand({ Bucket: env.state.bucket, Key: key }));
        const { held, second, firstOutput } = await applyAgainstHeldLock({
          cwd: stackDir(local("file-processing")),
          env: at,
          replace: "aws_sqs_queue_policy.work-policy",
          logs: [log, log],
          whileHeld: () => stateLockObjects(s3, env.state.bucket),
        });
        expect(held).toEqual([`${key}.tflock`]);
        expect({ code: second.code, locked: second.output.includes("Error acquiring the state lock") }).toEqual({
          code: 1,
          locked: true,
        });
        expect(firstOutput).toContain("Apply cancelled");
        const after = await s3.send(new GetObjectCommand({ Bucket: env.state.bucket, Key: key }));
        expect(after.ETag).toBe(before.ETag);
        expect(await stateLockObjects(s3, env.state.bucket)).toEqual([]);
      },
    );

    await phase("(beside) LocalStack: destroy in reverse layer order; nothing left", async () => {
      await Promise.all([
        cdktf(["destroy", local("file-processing"), "--auto-approve"]),
        (async () => expect((await tflocal(["destroy", "-input=false", "-auto-approve"])).code).toBe(0))(),
      ]);
      await cdktf(["destroy", local(FOUNDATION_STACK), "--auto-approve"]);
      await must("bash", ["scripts/bootstrap.sh", "local", "--destroy"], { env: at, log });
      expect(await leftovers(aws, "localstack")).toEqual([]);
    });
  } finally {
    await emulator("stop");
  }
}

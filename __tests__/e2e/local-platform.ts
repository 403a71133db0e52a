/**
 * What every phase of the local e2e works with: the local environment as the product loads it, the
 * toolchain, SDK clients on the emulator, and the project's commands as the e2e runs them.
 */
import { cacheDirs } from "../../core/cache";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CDKTF_TS } from "../helpers";
import { EC2Client } from "@aws-sdk/client-ec2";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { copyFileSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseStackId, stateKey } from "../../core/naming";
import { loadEnvironments } from "../../environments";
import { platformInputs } from "../../packages";
import { sdkConfig } from "../../scripts/aws";
import { stateLockObjects } from "./locks";
import { REPO, lowPriority, must, run, timings, toolchainEnv } from "./run";
import { ALL_STACKS, LOCAL, TFLOCAL_STACK } from "./stacks";

export const OUT = join(REPO, "cdktf.out", "stacks");
/** tflocal works in the stack's directory of a synth of its own, so cdktf may synthesize beside it. */
export const TFLOCAL_OUT = join(REPO, ".e2e", "tflocal");
export const TFLOCAL_DIR = join(TFLOCAL_OUT, "stacks", TFLOCAL_STACK);
/** A second emulator for work that needs none of the main line's resources. */
const SCRATCH = { port: "4567", dir: cacheDirs().scratchEmulator };
export const SCRATCH_ENDPOINT = `http://127.0.0.1:${SCRATCH.port}`;
const SCRATCH_ENV = { EMULATOR: "moto", EMULATOR_PORT: SCRATCH.port, EMULATOR_DIR: SCRATCH.dir };

export class LocalPlatform {
  readonly env = loadEnvironments(platformInputs({}), LOCAL)[0];
  readonly tools = toolchainEnv();
  readonly aws = sdkConfig(this.env);
  readonly s3 = new S3Client(this.aws);
  readonly dynamo = new DynamoDBClient(this.aws);
  readonly ec2 = new EC2Client(this.aws);
  readonly sqs = new SQSClient(this.aws);
  // The Kinesis client defaults to HTTP/2, which the emulator does not speak.
  readonly kinesis = new KinesisClient({ ...this.aws, requestHandler: new NodeHttpHandler() });
  // tflocal points S3 at s3.localhost.localstack.cloud, a name only public DNS resolves; the emulator's
  // loopback address works without it (local/README.md, "tflocal").
  readonly tflocalEnv = {
    ...this.tools,
    TF_CMD: this.tools.TERRAFORM_BINARY_NAME,
    AWS_ENDPOINT_URL: this.env.endpoint,
    S3_HOSTNAME: new URL(this.env.endpoint!).hostname,
  };
  private bootstrapRuns = 0;

  readonly tofu = (dir: string, args: string[], log: string, input?: string, extraEnv: NodeJS.ProcessEnv = {}) =>
    run(this.tools.TERRAFORM_BINARY_NAME!, args, {
      cwd: dir.startsWith("/") ? dir : join(OUT, dir),
      env: { ...this.tools, ...extraEnv },
      log,
      input,
    });
  /** cdktf through the project's wrapper: toolchain env, single-layer runs, no registry lock. */
  readonly cdktf = (args: string[], log: string) =>
    run(process.execPath, [...CDKTF_TS, ...args], { env: this.tools, log });
  readonly mustCdktf = (args: string[], log: string) =>
    must(process.execPath, [...CDKTF_TS, ...args], { env: this.tools, log });
  readonly emulator = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    must("bash", [join(REPO, "local", "emulator.sh"), ...args], { env: extraEnv, log: "emulator.log" });
  /** The local Kubernetes cluster (the built control plane here), where the module stacks deploy their workloads. */
  readonly cluster = (action: string) =>
    must("bash", [join(REPO, "local", "cluster.sh"), action], { env: this.tools, log: "cluster.log" });
  readonly scratchEmulator = (action: string) => this.emulator([action], SCRATCH_ENV);
  /** Bootstrap with OpenTofu's debug log kept, so a state-migration failure can be explained afterwards. */
  readonly bootstrap = (args: string[]) =>
    run("bash", ["scripts/bootstrap.sh", "local", ...args], {
      env: {
        ...this.tools,
        TF_LOG: "debug",
        TF_LOG_PATH: join(REPO, ".e2e", "logs", `bootstrap-tofu-${++this.bootstrapRuns}.log`),
      },
      log: "bootstrap.log",
    });

  /** Locks held now in a state bucket (S3 locking), by default the main line's. */
  readonly lockObjects = (client = this.s3, bucket = this.env.state.bucket) => stateLockObjects(client, bucket);

  /** The locks of these stacks held now (other stacks may be locked by work beside them). */
  readonly locksOf = async (stacks: string[]): Promise<string[]> => {
    const mine = new Set(stacks.map((s) => `${stateKey(this.env, parseStackId(s).stack)}.tflock`));
    return (await this.lockObjects()).filter((k) => mine.has(k));
  };

  /** The state of a stack of the local environment, named within it (`foundation`, a module's name). */
  readonly stateObject = async (stack: string) =>
    JSON.parse(
      await (
        await this.s3.send(new GetObjectCommand({ Bucket: this.env.state.bucket, Key: stateKey(this.env, stack) }))
      ).Body!.transformToString(),
    );

  /** Credentials of a role, through the emulator's STS, the way configure-aws-credentials gets them. */
  readonly assumeRole = async (roleArn: string, session: string): Promise<NodeJS.ProcessEnv> => {
    const sts = new STSClient({ region: this.env.region, endpoint: this.env.endpoint });
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
  };

  /** The emulators and the cluster started afresh, and what an earlier run left in the way removed. */
  async setUp(): Promise<void> {
    await this.emulator(["stop"]);
    await this.emulator(["start"]);
    await this.cluster("stop");
    const started = await this.cluster("start");
    timings.push({
      phase: `local cluster started (${/control plane ready in [\d.]+ s/.exec(started.output)?.[0] ?? "?"})`,
      seconds: started.seconds,
    });
    await this.scratchEmulator("stop");
    // The scratch emulator serves only the work beside the main line: it runs at that work's priority.
    await lowPriority(() => this.scratchEmulator("start"));
    for (const stack of ALL_STACKS) rmSync(join(OUT, stack), { recursive: true, force: true });
    rmSync(join(REPO, ".bootstrap", "local.tfstate"), { force: true });
    rmSync(join(REPO, ".e2e", "tflocal"), { recursive: true, force: true });
  }

  /** The emulators and the cluster stopped, whatever failed; their request logs kept with the run's. */
  async tearDown(): Promise<void> {
    await run("bash", [join(REPO, "local", "emulator.sh"), "stop"], { log: "emulator.log" });
    await run("bash", [join(REPO, "local", "cluster.sh"), "stop"], { env: this.tools, log: "cluster.log" });
    await run("bash", [join(REPO, "local", "emulator.sh"), "stop"], { env: SCRATCH_ENV, log: "emulator.log" });
    // The emulators' request logs (one line per request, with the SDK's attempt counter) stay with the run's logs.
    for (const [dir, name] of [
      [cacheDirs().emulator, "emulator-requests.log"],
      [SCRATCH.dir, "scratch-emulator-requests.log"],
    ]) {
      if (existsSync(join(dir, "requests.log")))
        copyFileSync(join(dir, "requests.log"), join(REPO, ".e2e", "logs", name));
    }
  }
}

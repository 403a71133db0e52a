/**
 * A lock write whose answer is lost, for real: OpenTofu against moto's server through a proxy on
 * 127.0.0.1 that carries out the first write of a lock object and then drops the connection instead
 * of answering. The SDK sends the write again, the retry fails its condition against the lock just
 * written, and the engine leaves its own lock behind. scripts/engine.sh releases such a lock and runs
 * the command again; a lock it cannot show to be the run's own stays where it is.
 */
import { cacheDirs } from "../../core/cache";
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateBucketCommand, PutBucketVersioningCommand } from "@aws-sdk/client-s3";
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { hostname, userInfo } from "node:os";
import { join } from "node:path";
import { REPO, must, run, toolchainEnv } from "./run";

const tools = toolchainEnv();
const PORT = "4568";
const DIR = cacheDirs().lockRepairEmulator;
const EMULATOR = `http://127.0.0.1:${PORT}`;
const BUCKET = "lock-repair-state";
const WORK = join(REPO, ".e2e", "lock-repair");
const me = `${userInfo().username}@${hostname()}`;
const aws = {
  region: "us-east-1",
  endpoint: EMULATOR,
  forcePathStyle: true,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
};
const s3 = new S3Client(aws);
const dynamo = new DynamoDBClient(aws);
const TABLE = "lock-repair-locks";
const emulator = (action: string) =>
  must("bash", [join(REPO, "local", "emulator.sh"), action], {
    env: { EMULATOR: "moto", EMULATOR_PORT: PORT, EMULATOR_DIR: DIR },
    log: "lock-repair.log",
  });

/** Forwards to the emulator; drops the connection after the next lock write once armed. */
class LossyProxy {
  readonly seen: string[] = [];
  private armed?: "object" | "item";
  private server?: Server;
  port = 0;

  /** The next lock write of that kind is carried out and its answer lost. */
  arm(kind: "object" | "item" = "object"): void {
    this.armed = kind;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const target = req.headers["x-amz-target"] ?? "";
        // A lock object written with If-None-Match, or a lock item put with attribute_not_exists.
        const kind =
          req.method === "PUT" && (req.url ?? "").split("?")[0].endsWith(".tflock")
            ? "object"
            : target === "DynamoDB_20120810.PutItem" && Buffer.concat(chunks).includes("attribute_not_exists(LockID)")
              ? "item"
              : undefined;
        this.seen.push(`${req.method} ${req.url} ${target || "-"} ${req.headers["amz-sdk-request"] ?? "-"}`);
        const upstream = request(`${EMULATOR}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
          const body: Buffer[] = [];
          answer.on("data", (c: Buffer) => body.push(c));
          answer.on("end", () => {
            if (kind && kind === this.armed) {
              this.armed = undefined;
              req.socket.destroy(); // the write is done; its answer is lost
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(body));
          });
        });
        upstream.end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((ok) => this.server!.listen(0, "127.0.0.1", ok));
    this.port = (this.server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    await new Promise((ok) => this.server?.close(ok));
  }
}

const proxy = new LossyProxy();

/** A working directory whose state (key) lives in the emulator's bucket, reached through the proxy. */
function workdir(name: string, table = false): string {
  const dir = join(WORK, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const endpoint = `http://127.0.0.1:${proxy.port}`;
  writeFileSync(
    join(dir, "main.tf"),
    `terraform {
  backend "s3" {
    bucket = "${BUCKET}"
    key    = "${name}/terraform.tfstate"
    region = "us-east-1"
    use_lockfile = true
    ${table ? `dynamodb_table = "${TABLE}"` : ""}
    endpoints = { s3 = "${endpoint}", dynamodb = "${endpoint}" }
    use_path_style = true
    access_key = "test"
    secret_key = "test"
    skip_credentials_validation = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
  }
}
resource "terraform_data" "run" {
  input = "${name}"
}
`,
  );
  return dir;
}

const engineEnv = { ...tools, PLATFORM_ENGINE: tools.TF_CMD };
const init = (dir: string) =>
  must(tools.TF_CMD!, ["init", "-input=false", "-no-color"], { cwd: dir, env: tools, log: "lock-repair.log" });
const apply = ["apply", "-input=false", "-no-color", "-auto-approve"];
const guarded = (dir: string) =>
  run("bash", [join(REPO, "scripts", "engine.sh"), ...apply], { cwd: dir, env: engineEnv, log: "lock-repair.log" });
const lockOf = async (name: string) => {
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${name}/terraform.tfstate.tflock` }));
    return JSON.parse(await got.Body!.transformToString()) as { ID: string; Who: string; Created: string };
  } catch (e) {
    if ((e as Error).name === "NoSuchKey") return undefined;
    throw e;
  }
};
const plant = (name: string, lock: object) =>
  s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: `${name}/terraform.tfstate.tflock`, Body: JSON.stringify(lock) }),
  );
const lockWrites = () => proxy.seen.filter((s) => s.startsWith("PUT") && s.includes(".tflock"));
const lockItem = async (name: string) =>
  (
    await dynamo.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: { LockID: { S: `${BUCKET}/${name}/terraform.tfstate` } },
        ConsistentRead: true,
      }),
    )
  ).Item;

beforeAll(async () => {
  await emulator("start");
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: "Enabled" } }));
  await dynamo.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
    }),
  );
  await proxy.start();
}, 120_000);

afterAll(async () => {
  await proxy.stop();
  await emulator("stop");
});

describe("a lock write whose answer is lost", () => {
  test("the engine alone collides with its own lock and leaves it behind", async () => {
    const dir = workdir("engine-alone");
    await init(dir);
    proxy.seen.length = 0;
    proxy.arm();
    const result = await run(tools.TF_CMD!, apply, { cwd: dir, env: tools, log: "lock-repair.log" });
    expect(result.code).toBe(1);
    expect(result.output).toContain("Error acquiring the state lock");
    // The SDK sent the same write twice: the retry found the first one's lock.
    expect(lockWrites().map((s) => s.split(" ")[3])).toEqual(["attempt=1;", "attempt=2;"]);
    const left = await lockOf("engine-alone");
    expect(left?.Who).toBe(me);
    expect(result.output).toContain(`ID:        ${left!.ID}`);
  }, 120_000);

  test("scripts/engine.sh releases the run's own lock and runs the command again", async () => {
    const dir = workdir("guarded");
    await init(dir);
    proxy.seen.length = 0;
    proxy.arm();
    const result = await guarded(dir);
    expect({ code: result.code, tail: result.code === 0 ? "" : result.output.slice(-2000) }).toEqual({
      code: 0,
      tail: "",
    });
    expect(result.output).toContain("Error acquiring the state lock");
    expect(result.output).toMatch(
      /\[engine\] the lock \S+ on lock-repair-state\/guarded\/terraform.tfstate was written by this run \(OperationTypeApply, /,
    );
    expect(result.output).toContain("Released it.");
    expect(result.output).toContain("[engine] running it again:");
    expect(result.output).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    expect(await lockOf("guarded")).toBeUndefined();
  }, 120_000);

  test("the same with a lock table (both): the table's item is the one left, and released", async () => {
    const dir = workdir("both", true);
    await init(dir);
    proxy.seen.length = 0;
    proxy.arm("item");
    const result = await guarded(dir);
    expect({ code: result.code, tail: result.code === 0 ? "" : result.output.slice(-2000) }).toEqual({
      code: 0,
      tail: "",
    });
    const puts = proxy.seen.filter((s) => s.includes("DynamoDB_20120810.PutItem") && !s.includes("-md5"));
    expect(puts.slice(0, 2).map((s) => s.split(" ")[3])).toEqual(["attempt=1;", "attempt=2;"]);
    expect(result.output).toMatch(
      /\[engine\] the lock \S+ on lock-repair-state\/both\/terraform.tfstate was written by this run/,
    );
    expect(result.output).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    expect(await lockItem("both")).toBeUndefined();
    expect(await lockOf("both")).toBeUndefined();
  }, 120_000);

  test("a lock of an earlier run stays, and the engine's failure stands", async () => {
    const dir = workdir("earlier-run");
    await init(dir);
    const earlier = {
      ID: "5e1f3a2b-0000-4000-8000-000000000001",
      Path: `${BUCKET}/earlier-run/terraform.tfstate`,
      Operation: "OperationTypeApply",
      Who: me,
      Version: "1.10.6",
      Created: new Date(Date.now() - 3_600_000).toISOString(),
      Info: "",
    };
    await plant("earlier-run", earlier);
    const result = await guarded(dir);
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      `[engine] the lock ${earlier.ID} is not this run's own: the lock was created at ${earlier.Created}, outside this run; nothing released`,
    );
    expect(result.output).not.toContain("running it again");
    expect((await lockOf("earlier-run"))?.ID).toBe(earlier.ID);
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: "earlier-run/terraform.tfstate.tflock" }));
  }, 120_000);

  test("the run's own lock stays while another process here works on the same state", async () => {
    const dir = workdir("shared");
    await init(dir);
    // A process in a directory initialized with the same state: it could be an engine holding the lock.
    const other: ChildProcess = spawn("sleep", ["120"], { cwd: dir, stdio: "ignore" });
    try {
      proxy.arm();
      const result = await guarded(dir);
      expect(result.code).toBe(1);
      expect(result.output).toContain(`other processes here work on the same state: ${other.pid} (sleep 120)`);
      expect((await lockOf("shared"))?.Who).toBe(me);
    } finally {
      other.kill();
    }
  }, 120_000);
});

// After an engine run failed with "Error acquiring the state lock": finds out whether the lock it
// collided with is the run's own, and if so releases it (scripts/engine.sh then runs the command
// again). Called only by scripts/engine.sh:
//
//   node -r ./scripts/register.js scripts/lock-repair.ts <stderr file> <run start, ns> <run end, ns>
//
// Exit 0: the run's own lock was released. 1: nothing released; the reason is printed. 2: usage.
//
// How a run collides with itself: the engine takes a lock with one conditional write, an S3 object
// written with If-None-Match or a DynamoDB item put with attribute_not_exists. When that write lands
// but its response does not arrive (a reset connection, a 5xx after the write), the AWS SDK sends the
// same write again. The retry fails its condition against the lock the first attempt wrote, and the
// engine reports that lock, its own, as held by someone else, and exits without releasing it.
// OpenTofu 1.10 to 1.12 take both kinds of lock this way, Terraform its DynamoDB lock. Every later
// run then fails on it.
//
// A lock is released here only when all of this holds:
// - the lock the engine reported is still the one stored (same ID);
// - it was written on this machine by this user (its Who), during this run (its Created);
// - no other process on this machine works in a directory whose backend is this state.
// That rules out a lock of another machine, user, earlier run or running engine.
import { readFileSync, readdirSync, readlinkSync, existsSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { join } from "node:path";

/** The lock a failed engine run printed (its Lock Info block); a lock written by hand may lack its Path. */
export interface PrintedLock {
  readonly id: string;
  readonly path?: string;
}

/** The lock as stored: the engine's LockInfo JSON. */
export interface StoredLock {
  readonly ID: string;
  readonly Path?: string;
  readonly Operation?: string;
  readonly Who?: string;
  readonly Created?: string;
}

/** The S3 backend settings that say where a state and its locks are. */
export interface BackendConfig {
  readonly bucket: string;
  readonly key: string;
  readonly region?: string;
  readonly use_lockfile?: boolean;
  readonly dynamodb_table?: string;
  readonly endpoints?: { readonly s3?: string; readonly dynamodb?: string };
  readonly endpoint?: string;
  readonly dynamodb_endpoint?: string;
  readonly use_path_style?: boolean;
  readonly force_path_style?: boolean;
  readonly access_key?: string;
  readonly secret_key?: string;
  readonly profile?: string;
}

/** The state a backend names, as a lock's Path (and a DynamoDB lock's LockID) writes it. */
const statePath = (b: BackendConfig) => `${b.bucket}/${b.key}`;

export interface OtherProcess {
  readonly pid: number;
  readonly command: string;
}

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*m/g;

/** The Lock Info of an "Error acquiring the state lock" report, or undefined when there is none. */
export function parseLockError(text: string): PrintedLock | undefined {
  const plain = text
    .replace(ansi, "")
    .split("\n")
    .map((l) => l.replace(/^[│|]\s?/, ""))
    .join("\n");
  if (!plain.includes("Error acquiring the state lock")) return undefined;
  const id = /^\s*ID:\s+(\S+)\s*$/m.exec(plain)?.[1];
  const path = /^\s*Path:[ \t]*(\S*)\s*$/m.exec(plain)?.[1];
  return id ? { id, ...(path ? { path } : {}) } : undefined;
}

/** Nanoseconds since the epoch of an RFC 3339 time with up to nine fractional digits. */
export function epochNanos(rfc3339: string): bigint | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(rfc3339);
  if (!m) return undefined;
  const seconds = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  return BigInt(seconds) * 1_000_000n + BigInt((m[2] ?? "").padEnd(9, "0"));
}

export interface Evidence {
  readonly printed: PrintedLock;
  /** The locks stored for that state now (S3 object, DynamoDB item), as found. */
  readonly stored: readonly StoredLock[];
  /** user@host as the engine writes it. */
  readonly me: string;
  readonly runStart: bigint;
  readonly runEnd: bigint;
  readonly others: readonly OtherProcess[];
}

/** Whether the stored lock is provably this run's own; the reason when it is not. */
export function decide(e: Evidence): { release: true; lock: StoredLock } | { release: false; reason: string } {
  const lock = e.stored.find((l) => l.ID === e.printed.id);
  if (!lock)
    return {
      release: false,
      reason: `the lock ${e.printed.id} the engine reported is not stored any more (held now: ${e.stored.map((l) => l.ID).join(", ") || "none"})`,
    };
  if (lock.Who !== e.me) return { release: false, reason: `the lock was taken by ${lock.Who}, not ${e.me}` };
  const created = lock.Created ? epochNanos(lock.Created) : undefined;
  if (created === undefined)
    return { release: false, reason: `the lock's creation time ${lock.Created} is unreadable` };
  if (created < e.runStart || created > e.runEnd)
    return { release: false, reason: `the lock was created at ${lock.Created}, outside this run` };
  if (e.others.length > 0)
    return {
      release: false,
      reason: `other processes here work on the same state: ${e.others.map((p) => `${p.pid} (${p.command})`).join(", ")}`,
    };
  return { release: true, lock };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

const dataDir = (cwd: string) => join(cwd, process.env.TF_DATA_DIR ?? ".terraform");

/** The S3 backend a working directory was initialized with (its .terraform/terraform.tfstate). */
export function initializedBackend(cwd: string): BackendConfig | undefined {
  const saved = readJson(join(dataDir(cwd), "terraform.tfstate")) as
    { backend?: { type?: string; config?: BackendConfig } } | undefined;
  return saved?.backend?.type === "s3" ? saved.backend.config : undefined;
}

/** The S3 backend of the configuration in `cwd` (a synthesized stack's cdk.tf.json). */
export function configuredBackend(cwd: string): BackendConfig | undefined {
  const config = readJson(join(cwd, "cdk.tf.json")) as { terraform?: { backend?: { s3?: BackendConfig } } } | undefined;
  return config?.terraform?.backend?.s3;
}

/**
 * The backend whose state the lock path (bucket/key) names: the initialized one, else the configured
 * one. Without a path (a lock written by hand), the one the directory was initialized with.
 */
export function backendOf(cwd: string, path?: string): BackendConfig | undefined {
  const candidates = [initializedBackend(cwd), configuredBackend(cwd)];
  if (path === undefined) return candidates.find((b) => b);
  return candidates.find((b) => b && statePath(b) === path);
}

/** This process and its ancestors: the wrapper and whoever started it. */
function ancestors(): Set<number> {
  const pids = new Set<number>([process.pid]);
  let pid = process.ppid;
  while (pid > 1 && !pids.has(pid)) {
    pids.add(pid);
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    pid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  }
  return pids;
}

/** Other processes on this machine whose working directory's backend is the state at `path` (Linux). */
export function otherProcessesOn(path: string, proc = "/proc"): OtherProcess[] {
  const mine = ancestors();
  const found: OtherProcess[] = [];
  for (const entry of readdirSync(proc)) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || mine.has(pid)) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(join(proc, entry, "cwd"));
    } catch {
      continue; // gone, or another user's
    }
    const backend = initializedBackend(cwd);
    if (backend && statePath(backend) === path) {
      const command = readFileSync(join(proc, entry, "cmdline"), "utf8")
        .split("\0")
        .join(" ")
        .trim();
      found.push({ pid, command: command.slice(0, 120) });
    }
  }
  return found;
}

function clientConfig(b: BackendConfig, endpoint: string | undefined) {
  if (b.profile) process.env.AWS_PROFILE ??= b.profile;
  return {
    region: b.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
    ...(endpoint ? { endpoint } : {}),
    ...(b.access_key && b.secret_key
      ? { credentials: { accessKeyId: b.access_key, secretAccessKey: b.secret_key } }
      : {}),
  };
}

const s3Endpoint = (b: BackendConfig) => b.endpoints?.s3 ?? b.endpoint;
const dynamoEndpoint = (b: BackendConfig) => b.endpoints?.dynamodb ?? b.dynamodb_endpoint;

/** A lock as found in the store: parsed, as stored, and where (S3 object or DynamoDB item). */
interface Held {
  readonly lock: StoredLock;
  readonly raw: string;
  readonly kind: "object" | "item";
  /** The lock object's ETag when it was read: it is deleted only while it is still that object. */
  readonly etag?: string;
}

/** Reads the locks stored for the backend's state, and releases one that is this run's own. */
async function store(b: BackendConfig) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const s3lib = await import("@aws-sdk/client-s3");
  const ddblib = await import("@aws-sdk/client-dynamodb");
  const s3 = new s3lib.S3Client({
    ...clientConfig(b, s3Endpoint(b)),
    forcePathStyle: Boolean(b.use_path_style ?? b.force_path_style),
  });
  const ddb = b.dynamodb_table ? new ddblib.DynamoDBClient(clientConfig(b, dynamoEndpoint(b))) : undefined;
  const object = { Bucket: b.bucket, Key: `${b.key}.tflock` };
  const item = { TableName: b.dynamodb_table, Key: { LockID: { S: statePath(b) } } };
  return {
    async locks(): Promise<Held[]> {
      const out: Held[] = [];
      if (b.use_lockfile) {
        try {
          const got = await s3.send(new s3lib.GetObjectCommand(object));
          const raw = await got.Body!.transformToString();
          out.push({ lock: JSON.parse(raw) as StoredLock, raw, kind: "object", etag: got.ETag });
        } catch (e) {
          if ((e as { name?: string }).name !== "NoSuchKey") throw e;
        }
      }
      if (ddb) {
        const got = await ddb.send(new ddblib.GetItemCommand({ ...item, ConsistentRead: true }));
        const raw = got.Item?.Info?.S;
        if (raw) out.push({ lock: JSON.parse(raw) as StoredLock, raw, kind: "item" });
      }
      return out;
    },
    async release({ kind, raw, etag }: Held): Promise<void> {
      // Each is deleted only while it is still exactly this lock (S3: If-Match on its ETag).
      if (kind === "object") {
        await s3.send(new s3lib.DeleteObjectCommand({ ...object, IfMatch: etag }));
      } else {
        await ddb!.send(
          new ddblib.DeleteItemCommand({
            ...item,
            ConditionExpression: "Info = :info",
            ExpressionAttributeValues: { ":info": { S: raw } },
          }),
        );
      }
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const say = (m: string) => process.stderr.write(`[engine] ${m}\n`);
  if (argv.length !== 3 || !/^\d+$/.test(argv[1]) || !/^\d+$/.test(argv[2])) {
    say("usage: lock-repair.ts <stderr file> <run start ns> <run end ns>");
    return 2;
  }
  const printed = parseLockError(readFileSync(argv[0], "utf8"));
  if (!printed) return 1;
  const cwd = process.cwd();
  const backend = backendOf(cwd, printed.path);
  if (!backend) {
    say(`the lock's state ${printed.path ?? "(no path)"} is not the S3 backend of ${cwd}; nothing released`);
    return 1;
  }
  const path = statePath(backend);
  if (!existsSync("/proc/self")) {
    say("this system has no /proc to show which processes work on the state; nothing released");
    return 1;
  }
  const s = await store(backend);
  const held = await s.locks();
  const verdict = decide({
    printed,
    stored: held.map((h) => h.lock),
    me: `${userInfo().username}@${hostname()}`,
    runStart: BigInt(argv[1]),
    runEnd: BigInt(argv[2]),
    others: otherProcessesOn(path),
  });
  if (!verdict.release) {
    say(`the lock ${printed.id} is not this run's own: ${verdict.reason}; nothing released`);
    return 1;
  }
  for (const h of held.filter((x) => x.lock.ID === printed.id)) await s.release(h);
  say(
    `the lock ${printed.id} on ${path} was written by this run (${verdict.lock.Operation}, ${verdict.lock.Created}): ` +
      "its lock write landed, the answer was lost and the SDK's retry collided with it. Released it.",
  );
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: Error) => {
      process.stderr.write(`[engine] could not check the lock: ${e.message}; nothing released\n`);
      process.exit(1);
    },
  );
}

import { platformInputs } from "../packages";
// Inspects an environment's state bucket for the bootstrap command:
//   state.ts exists <env> <stack>   prints present, no-object or no-bucket
//   state.ts destroy-check <env>    exits 0 when the bootstrap may be destroyed; otherwise exits 3
//                                   and says why (protected state, other stacks' state in the bucket
//                                   that still records resources)
//   state.ts preflight <env,...>    exits 0 when the environments' locking can work with this engine
//                                   and bucket; otherwise exits 3 naming each problem
//   state.ts locking <env>          says how the environment locks state and what its lock table protects
import {
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { type Environment, environmentList, loadEnvironments } from "../environments";
import { BOOTSTRAP_STACK, FOUNDATION_STACK, isStackOf, parseStackId, stackName, stateKey } from "../core/naming";
import { httpStatus, sdkConfig } from "./aws";
import { parseCommandLine, runMain, UsageError } from "./lib/cli";
import { type Engine, engineOf, engineProblems, versioningProblems } from "./lib/engine";
import { stateObjectExists } from "./lib/state-object";

async function bucketExists(s3: S3Client, env: Environment): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: env.state.bucket }));
    return true;
  } catch (e) {
    if (httpStatus(e) === 404) return false;
    throw e;
  }
}

async function exists(s3: S3Client, env: Environment, stack: string): Promise<string> {
  if (!(await bucketExists(s3, env))) return "no-bucket";
  return (await stateObjectExists(s3, env, stack)) ? "present" : "no-object";
}

/** Every object in the state bucket but the bootstrap's own state: other stacks' state and locks. */
export async function otherStateObjects(s3: S3Client, env: Environment): Promise<string[]> {
  const own = stateKey(env, BOOTSTRAP_STACK);
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: env.state.bucket, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!).filter((k) => k !== own));
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

/**
 * How many managed resources a state object records: a destroyed stack leaves its state object
 * behind with none. Anything that is not a state (a lock file) counts as one.
 */
export async function managedResources(s3: S3Client, bucket: string, key: string): Promise<number> {
  if (!key.endsWith(".tfstate")) return 1;
  const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
  try {
    const state = JSON.parse(body) as { resources?: { mode?: string }[] };
    return (state.resources ?? []).filter((r) => r.mode === "managed").length;
  } catch {
    return 1;
  }
}

/** `acme/dev/dev-foundation/terraform.tfstate` -> `dev-foundation`; other keys as they are. */
export function stackOfKey(env: Environment, key: string): string {
  const prefix = `${env.state.keyPrefix}/`;
  const match = key.startsWith(prefix)
    ? /^([^/]+)\/terraform\.tfstate(\.tflock)?$/.exec(key.slice(prefix.length))
    : null;
  return match ? `${match[1]}${match[2] ? " (lock file)" : ""}` : key;
}

async function destroyCheck(s3: S3Client, env: Environment): Promise<number> {
  if (env.state.protect) {
    console.error(
      `bootstrap of "${env.name}" is protected (state.protect): its bucket, lock table and key refuse destroy. ` +
        `Only an emulator environment may turn state protection off.`,
    );
    return 3;
  }
  if (!(await bucketExists(s3, env))) return 0;
  // Destroyed stacks leave empty state objects; only state that still records infrastructure counts.
  const others = [];
  for (const key of await otherStateObjects(s3, env)) {
    if ((await managedResources(s3, env.state.bucket, key)) > 0) others.push(key);
  }
  if (others.length === 0) return 0;
  const stacks = [...new Set(others.map((k) => stackOfKey(env, k)))];
  console.error(
    `refusing to destroy the bootstrap of "${env.name}": its bucket ${env.state.bucket} still holds the state of ${stacks.length} other stack(s):\n` +
      stacks.map((s) => `  - ${s}`).join("\n") +
      `\ndestroy those stacks first (npm run destroy -- <stack>), or move their state elsewhere.`,
  );
  return 3;
}

/** Versioning of an environment's state bucket: "Enabled", "Suspended", "" (never enabled), or undefined (no bucket yet). */
async function bucketVersioning(s3: S3Client, env: Environment): Promise<string | undefined> {
  try {
    return (await s3.send(new GetBucketVersioningCommand({ Bucket: env.state.bucket }))).Status ?? "";
  } catch (e) {
    if (httpStatus(e) === 404) return undefined;
    throw e;
  }
}

/**
 * Problems found before any engine runs (lib/engine.ts): an engine older than the stacks need, and
 * S3 state locking on a bucket without versioning.
 */
export async function lockingPreflight(envs: readonly Environment[], engine?: Engine): Promise<string[]> {
  if (envs.length === 0) return [];
  const tooOld = engineProblems(engine ?? engineOf());
  if (tooOld.length > 0) return tooOld;
  const s3Locked = envs.filter((e) => e.state.locking !== "dynamodb");
  const versioning = new Map<string, string | undefined>();
  for (const env of s3Locked)
    versioning.set(env.state.bucket, await bucketVersioning(new S3Client(sdkConfig(env)), env));
  return versioningProblems(s3Locked, versioning);
}

/**
 * What `npm run plan` and `npm run drift` do before any engine runs: say which engine runs, then
 * check the locking of the environments the selected stacks belong to.
 */
export async function preflightForStacks(
  envs: readonly Environment[],
  stacks: readonly string[],
  binary?: string,
): Promise<string[]> {
  const engine = engineOf(binary);
  process.stderr.write(`engine: ${engine.name} ${engine.version} (${engine.binary})\n`);
  return lockingPreflight(
    envs.filter((e) => stacks.some((s) => isStackOf(e, s))),
    engine,
  );
}

/**
 * The locking preflight of `npm run deploy|destroy|diff`, with the engine the command runs: the
 * environments the named stacks belong to. Names that are no environment are left to the synth, which lists the valid stacks; so is an
 * environment given as a pattern (`*-foundation`).
 */
export async function preflightStacks(stacks: readonly string[], engine: Engine): Promise<string[]> {
  const names = stacks.map((s) => parseStackId(s).env).filter((e) => !/[*?[]/.test(e));
  return lockingPreflight(
    loadEnvironments(platformInputs(), "").filter((e) => names.includes(e.name)),
    engine,
  );
}

/** One paragraph for bootstrap's output: where locks live and what the lock table is for. */
export function describeLocking(env: Environment): string {
  const { locking, bucket, lockTable, keyPrefix } = env.state;
  const objects = `each stack's lock is the object ${keyPrefix}/<stack>/terraform.tfstate.tflock in ${bucket}`;
  if (locking === "dynamodb") return `state locking: dynamodb; the lock table ${lockTable} holds every stack's lock`;
  if (locking === "both") {
    return `state locking: both; ${objects}, and its item in the lock table ${lockTable}: a stack is locked only when it holds both (README, "State locking": next, s3)`;
  }
  return lockTable
    ? `state locking: s3; ${objects}. The lock table ${lockTable} protects nothing now: it is kept until state.lockTable is removed (README, "State locking")`
    : `state locking: s3; ${objects}; no lock table`;
}

/** The commands of this script, what each takes and how many arguments that is. */
const COMMANDS = {
  exists: { form: "<environment> <stack>", min: 2, max: 2 },
  "destroy-check": { form: "<environment>", min: 1, max: 1 },
  preflight: { form: "<environment,...>", min: 1, max: 1 },
  locking: { form: "<environment>", min: 1, max: 1 },
  "stack-name": { form: "<environment> bootstrap|foundation", min: 2, max: 2 },
} as const;
const USAGE = `usage: state.ts ${Object.entries(COMMANDS)
  .map(([command, { form }]) => `${command} ${form}`)
  .join(" | ")}`;

export type StateCommand =
  | { readonly command: "exists"; readonly env: string; readonly stack: string }
  | { readonly command: "destroy-check" | "locking"; readonly env: string }
  | { readonly command: "preflight"; readonly envs: string[] }
  | {
      readonly command: "stack-name";
      readonly env: string;
      readonly stack: typeof BOOTSTRAP_STACK | typeof FOUNDATION_STACK;
    };

/** The command line of state.ts; bad input is a UsageError. */
export function parseStateArgs(argv: readonly string[]): StateCommand {
  const { positionals } = parseCommandLine(argv, {}, USAGE);
  const [command, ...args] = positionals;
  if (command === undefined) throw new UsageError("name a command", USAGE);
  if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command ${command}`, USAGE);
  const name = command as keyof typeof COMMANDS;
  const { form, min, max } = COMMANDS[name];
  if (args.length < min || args.length > max || args.includes("")) {
    const given = args.length === 0 ? "" : `, not ${args.map((a) => JSON.stringify(a)).join(" ")}`;
    throw new UsageError(`${name} takes ${form}${given}`, USAGE);
  }
  const [env, stack] = args;
  switch (name) {
    case "exists":
      return { command: name, env, stack };
    case "destroy-check":
    case "locking":
      return { command: name, env };
    case "preflight": {
      const envs = environmentList(env);
      if (envs.length === 0) throw new UsageError(`preflight names no environment: ${JSON.stringify(env)}`, USAGE);
      return { command: name, envs };
    }
    case "stack-name":
      if (stack !== BOOTSTRAP_STACK && stack !== FOUNDATION_STACK)
        throw new UsageError(`stack-name takes ${BOOTSTRAP_STACK} or ${FOUNDATION_STACK}, not ${stack}`, USAGE);
      return { command: name, env, stack };
  }
}

async function main(): Promise<number> {
  const args = parseStateArgs(process.argv.slice(2));
  if (args.command === "stack-name") {
    // The id of a platform stack, for scripts/bootstrap.sh: names are built in core/naming.ts only.
    console.log(stackName({ name: args.env }, args.stack));
    return 0;
  }
  if (args.command === "preflight") {
    const problems = await lockingPreflight(
      loadEnvironments(platformInputs(), "").filter((e) => args.envs.includes(e.name)),
    );
    for (const p of problems) console.error(p);
    return problems.length > 0 ? 3 : 0;
  }
  const [env] = loadEnvironments(platformInputs(), args.env);
  if (args.command === "locking") {
    console.log(describeLocking(env));
    return 0;
  }
  const s3 = new S3Client(sdkConfig(env));
  if (args.command === "exists") {
    console.log(await exists(s3, env, args.stack));
    return 0;
  }
  return destroyCheck(s3, env);
}

if (require.main === module) runMain(main);

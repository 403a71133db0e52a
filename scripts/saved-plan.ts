// Applies exactly the plan a reviewer saw:
//   npm run plan-save  -- <stack> [--commit SHA]   plan the stack at this commit, save the plan, show its summary
//   npm run plan-apply -- <stack> [--commit SHA]   apply that saved plan, and nothing else
// The commit defaults to GITHUB_SHA, else the checkout's HEAD; the checkout must be at that commit.
// A saved plan lives in the environment's state bucket (savedPlanKey: encrypted with the state key,
// readable by the planner and apply roles only, never by the plan role that pull requests get), and
// records the stack, the commit and its digest. plan-save prints the summary and writes it to the
// run's summary (GITHUB_STEP_SUMMARY), the page where the environment's reviewer approves the apply
// job. plan-apply refuses a missing plan,
// a plan of another stack or commit, a damaged one, and one whose state changed since it was made
// (the engine's own check), each with what to do; a plan is applied once, then deleted.
import { loadPlatform } from "./lib/platform";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { selectStacks } from "../app";
import { savedPlanKey, savedPlansOf, parseStackId } from "../core/naming";
import { ConfigError, type Environment } from "../environments";
import { summarizePlan } from "../review/plan-summary";
import { httpStatus, sdkConfig } from "./aws";
import { parseCommandLine, runMain, UsageError } from "./lib/cli";
import { planToFile, synthStacks, tofu } from "./lib/stack-runs";
import { preflightForStacks } from "./state";

const repo = resolve(__dirname, "..");
const USAGE = "usage: npm run plan-save|plan-apply -- <stack> [--commit SHA]";
/** What OpenTofu and Terraform say when a saved plan no longer matches its state. */
const STALE = /Saved plan is stale/;

/** What a saved plan records about itself (S3 object metadata). */
export interface SavedPlanRecord {
  readonly stack: string;
  readonly commit: string;
  readonly sha256: string;
}

/**
 * Why a saved plan must not be applied as `wanted`, or undefined when it may: the record must name
 * the stack and commit asked for and the digest of the bytes read.
 */
export function savedPlanProblem(
  wanted: { readonly stack: string; readonly commit: string },
  record: Partial<SavedPlanRecord>,
  sha256: string,
  where: string,
): string | undefined {
  if (record.stack !== wanted.stack || record.commit !== wanted.commit)
    return `${where} was saved for ${record.stack ?? "no stack"} at commit ${record.commit ?? "none"}, not ${wanted.stack} at ${wanted.commit}: a plan applies only to the stack and commit it was made for; plan again: npm run plan-save -- ${wanted.stack}`;
  if (record.sha256 !== sha256)
    return `${where} is not the plan that was saved (its digest differs from the one recorded): plan again: npm run plan-save -- ${wanted.stack}`;
  return undefined;
}

/** The commit a run works on: --commit, else GITHUB_SHA, else HEAD; the checkout must be at it. */
export function commitOf(asked: string | undefined, head: string, githubSha = process.env.GITHUB_SHA): string {
  const commit = asked ?? githubSha ?? head;
  if (!/^[0-9a-f]{40}$/.test(commit))
    throw new ConfigError(`--commit takes a full 40-character commit id, not "${commit}"`);
  if (commit !== head)
    throw new ConfigError(
      `the checkout is at ${head}, not at ${commit}: a plan is made and applied from the commit it is for (git checkout ${commit})`,
    );
  return commit;
}

export interface SavedPlanArgs {
  readonly command: "save" | "apply";
  readonly stack: string;
  /** --commit; checked against the checkout by commitOf. */
  readonly commit?: string;
}

/** The command line of `npm run plan-save` and `npm run plan-apply`; bad input is a UsageError. */
export function parseSavedPlanArgs(argv: readonly string[]): SavedPlanArgs {
  const { values, positionals } = parseCommandLine(argv, { commit: { type: "string" } }, USAGE);
  const [command, stack, other] = positionals;
  if (command !== "save" && command !== "apply")
    throw new UsageError(
      `the command is save or apply (npm run plan-save, plan-apply), not ${command ?? "none"}`,
      USAGE,
    );
  if (stack === undefined) throw new UsageError("name the stack to plan or apply", USAGE);
  if (other !== undefined) throw new UsageError(`one stack at a time (${stack}, ${other})`, USAGE);
  if (/[*?,]/.test(stack)) throw new UsageError(`one stack by its name, not a selection: ${stack}`, USAGE);
  return { command, stack, commit: values.commit };
}

/** The environment of a stack that exists in the platform; anything else names the valid ones. */
function environmentOf(stack: string): Environment {
  const plans = loadPlatform();
  selectStacks(plans, stack, "the stack to plan or apply");
  return plans.find((p) => p.env.name === parseStackId(stack).env)!.env;
}

/** Synthesizes the stack in a fresh directory (and runs init there, unless `init` is false). */
async function prepared(stack: string, binary: string, init = true): Promise<{ dir: string; cleanup: () => void }> {
  const outdir = mkdtempSync(join(tmpdir(), "saved-plan-"));
  const cleanup = () => rmSync(outdir, { recursive: true, force: true });
  try {
    synthStacks([stack], outdir);
    const dir = join(outdir, "stacks", stack);
    if (init) {
      const done = await tofu(binary, dir, ["init", "-input=false", "-no-color"]);
      if (done.status !== 0) throw new Error(`${stack}: init failed:\n${done.stdout}${done.stderr}`);
    }
    return { dir, cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}

async function save(stack: string, commit: string, binary: string): Promise<number> {
  const env = environmentOf(stack);
  const { dir, cleanup } = await prepared(stack, binary, false);
  try {
    const planFile = join(dir, "saved.tfplan");
    const planned = await planToFile(binary, dir, planFile, ["-lock-timeout=120s"]);
    if ("error" in planned) throw new Error(`${stack}: ${planned.error}`);
    const summary = summarizePlan(stack, planned.json as Parameters<typeof summarizePlan>[1]);
    const bytes = readFileSync(planFile);
    const record: SavedPlanRecord = { stack, commit, sha256: createHash("sha256").update(bytes).digest("hex") };
    const key = savedPlanKey(env, parseStackId(stack).stack, commit);
    await new S3Client(sdkConfig(env)).send(
      new PutObjectCommand({
        Bucket: env.state.bucket,
        Key: key,
        Body: bytes,
        // The bucket's default encryption is the state key; said again so that no other key is used.
        ServerSideEncryption: "aws:kms",
        Metadata: { ...record },
      }),
    );
    const markdown = `${summary.markdown}\n\nSaved for commit \`${commit}\` as \`s3://${env.state.bucket}/${key}\`; the apply job applies exactly this plan.\n`;
    console.log(markdown);
    // The run's summary page is where the environment's reviewer approves the apply job.
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
    console.error(`plan-save: ${stack} at ${commit}: saved s3://${env.state.bucket}/${key}`);
    return 0;
  } finally {
    cleanup();
  }
}

async function apply(stack: string, commit: string, binary: string): Promise<number> {
  const env = environmentOf(stack);
  const s3 = new S3Client(sdkConfig(env));
  const key = savedPlanKey(env, parseStackId(stack).stack, commit);
  const where = `the saved plan s3://${env.state.bucket}/${key}`;
  let bytes: Buffer;
  let record: Partial<SavedPlanRecord>;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: env.state.bucket, Key: key }));
    bytes = Buffer.from(await object.Body!.transformToByteArray());
    record = object.Metadata ?? {};
  } catch (e) {
    if (httpStatus(e) !== 404) throw e;
    const others = (
      await s3.send(
        new ListObjectsV2Command({ Bucket: env.state.bucket, Prefix: savedPlansOf(env, parseStackId(stack).stack) }),
      )
    ).Contents?.map((o) => o.Key!.slice(savedPlansOf(env, parseStackId(stack).stack).length).replace(/\.tfplan$/, ""));
    throw new ConfigError(
      `no saved plan of ${stack} for commit ${commit} (s3://${env.state.bucket}/${key})` +
        (others?.length
          ? `; there are plans of this stack for other commits (${others.join(", ")}), and a plan applies only at its own`
          : "") +
        `: plan it first: npm run plan-save -- ${stack}; nothing was applied`,
    );
  }
  const problem = savedPlanProblem({ stack, commit }, record, createHash("sha256").update(bytes).digest("hex"), where);
  if (problem) throw new ConfigError(`${problem}; nothing was applied`);
  const { dir, cleanup } = await prepared(stack, binary);
  try {
    const planFile = join(dir, "saved.tfplan");
    writeFileSync(planFile, bytes);
    const applied = await tofu(binary, dir, ["apply", "-input=false", "-no-color", "-lock-timeout=120s", planFile]);
    process.stdout.write(applied.stdout);
    if (applied.status !== 0) {
      if (STALE.test(`${applied.stdout}${applied.stderr}`))
        throw new ConfigError(
          `${where} is stale: the state of ${stack} changed after the plan was made (another apply ran); nothing was applied. Plan again and review the new plan: npm run plan-save -- ${stack} (in the workflow: re-run the plan job)`,
        );
      throw new Error(`${stack}: apply of ${where} failed:\n${applied.stderr}`);
    }
    // A plan is applied once; applying it again would only be refused as stale.
    await s3.send(new DeleteObjectCommand({ Bucket: env.state.bucket, Key: key }));
    console.error(`plan-apply: ${stack} at ${commit}: applied ${where}, and deleted it`);
    return 0;
  } finally {
    cleanup();
  }
}

async function main(): Promise<number> {
  const { command, stack, commit: asked } = parseSavedPlanArgs(process.argv.slice(2));
  const head = execFileSync("git", ["-C", repo, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
  const commit = commitOf(asked, head);
  const binary = process.env.TERRAFORM_BINARY_NAME || "terraform";
  const problems = await preflightForStacks([environmentOf(stack)], [stack], binary);
  if (problems.length > 0) throw new ConfigError(problems.join("\n"));
  return command === "save" ? save(stack, commit, binary) : apply(stack, commit, binary);
}

// A configuration error is printed after the command's name (plan-save: ..., plan-apply: ...).
if (require.main === module) runMain(main, process.argv[2] === "apply" ? "plan-apply" : "plan-save", true);

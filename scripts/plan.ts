// Plans stacks for review: `npm run plan -- <stack or glob>[,<more>] [--mock-foundation[=if-missing]] [--out DIR]`.
// Synthesizes the selected stacks, runs init + plan with the project's toolchain, saves the plan,
// its JSON (`show -json`) and a Markdown summary per stack in DIR (default .plans), and prints the
// summaries. Exit code like -detailed-exitcode: 0 no changes, 2 changes, 1 failure.
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type EnvironmentPlan, planPlatform, selectStacks } from "../app";
import { ConfigError, loadEnvironments } from "../environments";
import { MODULES } from "../packages";
import { summarizePlan } from "../review/plan-summary";
import { stateKey } from "../stacks/state";
import { httpStatus, sdkConfig } from "./aws";

const repo = resolve(__dirname, "..");
const USAGE = "usage: npm run plan -- <stack or glob>[,...] [--mock-foundation | --mock-foundation=if-missing] [--out DIR]";

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

function parseArgs(argv: string[]) {
  let selection: string | undefined;
  let mock: "never" | "always" | "if-missing" = "never";
  let out = join(repo, ".plans");
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--mock-foundation") mock = "always";
    else if (arg === "--mock-foundation=if-missing") mock = "if-missing";
    else if (arg === "--out") out = resolve(argv[++i] ?? fail(USAGE, 2));
    else if (arg.startsWith("--")) fail(`unknown option ${arg}\n${USAGE}`, 2);
    else if (selection) fail(`one selection only (use commas): ${arg}\n${USAGE}`, 2);
    else selection = arg;
  }
  if (!selection) fail(USAGE, 2);
  return { selection, mock, out };
}

/** Module stacks whose environment's foundation state does not exist yet. */
async function foundationMissing(plans: EnvironmentPlan[], stacks: string[]): Promise<Set<string>> {
  const missing = new Set<string>();
  for (const { env, modules } of plans) {
    const mine = modules.map((m) => `${env.name}-${m.module.name}`).filter((s) => stacks.includes(s));
    if (mine.length === 0) continue;
    try {
      await new S3Client(sdkConfig(env)).send(new HeadObjectCommand({ Bucket: env.state.bucket, Key: stateKey(env, "foundation") }));
    } catch (e) {
      const status = httpStatus(e);
      if (status !== 404 && status !== 403 && (e as Error).name !== "NoSuchBucket") throw e;
      mine.forEach((s) => missing.add(s));
    }
  }
  return missing;
}

function tofu(binary: string, cwd: string, args: string[]) {
  return spawnSync(binary, args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: process.env });
}

async function main(): Promise<number> {
  const { selection, mock, out } = parseArgs(process.argv.slice(2));
  const binary = process.env.TERRAFORM_BINARY_NAME || "terraform";
  let plans: EnvironmentPlan[];
  let stacks: string[];
  try {
    plans = planPlatform(loadEnvironments(undefined, ""), MODULES);
    stacks = [...(selectStacks(plans, selection, "the plan selection") ?? [])];
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
  const moduleStacks = new Set(plans.flatMap(({ env, modules }) => modules.map((m) => `${env.name}-${m.module.name}`)));
  const mocked =
    mock === "always" ? new Set(stacks.filter((s) => moduleStacks.has(s))) : mock === "if-missing" ? await foundationMissing(plans, stacks) : new Set<string>();

  const outdir = join(out, "cdktf.out");
  mkdirSync(out, { recursive: true });
  const synth = spawnSync(process.execPath, ["-r", "./scripts/register.js", "main.ts"], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, PLATFORM_ENVIRONMENTS: "", PLATFORM_STACKS: stacks.join(","), PLATFORM_MOCK_FOUNDATION: [...mocked].join(","), CDKTF_OUTDIR: outdir },
  });
  if (synth.status !== 0) fail(`synth failed:\n${synth.stderr}`);

  let changes = false;
  for (const stack of stacks) {
    const dir = join(outdir, "stacks", stack);
    const init = tofu(binary, dir, ["init", "-input=false", "-no-color"]);
    if (init.status !== 0) fail(`${stack}: init failed:\n${init.stdout}${init.stderr}`);
    const planFile = join(out, `${stack}.tfplan`);
    const plan = tofu(binary, dir, ["plan", "-input=false", "-no-color", "-lock-timeout=120s", "-detailed-exitcode", `-out=${planFile}`]);
    if (plan.status === 1 || plan.status === null) fail(`${stack}: plan failed:\n${plan.stdout}${plan.stderr}`);
    const show = tofu(binary, dir, ["show", "-json", planFile]);
    if (show.status !== 0) fail(`${stack}: show -json failed:\n${show.stderr}`);
    writeFileSync(join(out, `${stack}.json`), show.stdout);
    const summary = summarizePlan(stack, JSON.parse(show.stdout));
    const banner = mocked.has(stack)
      ? `> [!NOTE]\n> Planned against **mock foundation outputs**: the ${stack.split("-")[0]} foundation is not applied yet. This plan cannot be applied.\n\n`
      : "";
    const markdown = banner + summary.markdown;
    writeFileSync(join(out, `${stack}.md`), markdown);
    writeFileSync(join(out, `${stack}.summary.json`), JSON.stringify({ stack, hasChanges: summary.hasChanges, counts: summary.counts, mocked: mocked.has(stack) }));
    process.stdout.write(`${markdown}\n`);
    changes ||= summary.hasChanges;
  }
  return changes ? 2 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => fail(`plan failed: ${(e as Error).message}`),
);

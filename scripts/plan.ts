// Plans stacks for review:
//   npm run plan -- <stack or glob>[,<more>] [--mock-foundation[=if-missing]] [--out DIR] [--parallelism N]
// Synthesizes the selected stacks, runs init + plan with the project's toolchain (N stacks at once,
// default one per CPU core), saves the plan, its JSON (`show -json`) and a Markdown summary per stack
// in DIR (default .plans), and prints the summaries one block per stack in the order selected.
// Exit code like -detailed-exitcode: 0 no changes, 2 changes, 1 failure of any stack.
import { S3Client } from "@aws-sdk/client-s3";
import { loadPlatform } from "./lib/platform";
import { cpus } from "node:os";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type EnvironmentPlan, selectStacks } from "../app";
import { summarizePlan } from "../review/plan-summary";
import { FOUNDATION_STACK, parseStackId, stackName } from "../core/naming";
import { sdkConfig } from "./aws";
import { nonEmpty, optionalValue, parseCommandLine, runMain, stackSelection, wholeNumber } from "./lib/cli";
import { stateObjectExists } from "./lib/state-object";
import { inOrder, planToFile, synthStacks } from "./lib/stack-runs";
import { preflightForStacks } from "./state";

const repo = resolve(__dirname, "..");
const USAGE =
  "usage: npm run plan -- <stack or glob>[,...] [--mock-foundation | --mock-foundation=if-missing] [--out DIR] [--parallelism N]";

const OPTIONS = { out: { type: "string" }, parallelism: { type: "string" } } as const;

export interface PlanArgs {
  readonly selection: string;
  /** Module stacks plan against mock foundation outputs: never, always, or where the foundation is not applied. */
  readonly mock: "never" | "always" | "if-missing";
  readonly out: string;
  readonly parallelism: number;
}

/** The command line of `npm run plan`; bad input is a UsageError. */
export function parsePlanArgs(argv: readonly string[], cores = cpus().length): PlanArgs {
  // --mock-foundation stands alone or takes =if-missing: parseArgs has no type for that.
  const { value: mock, rest } = optionalValue(argv, "mock-foundation", ["if-missing"], USAGE);
  const { values, positionals } = parseCommandLine(rest, OPTIONS, USAGE);
  return {
    selection: stackSelection(positionals, "plan", USAGE),
    mock: mock === undefined ? "never" : mock === true ? "always" : mock,
    out: resolve(nonEmpty("out", values.out, USAGE) ?? join(repo, ".plans")),
    parallelism: wholeNumber("parallelism", values.parallelism, cores, USAGE),
  };
}

/** Module stacks whose environment's foundation state does not exist yet. */
async function foundationMissing(plans: EnvironmentPlan[], stacks: string[]): Promise<Set<string>> {
  const missing = new Set<string>();
  for (const { env, modules } of plans) {
    const mine = modules.map((m) => stackName(env, m.module.name)).filter((s) => stacks.includes(s));
    if (mine.length === 0) continue;
    if (!(await stateObjectExists(new S3Client(sdkConfig(env)), env, FOUNDATION_STACK)))
      mine.forEach((s) => missing.add(s));
  }
  return missing;
}

interface StackResult {
  readonly stack: string;
  readonly markdown?: string;
  readonly hasChanges?: boolean;
  readonly error?: string;
}

/** init, plan, show -json and the summary files of one synthesized stack. */
async function planStack(
  binary: string,
  outdir: string,
  out: string,
  stack: string,
  mocked: boolean,
): Promise<StackResult> {
  const planned = await planToFile(binary, join(outdir, "stacks", stack), join(out, `${stack}.tfplan`), [
    "-lock-timeout=120s",
    "-detailed-exitcode",
  ]);
  if ("error" in planned) return { stack, error: `${stack}: ${planned.error}` };
  writeFileSync(join(out, `${stack}.json`), JSON.stringify(planned.json));
  const summary = summarizePlan(stack, planned.json as Parameters<typeof summarizePlan>[1]);
  const banner = mocked
    ? `> [!NOTE]\n> Planned against **mock foundation outputs**: the ${parseStackId(stack).env} foundation is not applied yet. This plan cannot be applied.\n\n`
    : "";
  const markdown = banner + summary.markdown;
  writeFileSync(join(out, `${stack}.md`), markdown);
  writeFileSync(
    join(out, `${stack}.summary.json`),
    JSON.stringify({ stack, hasChanges: summary.hasChanges, counts: summary.counts, mocked }),
  );
  return { stack, markdown, hasChanges: summary.hasChanges };
}

async function main(): Promise<number> {
  const { selection, mock, out, parallelism } = parsePlanArgs(process.argv.slice(2));
  const binary = process.env.TERRAFORM_BINARY_NAME || "terraform";
  const plans = loadPlatform();
  const stacks = [...(selectStacks(plans, selection, "the plan selection") ?? [])];
  const problems = await preflightForStacks(
    plans.map((p) => p.env),
    stacks,
    binary,
  );
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    return 1;
  }
  const moduleStacks = new Set(plans.flatMap(({ env, modules }) => modules.map((m) => stackName(env, m.module.name))));
  const mocked =
    mock === "always"
      ? new Set(stacks.filter((s) => moduleStacks.has(s)))
      : mock === "if-missing"
        ? await foundationMissing(plans, stacks)
        : new Set<string>();

  const outdir = join(out, "cdktf.out");
  mkdirSync(out, { recursive: true });
  try {
    synthStacks(stacks, outdir, { PLATFORM_MOCK_FOUNDATION: [...mocked].join(",") });
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }

  // Independent stacks plan at once; each block is printed as soon as every stack before it is done.
  const results = await inOrder(
    stacks,
    parallelism,
    (stack) => planStack(binary, outdir, out, stack, mocked.has(stack)),
    (r) => (r.error ? process.stderr.write(`${r.error}\n`) : process.stdout.write(`${r.markdown}\n`)),
  );
  const failed = results.filter((r) => r.error).map((r) => r.stack);
  if (failed.length > 0) {
    console.error(`plan failed for ${failed.join(", ")}`);
    return 1;
  }
  return results.some((r) => r.hasChanges) ? 2 : 0;
}

if (require.main === module) runMain(main);

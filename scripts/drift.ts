// Drift detection:
//   npm run drift -- <stack or glob>[,<more>] [--out DIR] [--json] [--parallelism N]
//   npm run drift -- --list-environments     the cloud environments, as a CI matrix
// For every selected stack that is deployed: one plan without the state lock (a check never blocks or
// waits for an apply), whose refresh says what changed in the cloud behind Terraform's back and whose
// changes say what an apply would do (review/drift.ts tells drift from pending code changes). Writes per stack <stack>.drift.json and
// <stack>.drift.md, and drift.json / drift.md for the run, into DIR (default .drift); prints the
// Markdown (or the JSON with --json). Exit 0 no drift, 2 drift, 1 a stack could not be checked.
import { S3Client } from "@aws-sdk/client-s3";
import { loadPlatform } from "./lib/platform";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { type EnvironmentPlan, selectStacks } from "../app";
import { ConfigError, type Environment } from "../environments";
import { cloudEnvironments } from "../review/affected";
import { driftExitCode, driftOf, renderDrift, renderStackDrift, type StackDrift } from "../review/drift";
import { isStackOf, parseStackId, stateKey } from "../core/naming";
import { sdkConfig } from "./aws";
import { nonEmpty, parseCommandLine, runMain, stackSelection, UsageError, wholeNumber } from "./lib/cli";
import { stateObjectExists } from "./lib/state-object";
import { inOrder, planToFile, synthStacks } from "./lib/stack-runs";
import { managedResources, preflightForStacks } from "./state";

const repo = resolve(__dirname, "..");
const USAGE =
  "usage: npm run drift -- <stack or glob>[,...] [--out DIR] [--json] [--parallelism N] | --list-environments";

const OPTIONS = {
  out: { type: "string" },
  json: { type: "boolean" },
  "list-environments": { type: "boolean" },
  parallelism: { type: "string" },
} as const;

export type DriftArgs =
  | { readonly list: true }
  | {
      readonly list: false;
      readonly selection: string;
      readonly out: string;
      readonly json: boolean;
      readonly parallelism: number;
    };

/** The command line of `npm run drift`; bad input is a UsageError. */
export function parseDriftArgs(argv: readonly string[], cores = cpus().length): DriftArgs {
  const { values, positionals } = parseCommandLine(argv, OPTIONS, USAGE);
  if (values["list-environments"]) {
    const others = [
      ...Object.keys(values)
        .filter((k) => k !== "list-environments")
        .map((k) => `--${k}`),
      ...positionals,
    ];
    if (others.length > 0)
      throw new UsageError(
        `--list-environments stands alone (it prints the cloud environments as a CI matrix), not with ${others.join(" ")}`,
        USAGE,
      );
    return { list: true };
  }
  return {
    list: false,
    selection: stackSelection(positionals, "check", USAGE),
    out: resolve(nonEmpty("out", values.out, USAGE) ?? join(repo, ".drift")),
    json: values.json ?? false,
    parallelism: wholeNumber("parallelism", values.parallelism, cores, USAGE),
  };
}

/** The account the current credentials belong to, per environment (the emulator's for local). */
async function callerAccount(env: Environment): Promise<string> {
  const sts = new STSClient(sdkConfig(env));
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  return identity.Account ?? "";
}

/**
 * Stacks whose environment is not the account the credentials are for: a plan role reads only its
 * own environment's state, so each is named with the account it needs.
 */
async function wrongAccount(plans: EnvironmentPlan[], stacks: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const { env } of plans) {
    const mine = stacks.filter((s) => isStackOf(env, s));
    if (mine.length === 0) continue;
    let account: string;
    try {
      account = await callerAccount(env);
    } catch (e) {
      problems.push(`${mine.join(", ")}: cannot tell which account the credentials are for (${(e as Error).message})`);
      continue;
    }
    if (account !== env.accountId) {
      problems.push(
        `${mine.join(", ")}: environment "${env.name}" is account ${env.accountId}, but the credentials are for account ${account}; run with ${env.name}'s plan role`,
      );
    }
  }
  return problems;
}

/**
 * Whether a stack is deployed: its state object exists and records managed resources (a destroyed
 * stack leaves an empty one). Otherwise false, or the reason its state cannot be read.
 */
async function deployed(env: Environment, stack: string): Promise<true | false | string> {
  const short = parseStackId(stack).stack;
  const key = stateKey(env, short);
  const s3 = new S3Client(sdkConfig(env));
  try {
    if (!(await stateObjectExists(s3, env, short))) return false;
    return (await managedResources(s3, env.state.bucket, key)) > 0;
  } catch (e) {
    return e instanceof ConfigError
      ? e.message
      : `cannot read the state object s3://${env.state.bucket}/${key}: ${(e as Error).message}`;
  }
}

async function checkStack(
  binary: string,
  outdir: string,
  out: string,
  env: Environment,
  stack: string,
): Promise<StackDrift> {
  const failed = (error: string): StackDrift => ({
    stack,
    env: env.name,
    status: "error",
    drifted: [],
    pending: [],
    error,
  });
  const planned = await planToFile(binary, join(outdir, "stacks", stack), join(out, `${stack}.drift.tfplan`), [
    "-lock=false",
    "-detailed-exitcode",
  ]);
  if ("error" in planned) return failed(planned.error);
  return driftOf(stack, env.name, planned.json as Parameters<typeof driftOf>[2]);
}

async function main(): Promise<number> {
  const args = parseDriftArgs(process.argv.slice(2));
  const plans = loadPlatform();
  if (args.list) {
    console.log(JSON.stringify({ env: cloudEnvironments(plans.map((p) => p.env)).map((e) => e.name) }));
    return 0;
  }
  const { selection, out, json, parallelism } = args;
  const stacks = [...(selectStacks(plans, selection, "the drift selection") ?? [])];
  const envOf = (stack: string) => plans.find((p) => p.env.name === parseStackId(stack).env)!.env;

  const problems = await preflightForStacks(
    plans.map((p) => p.env),
    stacks,
  );
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    return 1;
  }
  const accounts = await wrongAccount(plans, stacks);
  if (accounts.length > 0) {
    console.error(`drift check refused, nothing was checked:\n${accounts.map((a) => `  - ${a}`).join("\n")}`);
    return 1;
  }

  mkdirSync(out, { recursive: true });
  const states = new Map(await Promise.all(stacks.map(async (s) => [s, await deployed(envOf(s), s)] as const)));
  const toCheck = stacks.filter((s) => states.get(s) === true);
  const outdir = join(out, "cdktf.out");
  if (toCheck.length > 0) synthStacks(toCheck, outdir);

  const binary = process.env.TERRAFORM_BINARY_NAME || "terraform";
  const reports = await inOrder(
    stacks,
    parallelism,
    async (stack): Promise<StackDrift> => {
      const state = states.get(stack)!;
      const env = envOf(stack);
      if (state === false) return { stack, env: env.name, status: "not-deployed", drifted: [], pending: [] };
      if (state !== true) return { stack, env: env.name, status: "error", drifted: [], pending: [], error: state };
      return checkStack(binary, outdir, out, env, stack);
    },
    (report) => {
      writeFileSync(join(out, `${report.stack}.drift.json`), JSON.stringify(report, null, 2));
      writeFileSync(join(out, `${report.stack}.drift.md`), renderStackDrift(report));
      if (report.status === "error") process.stderr.write(`${report.stack}: ${report.error}\n`);
    },
  );
  const markdown = renderDrift(reports);
  writeFileSync(join(out, "drift.md"), markdown);
  writeFileSync(join(out, "drift.json"), JSON.stringify({ reports }, null, 2));
  process.stdout.write(json ? `${JSON.stringify({ reports }, null, 2)}\n` : markdown);
  return driftExitCode(reports);
}

if (require.main === module) runMain(main);

// Lists the stacks a change affects:
//   npm run affected -- --base <ref> | --since-tag <glob>  [--env dev,staging | --deploy-ref <ref>] [--missing-base all] [--json] [--working-tree]
import { join } from "node:path";
import { planPlatform } from "../app";
import { ConfigError, environmentList, loadEnvironments } from "../environments";
import { MODULES, platformInputs } from "../packages";
import {
  type AffectedStack,
  AffectedError,
  affectedStacks,
  changedFiles,
  cloudEnvironments,
  environmentsDeployedFrom,
  inLayerOrder,
  platformStacks,
  resolveBase,
} from "../review/affected";

const USAGE =
  "usage: npm run affected -- (--base <git ref> | --since-tag <glob>) [--env <env,...> | --deploy-ref <ref>] [--missing-base error|all] [--json] [--working-tree]";

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const VALUED = ["--base", "--since-tag", "--env", "--deploy-ref", "--missing-base"];
const FLAGS = ["--json", "--working-tree"];
const args = process.argv.slice(2);
const options: Record<string, string> = {};
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (VALUED.includes(arg)) {
    const value = args[++i];
    if (value === undefined || value.startsWith("--")) usage(`${arg} needs a value`);
    options[arg] = value;
  } else if (FLAGS.includes(arg)) {
    options[arg] = "true";
  } else {
    usage(`unknown argument ${arg}`);
  }
}
if ((options["--base"] === undefined) === (options["--since-tag"] === undefined))
  usage("give exactly one of --base <git ref> and --since-tag <glob>");
if (options["--env"] !== undefined && options["--deploy-ref"] !== undefined)
  usage("give at most one of --env and --deploy-ref");
const missingBase = options["--missing-base"] ?? "error";
if (missingBase !== "error" && missingBase !== "all") usage(`--missing-base takes error or all, not ${missingBase}`);

const repo = join(__dirname, "..");
try {
  const plans = planPlatform(loadEnvironments(platformInputs(), ""), MODULES);
  // CI plans and applies cloud environments only; an emulator environment is named explicitly
  // (--env, or PLATFORM_ENVIRONMENTS as for synth).
  const selected = environmentList(process.env.PLATFORM_ENVIRONMENTS);
  const cloud = selected.length > 0 ? selected : cloudEnvironments(plans.map((p) => p.env)).map((e) => e.name);
  const deployRef = options["--deploy-ref"];
  const wanted = options["--env"]
    ? environmentList(options["--env"])
    : deployRef !== undefined
      ? environmentsDeployedFrom(
          plans.map((p) => p.env),
          deployRef,
        ).map((e) => e.name)
      : cloud;
  if (deployRef !== undefined && wanted.length === 0)
    console.error(`affected: no environment deploys from ${deployRef} (github.deployRef)`);
  const known = plans.map((p) => p.env.name);
  const unknown = wanted.filter((e) => !known.includes(e));
  if (unknown.length > 0) {
    throw new ConfigError(
      `unknown environment ${unknown.map((u) => `"${u}"`).join(", ")} in --env or PLATFORM_ENVIRONMENTS; valid names: ${known.join(", ")}`,
    );
  }
  const stacks = platformStacks(
    plans
      .filter((p) => wanted.includes(p.env.name))
      .map((p) => ({ name: p.env.name, modules: p.modules.map((m) => m.module.name) })),
  );

  const base = resolveBase(repo, { base: options["--base"], sinceTag: options["--since-tag"], missingBase });
  let affected: AffectedStack[];
  let because: string;
  if ("everything" in base) {
    affected = stacks.map((s) => ({ stack: s.name, env: s.env, layer: s.layer, because: ["(no base)"] }));
    because = `every stack: ${base.everything}`;
    console.error(`affected: ${because}`);
  } else {
    const changed = changedFiles(repo, base.commit, options["--working-tree"] === "true");
    affected = affectedStacks(repo, stacks, changed);
    because = `the ${changed.length} file(s) changed since ${base.label}`;
  }
  affected = inLayerOrder(affected);
  if (options["--json"]) {
    // Shaped for a CI matrix: `matrix: ${{ fromJSON(needs.affected.outputs.matrix) }}`.
    console.log(
      JSON.stringify({
        stacks: affected.map((a) => a.stack),
        include: affected.map(({ stack, env, layer }) => ({ stack, env, layer })),
      }),
    );
  } else if (affected.length === 0) {
    console.log(`no stack of ${wanted.join(", ")} is affected by ${because}`);
  } else {
    console.log(`${affected.length} stack(s) of ${wanted.join(", ")} affected by ${because}:`);
    for (const a of affected)
      console.log(`  ${a.stack.padEnd(32)} ${a.because.slice(0, 3).join(", ")}${a.because.length > 3 ? ", ..." : ""}`);
  }
} catch (e) {
  console.error(e instanceof ConfigError || e instanceof AffectedError ? e.message : (e as Error).message);
  process.exit(1);
}

// Lists the stacks a change affects:
//   npm run affected -- --base <ref> | --since-tag <glob>  [--env dev,staging | --deploy-ref <ref>] [--missing-base all] [--json] [--working-tree]
import { join } from "node:path";
import { loadPlatform } from "./lib/platform";
import { ConfigError, environmentList } from "../environments";
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
import { noPositionals, nonEmpty, parseCommandLine, runMain, UsageError } from "./lib/cli";

const USAGE =
  "usage: npm run affected -- (--base <git ref> | --since-tag <glob>) [--env <env,...> | --deploy-ref <ref>] [--missing-base error|all] [--json] [--working-tree]";

const OPTIONS = {
  base: { type: "string" },
  "since-tag": { type: "string" },
  env: { type: "string" },
  "deploy-ref": { type: "string" },
  "missing-base": { type: "string" },
  json: { type: "boolean" },
  "working-tree": { type: "boolean" },
} as const;

export interface AffectedArgs {
  readonly base?: string;
  readonly sinceTag?: string;
  /** The environments named with --env; undefined without it. */
  readonly env?: string[];
  readonly deployRef?: string;
  readonly missingBase: "error" | "all";
  readonly json: boolean;
  readonly workingTree: boolean;
}

/** The command line of `npm run affected`; bad input is a UsageError. */
export function parseAffectedArgs(argv: readonly string[]): AffectedArgs {
  const { values, positionals } = parseCommandLine(argv, OPTIONS, USAGE);
  noPositionals(positionals, USAGE);
  const sinceTag = nonEmpty("since-tag", values["since-tag"], USAGE);
  if ((values.base === undefined) === (sinceTag === undefined))
    throw new UsageError("give exactly one of --base <git ref> and --since-tag <glob>", USAGE);
  if (values.env !== undefined && values["deploy-ref"] !== undefined)
    throw new UsageError("give at most one of --env and --deploy-ref", USAGE);
  const missingBase = values["missing-base"] ?? "error";
  if (missingBase !== "error" && missingBase !== "all")
    throw new UsageError(`--missing-base takes error or all, not ${missingBase}`, USAGE);
  const env = values.env === undefined ? undefined : environmentList(values.env);
  if (env?.length === 0)
    throw new UsageError(`--env names no environment: give a comma list such as dev,staging`, USAGE);
  return {
    base: values.base,
    sinceTag,
    env,
    deployRef: values["deploy-ref"],
    missingBase,
    json: values.json ?? false,
    workingTree: values["working-tree"] ?? false,
  };
}

const repo = join(__dirname, "..");

function main(): number {
  const options = parseAffectedArgs(process.argv.slice(2));
  const plans = loadPlatform();
  // CI plans and applies cloud environments only; an emulator environment is named explicitly
  // (--env, or PLATFORM_ENVIRONMENTS as for synth).
  const selected = environmentList(process.env.PLATFORM_ENVIRONMENTS);
  const cloud = selected.length > 0 ? selected : cloudEnvironments(plans.map((p) => p.env)).map((e) => e.name);
  const { deployRef } = options;
  const wanted =
    options.env ??
    (deployRef !== undefined
      ? environmentsDeployedFrom(
          plans.map((p) => p.env),
          deployRef,
        ).map((e) => e.name)
      : cloud);
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

  let base: ReturnType<typeof resolveBase>;
  try {
    base = resolveBase(repo, { base: options.base, sinceTag: options.sinceTag, missingBase: options.missingBase });
  } catch (e) {
    if (!(e instanceof AffectedError)) throw e;
    console.error(e.message);
    return 1;
  }
  let affected: AffectedStack[];
  let because: string;
  if ("everything" in base) {
    affected = stacks.map((s) => ({ stack: s.name, env: s.env, layer: s.layer, because: ["(no base)"] }));
    because = `every stack: ${base.everything}`;
    console.error(`affected: ${because}`);
  } else {
    const changed = changedFiles(repo, base.commit, options.workingTree);
    affected = affectedStacks(repo, stacks, changed);
    because = `the ${changed.length} file(s) changed since ${base.label}`;
  }
  affected = inLayerOrder(affected);
  if (options.json) {
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
  return 0;
}

if (require.main === module) runMain(main);

// cdktf with the project's toolchain: `npm run deploy -- <stack...>`, `npm run destroy -- ...`,
// `npm run diff -- <stack>`; any cdktf flag passes through. One process from the command line to
// cdktf: the arguments are read once, here, and the engine each cdktf run starts is
// scripts/engine.sh (the lock guard), which the toolchain environment names.
//  - one stack named exactly deploys or destroys without the stacks it depends on, or that depend
//    on it, in the same run (--ignore-missing-stack-dependencies): layers go one run at a time.
//  - several stacks or a glob: one synth of exactly those stacks, then one cdktf process per stack
//    (with --skip-synth) in layer order, stacks that do not depend on each other at once up to
//    --parallelism (default: one per CPU core); a selection missing a stack it needs is refused with
//    that stack's name unless --ignore-missing-stack-dependencies is given (scripts/run-stacks.ts).
//    Not one cdktf run for all of them: cdktf-cli 0.21.0 stops the engines still running when one
//    stack of a parallel run fails, and they leave their state locks behind; its destroy with
//    --ignore-missing-stack-dependencies and parallelism above 1 also starts a running stack again
//    and never ends.
//  - with the offline toolchain, `terraform providers lock` (which asks a registry) is skipped:
//    init already records the mirrored providers' hashes.
//  - init runs with -migrate-state (--migrate-state): a stack's state location never changes
//    (stacks/state.ts), so the only backend change a working directory can meet is a new locking
//    mode, which init then takes without a prompt instead of stopping at "Backend configuration
//    changed".
//  - the app synthesizes only the stacks named (PLATFORM_STACKS); a diff also synthesizes the layers
//    below, which cdktf checks its order against (PLATFORM_STACKS_CLOSURE). A caller's
//    PLATFORM_STACKS wins.
//  - before deploy, destroy or diff, a locking mode that the engine or the state bucket cannot
//    honour stops the command, naming the environment (scripts/state.ts lockingPreflight);
//    PLATFORM_LOCKING_PREFLIGHT=0 skips the check.
import { spawn, spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { ConfigError } from "../environments";
import { UsageError, runMain, wholeNumber } from "./lib/cli";
import { engineOf } from "./lib/engine";
import { projectToolchain } from "./lib/toolchain-env";
import type { StackRunArgs } from "./run-stacks";
import { preflightStacks } from "./state";

const repo = resolve(__dirname, "..");
const COMMANDS = ["deploy", "destroy", "diff", "synth"] as const;
type Command = (typeof COMMANDS)[number];
const USAGE = "usage: npm run deploy|destroy|diff -- <stack or glob...> [cdktf flags]";
const IGNORE_MISSING = "--ignore-missing-stack-dependencies";

/** cdktf's flags that take a value: the word after one of them is that value, not a stack. */
const VALUE_FLAGS = new Set([
  "--parallelism",
  "--terraform-parallelism",
  "--var",
  "--var-file",
  "--outputs-file",
  "--app",
  "-a",
  "--output",
  "-o",
]);

/** A cdktf command line taken apart once: the stacks named, the flags (with their values) in order. */
export interface CdktfArgs {
  readonly command: Command;
  /** Stack names and globs, in the order given. */
  readonly stacks: string[];
  /** Every other argument, as given; `--parallelism` and `--output` are here too. */
  readonly flags: string[];
}

export function parseCdktfArgs(argv: readonly string[]): CdktfArgs {
  const [command, ...rest] = argv;
  if (!COMMANDS.includes(command as Command))
    throw new UsageError(command ? `unknown command "${command}"` : "name a command", USAGE);
  const stacks: string[] = [];
  const flags: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith("-")) {
      stacks.push(arg);
      continue;
    }
    flags.push(arg);
    if (VALUE_FLAGS.has(arg)) {
      if (i + 1 >= rest.length) throw new UsageError(`${arg} needs a value`, USAGE);
      flags.push(rest[++i]);
    }
  }
  return { command: command as Command, stacks, flags };
}

/** The value of a flag given as `--flag value` or `--flag=value` (the last one wins), if any. */
export function flagValue(flags: readonly string[], ...names: string[]): string | undefined {
  let value: string | undefined;
  flags.forEach((f, i) => {
    if (names.includes(f)) value = flags[i + 1];
    for (const n of names) if (f.startsWith(`${n}=`)) value = f.slice(n.length + 1);
  });
  return value;
}

/** The flags without one flag and its value. */
export function withoutFlag(flags: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] === name) i++;
    else if (!flags[i].startsWith(`${name}=`)) out.push(flags[i]);
  }
  return out;
}

/** Whether the command names several stacks or a glob: then each stack runs in a cdktf process of its own. */
export function runsSeveral(args: CdktfArgs): boolean {
  return (
    (args.command === "deploy" || args.command === "destroy") &&
    (args.stacks.length > 1 || /[*?[]/.test(args.stacks[0] ?? ""))
  );
}

/**
 * What cdktf is started with for one run: the command, the stacks, the caller's flags and the
 * platform's own. `cliConfig`: the toolchain's CLI configuration (TF_CLI_CONFIG_FILE), if any.
 */
export function cdktfArgv(args: CdktfArgs, cliConfig: string | undefined): string[] {
  const { command, stacks } = args;
  let flags = [...args.flags];
  const extra: string[] = [];
  if (command === "deploy" || command === "destroy") {
    // One stack: cdktf's --parallelism has nothing to do; whatever was asked for is dropped.
    flags = withoutFlag(flags, "--parallelism");
    if (!flags.includes(IGNORE_MISSING)) extra.push(IGNORE_MISSING);
    extra.push("--parallelism", "1");
  }
  if (command !== "synth") {
    if (cliConfig) extra.push("--skip-provider-lock");
    if (!flags.includes("--migrate-state")) extra.push("--migrate-state");
  }
  return [command, ...stacks, ...flags, ...extra];
}

/** The app's stack selection for this run (PLATFORM_STACKS, PLATFORM_STACKS_CLOSURE); a caller's PLATFORM_STACKS wins. */
export function selectionEnv(args: CdktfArgs, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (args.stacks.length === 0 || env.PLATFORM_STACKS) return {};
  const ignoring = args.flags.includes(IGNORE_MISSING) || args.command === "deploy" || args.command === "destroy";
  if (args.command === "synth" || ignoring) return { PLATFORM_STACKS: args.stacks.join(",") };
  return { PLATFORM_STACKS: args.stacks.join(","), PLATFORM_STACKS_CLOSURE: "dependencies" };
}

/** The cdktf CLI: PLATFORM_CDKTF_BIN (tests), else the project's. */
export function cdktfBin(env: NodeJS.ProcessEnv = process.env): string {
  return env.PLATFORM_CDKTF_BIN || join(repo, "node_modules/.bin/cdktf");
}

/** Runs cdktf with `argv` in the repository, sharing the terminal; resolves to its exit code. */
export function runCdktf(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done) => {
    const child = spawn(cdktfBin(env), argv, { cwd: repo, stdio: "inherit", env });
    child.on("error", (e) => {
      console.error(`cannot start ${cdktfBin(env)}: ${e.message}`);
      done(1);
    });
    child.on("close", (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

/** What a run of several stacks needs beyond the stacks: checked before anything runs. */
function severalStacks(args: CdktfArgs): StackRunArgs {
  if (flagValue(args.flags, "--outputs-file") !== undefined)
    throw new ConfigError(
      "--outputs-file with several stacks: each stack runs in its own cdktf process; name one stack per command, or read outputs with `tofu output -json` in cdktf.out/stacks/<stack>",
    );
  const perStack = withoutFlag(withoutFlag(withoutFlag(args.flags, "--parallelism"), "--output"), "-o");
  return {
    command: args.command as StackRunArgs["command"],
    selection: args.stacks,
    parallelism: wholeNumber("parallelism", flagValue(args.flags, "--parallelism"), cpus().length, USAGE),
    ignoreMissing: args.flags.includes(IGNORE_MISSING),
    output: resolve(repo, flagValue(args.flags, "--output", "-o") ?? "cdktf.out"),
    passThrough: perStack.filter((f) => f !== IGNORE_MISSING),
  };
}

async function main(): Promise<number> {
  const args = parseCdktfArgs(process.argv.slice(2));
  const several = runsSeveral(args) ? severalStacks(args) : undefined;
  const env = projectToolchain(process.env);
  if (args.command !== "synth") {
    // The engine the guard runs (PLATFORM_ENGINE of the toolchain environment), asked for its
    // version once: the preflight checks it, the line below names it.
    const binary = env.PLATFORM_ENGINE ?? env.TERRAFORM_BINARY_NAME!;
    const engine = args.stacks.length > 0 && env.PLATFORM_LOCKING_PREFLIGHT !== "0" ? engineOf(binary) : undefined;
    if (engine) {
      const problems = await preflightStacks(args.stacks, engine);
      for (const p of problems) console.error(p);
      if (problems.length > 0) return 1;
    }
    const version = engine
      ? `${engine.name} v${engine.version}`
      : (spawnSync(binary, ["version"], { env, encoding: "utf8" }).stdout ?? "").split("\n")[0];
    console.error(`[cdktf] engine: ${version} (${binary})`);
  }
  if (several) {
    const flags = ["--skip-synth", "--output", several.output, ...several.passThrough];
    // Loaded only here: it builds the platform's plans, which one stack does not need.
    const { runStacks } = await import("./run-stacks");
    return runStacks(several, (stack) =>
      runCdktf(cdktfArgv({ command: args.command, stacks: [stack], flags }, env.TF_CLI_CONFIG_FILE), env),
    );
  }
  return runCdktf(cdktfArgv(args, env.TF_CLI_CONFIG_FILE), { ...env, ...selectionEnv(args, env) });
}

if (require.main === module) runMain(main);

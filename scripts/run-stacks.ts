// Deploys or destroys several stacks (scripts/cdktf.sh hands over any deploy or destroy that names
// more than one stack, or a glob):
//   1. resolves the names and globs against the platform, and refuses a selection that misses a
//      stack it depends on (deploy) or one that depends on it (destroy), unless
//      --ignore-missing-stack-dependencies is given;
//   2. synthesizes exactly those stacks, once, into the output directory;
//   3. runs one cdktf process per stack (`scripts/cdktf.sh <command> <stack> --skip-synth`) in layer
//      order (deploy: bootstrap, foundation, modules; destroy the reverse), stacks that do not
//      depend on each other at once, up to --parallelism (default: one per CPU core).
// One process per stack because cdktf-cli 0.21.0, running several stacks itself, stops the engines
// still running when one of them fails, and they leave their state locks behind. Here a failure
// starts nothing new, and the stacks already running finish on their own. Exit 0 when every stack
// succeeded, 1 otherwise, with a line per stack.
import { spawn } from "node:child_process";
import { cpus } from "node:os";
import { resolve } from "node:path";
import { planPlatform, type EnvironmentPlan, selectStacks, stackLayers } from "../app";
import { ConfigError, loadEnvironments } from "../environments";
import { MODULES, platformInputs } from "../packages";
import { inDependencyOrder, synthStacks } from "./lib/stack-runs";

const repo = resolve(__dirname, "..");
const VALUE_FLAGS = new Set(["--terraform-parallelism", "--var", "--var-file", "--app", "-a"]);

export interface StackRunArgs {
  readonly command: "deploy" | "destroy";
  readonly selection: string[];
  readonly parallelism: number;
  readonly ignoreMissing: boolean;
  readonly output: string;
  /** cdktf flags handed to every stack's process as given. */
  readonly passThrough: string[];
}

export function parseStackRunArgs(argv: string[], cores = cpus().length): StackRunArgs {
  const [command, ...rest] = argv;
  if (command !== "deploy" && command !== "destroy")
    throw new ConfigError(`usage: scripts/run-stacks.ts deploy|destroy <stack or glob...> [cdktf flags]`);
  const selection: string[] = [];
  const passThrough: string[] = [];
  let parallelism = cores;
  let ignoreMissing = false;
  let output = "cdktf.out";
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].startsWith("--") && rest[i].includes("=") ? rest[i].split(/=(.*)/s) : [rest[i]];
    const value = () => {
      const v = inline ?? rest[++i];
      if (v === undefined) throw new ConfigError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--parallelism") {
      parallelism = Number(value());
      if (!Number.isInteger(parallelism) || parallelism < 1)
        throw new ConfigError(`--parallelism takes a whole number from 1, not ${rest[i]}`);
    } else if (flag === "--ignore-missing-stack-dependencies") ignoreMissing = true;
    else if (flag === "--output" || flag === "-o") output = value();
    else if (flag === "--outputs-file")
      throw new ConfigError(
        "--outputs-file with several stacks: each stack runs in its own cdktf process; name one stack per command, or read outputs with `tofu output -json` in cdktf.out/stacks/<stack>",
      );
    else if (VALUE_FLAGS.has(flag)) passThrough.push(flag, value());
    else if (flag.startsWith("-")) passThrough.push(rest[i]);
    else selection.push(rest[i]);
  }
  if (selection.length === 0) throw new ConfigError(`${command}: name at least one stack or glob`);
  return { command, selection, parallelism, ignoreMissing, output: resolve(repo, output), passThrough };
}

/**
 * The selected stacks and, per stack, the selected stacks it must wait for: in the same environment,
 * the layers below it for deploy, the layers above it for destroy. Refuses a selection that lacks a
 * stack it depends on (or that depends on it, for destroy) unless missing ones are to be ignored.
 */
export function stackOrder(
  plans: EnvironmentPlan[],
  args: Pick<StackRunArgs, "command" | "selection" | "ignoreMissing">,
): { stacks: string[]; after: Map<string, string[]> } {
  const selected = selectStacks(plans, args.selection.join(","), "the stacks to " + args.command) ?? new Set();
  const after = new Map<string, string[]>();
  const missing = new Set<string>();
  for (const plan of plans) {
    const layers = stackLayers(plan);
    if (args.command === "destroy") layers.reverse();
    layers.forEach((layer, depth) => {
      for (const stack of layer.filter((s) => selected.has(s))) {
        // Deploy waits for the layers it reads; destroy for the layers that read it. The layer next
        // to it is what it depends on directly, and must be selected too.
        const before = layers.slice(0, depth).flat();
        (layers[depth - 1] ?? []).filter((s) => !selected.has(s)).forEach((s) => missing.add(s));
        after.set(
          stack,
          before.filter((s) => selected.has(s)),
        );
      }
    });
  }
  if (missing.size > 0 && !args.ignoreMissing)
    throw new ConfigError(
      `${args.command} of ${[...selected].join(", ")}: ${args.command === "deploy" ? "the stacks they depend on" : "the stacks that depend on them"} are not selected: ${[...missing].join(", ")}; add them, or add --ignore-missing-stack-dependencies`,
    );
  return { stacks: [...selected], after };
}

/**
 * Stacks at once: --parallelism, except without --auto-approve, where each stack asks for approval
 * on the terminal and two prompts at once would read the same keystrokes: then one at a time.
 */
export function stacksAtOnce(args: Pick<StackRunArgs, "parallelism" | "passThrough">): number {
  return args.passThrough.includes("--auto-approve") ? args.parallelism : 1;
}

function runStack(args: StackRunArgs, stack: string): Promise<boolean> {
  const argv = ["scripts/cdktf.sh", args.command, stack, "--skip-synth", "--output", args.output, ...args.passThrough];
  return new Promise((done) => {
    const child = spawn("bash", argv, {
      cwd: repo,
      stdio: "inherit",
      // The preflight ran once for the whole selection.
      env: { ...process.env, PLATFORM_LOCKING_PREFLIGHT: "0" },
    });
    child.on("error", () => done(false));
    child.on("close", (code) => done(code === 0));
  });
}

async function main(): Promise<void> {
  const args = parseStackRunArgs(process.argv.slice(2));
  const plans = planPlatform(loadEnvironments(platformInputs(), ""), MODULES);
  const { stacks, after } = stackOrder(plans, args);
  synthStacks(stacks, args.output);
  const started = Date.now();
  const seconds = new Map<string, number>();
  const atOnce = stacksAtOnce(args);
  if (atOnce < args.parallelism)
    console.log("[run-stacks] without --auto-approve each stack asks in turn: one at a time");
  const outcome = await inDependencyOrder(
    stacks,
    (s) => after.get(s) ?? [],
    atOnce,
    async (stack) => {
      const begin = Date.now();
      const ok = await runStack(args, stack);
      seconds.set(stack, (Date.now() - begin) / 1000);
      return ok;
    },
  );
  console.log(
    `\n[run-stacks] ${args.command} of ${stacks.length} stacks, ${atOnce} at a time, ${((Date.now() - started) / 1000).toFixed(0)} s:`,
  );
  for (const stack of stacks) {
    const s = seconds.get(stack);
    console.log(`  ${stack}: ${outcome.get(stack)}${s === undefined ? "" : ` (${s.toFixed(0)} s)`}`);
  }
  if ([...outcome.values()].some((o) => o !== "done")) process.exit(1);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}

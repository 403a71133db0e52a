// Deploys or destroys several stacks (scripts/cdktf.ts hands over any deploy or destroy that names
// more than one stack, or a glob):
//   1. resolves the names and globs against the platform, and refuses a selection that misses a
//      stack it depends on (deploy) or one that depends on it (destroy), unless
//      --ignore-missing-stack-dependencies is given;
//   2. synthesizes exactly those stacks, once, into the output directory;
//   3. runs each stack (one cdktf process, with --skip-synth) in layer order (deploy: bootstrap,
//      foundation, modules; destroy the reverse), stacks that do not depend on each other at once,
//      up to --parallelism.
// One process per stack because cdktf-cli 0.21.0, running several stacks itself, stops the engines
// still running when one of them fails, and they leave their state locks behind. Here a failure
// starts nothing new, and the stacks already running finish on their own. Exit 0 when every stack
// succeeded, 1 otherwise, with a line per stack.
import { type EnvironmentPlan, selectStacks, stackLayers } from "../app";
import { loadPlatform } from "./lib/platform";
import { ConfigError } from "../environments";
import { inDependencyOrder, synthStacks } from "./lib/stack-runs";

export interface StackRunArgs {
  readonly command: "deploy" | "destroy";
  /** Stack names and globs. */
  readonly selection: string[];
  readonly parallelism: number;
  readonly ignoreMissing: boolean;
  /** The output directory the selection is synthesized into. */
  readonly output: string;
  /** cdktf flags handed to every stack's process as given. */
  readonly passThrough: string[];
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

/**
 * Runs the selection: synthesizes it once, then `runOne` for each stack in dependency order; a
 * failure starts nothing new. Resolves to 0 when every stack succeeded, 1 otherwise.
 */
export async function runStacks(args: StackRunArgs, runOne: (stack: string) => Promise<number>): Promise<number> {
  const plans = loadPlatform();
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
      const ok = (await runOne(stack)) === 0;
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
  return [...outcome.values()].some((o) => o !== "done") ? 1 : 0;
}

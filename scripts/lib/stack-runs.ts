// What the commands that work on synthesized stacks share: running OpenTofu/Terraform without
// blocking the others, synthesizing only the selected stacks, and running stacks N at a time with
// their reports printed one block per stack in a stable order.
import { spawn, spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { guarded } from "./engine";

const repo = resolve(__dirname, "..", "..");

export interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the Terraform binary in `cwd` (through scripts/engine.sh) and collects its output. */
export function tofu(binary: string, cwd: string, args: string[]): Promise<Ran> {
  return new Promise((resolvePromise) => {
    const { command, env } = guarded(binary);
    const child = spawn(command, args, { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", (e) => resolvePromise({ status: null, stdout, stderr: `${stderr}${e.message}` }));
    child.on("close", (status) => resolvePromise({ status, stdout, stderr }));
  });
}

/** What planToFile gives: the plan's JSON and the plan's exit code, or the step that failed with its output. */
export type PlannedToFile = { readonly exitCode: number; readonly json: unknown } | { readonly error: string };

/**
 * The plan of one synthesized stack directory, saved to `file`: init, plan with `planArgs` (exit 2
 * counts as done: changes, under -detailed-exitcode), and the file's `show -json`.
 */
export async function planToFile(
  binary: string,
  dir: string,
  file: string,
  planArgs: readonly string[],
): Promise<PlannedToFile> {
  // -reconfigure: a working directory from before a locking change takes the new lock settings;
  // the state location of a stack never changes (stacks/state.ts), so there is nothing to migrate.
  const init = await tofu(binary, dir, ["init", "-input=false", "-no-color", "-reconfigure"]);
  if (init.status !== 0) return { error: `init failed:\n${init.stdout}${init.stderr}` };
  const plan = await tofu(binary, dir, ["plan", "-input=false", "-no-color", ...planArgs, `-out=${file}`]);
  if (plan.status !== 0 && plan.status !== 2) return { error: `plan failed:\n${plan.stdout}${plan.stderr}` };
  const show = await tofu(binary, dir, ["show", "-json", file]);
  if (show.status !== 0) return { error: `show -json failed:\n${show.stderr}` };
  return { exitCode: plan.status, json: JSON.parse(show.stdout) };
}

/** Synthesizes exactly `stacks` into `outdir` (its `stacks/<name>` directories); throws with synth's message. */
export function synthStacks(stacks: readonly string[], outdir: string, env: NodeJS.ProcessEnv = {}): void {
  const synth = spawnSync(process.execPath, ["-r", "./scripts/register.js", "main.ts"], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, PLATFORM_ENVIRONMENTS: "", PLATFORM_STACKS: stacks.join(","), CDKTF_OUTDIR: outdir, ...env },
  });
  if (synth.status !== 0) throw new Error(`synth failed:\n${synth.stderr}`);
}

/**
 * Runs `work` for every item, `parallelism` at a time, and hands each result to `report` in the
 * order of `items` as soon as every earlier one is done, so output stays one block per item.
 */
export async function inOrder<T, R>(
  items: readonly T[],
  parallelism: number,
  work: (item: T) => Promise<R>,
  report: (result: R) => void,
): Promise<R[]> {
  const results: (R | undefined)[] = items.map(() => undefined);
  const done = items.map(() => false);
  let printed = 0;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) {
      results[i] = await work(items[i]);
      done[i] = true;
      for (; printed < items.length && done[printed]; printed++) report(results[printed]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallelism, items.length)) }, worker));
  return results as R[];
}

/** How one item of inDependencyOrder ended. */
export type Outcome = "done" | "failed" | "not started";

/**
 * Runs `work` for every item once the items it comes `after` are done, up to `parallelism` at once.
 * `work` resolves true for success. After a failure nothing new starts: the running items finish on
 * their own (a deploy's engine releases its state lock), and the rest end as "not started".
 */
export async function inDependencyOrder(
  items: readonly string[],
  after: (item: string) => readonly string[],
  parallelism: number,
  work: (item: string) => Promise<boolean>,
): Promise<Map<string, Outcome>> {
  const outcome = new Map<string, Outcome>();
  const running = new Map<string, Promise<void>>();
  let failed = false;
  const ready = () =>
    items.filter((i) => !outcome.has(i) && !running.has(i) && after(i).every((d) => outcome.get(d) === "done"));
  for (;;) {
    if (!failed) {
      for (const item of ready().slice(0, Math.max(1, parallelism) - running.size)) {
        running.set(
          item,
          work(item).then(
            (ok) => {
              outcome.set(item, ok ? "done" : "failed");
              failed ||= !ok;
              running.delete(item);
            },
            () => {
              outcome.set(item, "failed");
              failed = true;
              running.delete(item);
            },
          ),
        );
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  for (const item of items) if (!outcome.has(item)) outcome.set(item, "not started");
  return outcome;
}

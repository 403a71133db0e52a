import { AsyncLocalStorage } from "node:async_hooks";
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

export const REPO = join(__dirname, "..", "..");
export const LOG_DIR = join(REPO, ".e2e", "logs");
mkdirSync(LOG_DIR, { recursive: true });

/** Wall time per phase, printed at the end of the run. */
export const timings: { phase: string; seconds: number }[] = [];

/** The timings as printed at the end of the run. */
export function timingsReport(): string {
  return ["e2e phase timings (s):", ...timings.map((t) => `  ${t.phase.padEnd(78)} ${t.seconds.toFixed(1)}`)].join(
    "\n",
  );
}

export interface RunResult {
  readonly code: number;
  readonly output: string;
  readonly seconds: number;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Text written to stdin, then stdin is closed. */
  readonly input?: string;
  /** Log file name under .e2e/logs. */
  readonly log: string;
}

/** A running command: its stdin stays open until ended, its output so far is readable. */
export interface Running {
  readonly done: Promise<RunResult>;
  output(): string;
  write(text: string): void;
  end(): void;
}

/** The niceness of the commands started in the current async context (lowPriority), if raised. */
const niceness = new AsyncLocalStorage<number>();

/**
 * Runs `body` with every command it starts (and their children: engines, providers, an emulator)
 * at nice 10. Work beside the main line yields the CPU to it: the main line is the critical path, and
 * the work beside it has minutes of slack on 2 cores.
 */
export function lowPriority<T>(body: () => Promise<T>): Promise<T> {
  return niceness.run(10, body);
}

/** Starts a command; output goes to a log file under .e2e/logs. */
export function start(command: string, args: string[], options: Omit<RunOptions, "input">): Running {
  const started = Date.now();
  const logFile = join(LOG_DIR, options.log);
  const nice = niceness.getStore();
  const [file, argv] = nice ? ["nice", ["-n", String(nice), command, ...args]] : [command, args];
  appendFileSync(logFile, `\n$ ${file} ${argv.join(" ")}   (cwd ${options.cwd ?? REPO})\n`);
  const child = spawn(file, argv, {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    appendFileSync(logFile, chunk);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const done = new Promise<RunResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output, seconds: (Date.now() - started) / 1000 }));
  });
  return { done, output: () => output, write: (text) => child.stdin.write(text), end: () => child.stdin.end() };
}

/** Runs a command to completion. Never throws on exit code. */
export function run(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const running = start(command, args, options);
  if (options.input !== undefined) running.write(options.input);
  running.end();
  return running.done;
}

/** Resolves once `predicate` holds for the command's output; fails if it exits first or times out. */
export async function waitForOutput(
  running: Running,
  predicate: (output: string) => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void running.done.then(() => (exited = true));
  while (!predicate(running.output())) {
    if (exited) throw new Error(`command exited before the expected output:\n${running.output().slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for output:\n${running.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Like run, but a non-zero exit fails with the tail of the output. */
export async function must(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    const tail = result.output.split("\n").slice(-40).join("\n");
    throw new Error(`${command} ${args.join(" ")} exited ${result.code} (log .e2e/logs/${options.log}):\n${tail}`);
  }
  return result;
}

/** Times one phase. */
export async function phase<T>(name: string, body: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await body();
  } finally {
    timings.push({ phase: name, seconds: (Date.now() - started) / 1000 });
  }
}

/** The toolchain environment as the project's scripts set it. */
export { toolchainEnv } from "../../scripts/lib/toolchain-env";

// Running one command of the bench and measuring it: wall time, CPU, peak RSS and the RSS of its
// whole process tree, medians over runs.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { log, mb } from "./report";

export interface Case {
  readonly key: string;
  readonly label: string;
  readonly cwd: string;
  readonly argv: string[];
  /** Environment variables set for the command (shown in the command line). */
  readonly env: Record<string, string>;
}

export interface Sample {
  /** Wall time of the command, seconds, measured here around the spawn. */
  readonly wall: number;
  /** GNU time %U + %S: CPU seconds of the tree, less sensitive than wall time to other load. */
  readonly cpu: number;
  /** GNU time %M: largest RSS of any process of the tree (wait4 rusage), bytes. */
  readonly maxRss: number;
  /** Largest sum of the RSS of all processes of the tree at once, sampled every 25 ms, bytes. */
  readonly treeRss: number;
}

let tmpRoot = "";

/** Where outputs and time files go: the bench's temporary directory. */
export function useScratch(dir: string): void {
  tmpRoot = dir;
}
const PAGE = 4096;

export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: "false", ...extra };
  for (const v of [
    "PLATFORM_ENVIRONMENTS",
    "PLATFORM_STACKS",
    "TS_NODE_TRANSPILE_ONLY",
    "TS_NODE_TRANSPILER",
    "TS_NODE_SWC",
    "NODE_OPTIONS",
  ]) {
    if (!(v in extra)) delete env[v];
  }
  return env;
}

export function outdirOf(c: Case): string {
  return path.join(tmpRoot, "out", c.key);
}

export function commandLine(c: Case): string {
  const env = Object.entries({ ...c.env, CDKTF_OUTDIR: outdirOf(c) })
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  return `(cd ${c.cwd} && ${env} /usr/bin/time -f "%e s %M KB" ${c.argv.join(" ")})`;
}

/** Descendants of pid (not pid itself) through /proc/<pid>/task/<tid>/children. */
function descendants(pid: number): number[] {
  const out: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop() as number;
    let tasks: string[];
    try {
      tasks = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        for (const c of fs.readFileSync(`/proc/${p}/task/${t}/children`, "utf8").split(" ").filter(Boolean)) {
          out.push(Number(c));
          stack.push(Number(c));
        }
      } catch {
        // the task ended meanwhile
      }
    }
  }
  return out;
}

function treeRssBytes(pid: number): number {
  let sum = 0;
  for (const p of descendants(pid)) {
    try {
      sum += Number(fs.readFileSync(`/proc/${p}/statm`, "utf8").split(" ")[1]) * PAGE;
    } catch {
      // exited meanwhile
    }
  }
  return sum;
}

export function run(c: Case): Promise<Sample> {
  const outdir = outdirOf(c);
  fs.rmSync(outdir, { recursive: true, force: true });
  const timeFile = path.join(tmpRoot, `time-${c.key}.txt`);
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn("/usr/bin/time", ["-f", "%e %M %U %S", "-o", timeFile, ...c.argv], {
      cwd: c.cwd,
      env: childEnv({ ...c.env, CDKTF_OUTDIR: outdir }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    let treeRss = 0;
    const timer = setInterval(() => {
      if (child.pid) treeRss = Math.max(treeRss, treeRssBytes(child.pid));
    }, 25);
    child.on("error", (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on("close", (code) => {
      const wall = Number(process.hrtime.bigint() - start) / 1e9;
      clearInterval(timer);
      if (code !== 0) {
        reject(new Error(`${c.label} failed with exit code ${code}:\n  ${commandLine(c)}\n${output.slice(-6000)}`));
        return;
      }
      const last = fs.readFileSync(timeFile, "utf8").trim().split("\n").pop() ?? "";
      const [, maxRssKb, user, sys] = last.split(/\s+/).map(Number);
      if (![maxRssKb, user, sys].every(Number.isFinite)) {
        reject(new Error(`could not read /usr/bin/time output "${last}" for ${c.label}`));
        return;
      }
      resolve({ wall, cpu: user + sys, maxRss: maxRssKb * 1024, treeRss: Math.max(treeRss, maxRssKb * 1024) });
    });
  });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface Result {
  readonly c: Case;
  readonly samples: Sample[];
  readonly wall: number;
  readonly cpu: number;
  readonly maxRss: number;
  readonly treeRss: number;
}

export function summarize(c: Case, samples: Sample[]): Result {
  return {
    c,
    samples,
    wall: median(samples.map((s) => s.wall)),
    cpu: median(samples.map((s) => s.cpu)),
    maxRss: median(samples.map((s) => s.maxRss)),
    treeRss: median(samples.map((s) => s.treeRss)),
  };
}

/** Runs the cases round-robin (a, b, a, b, ...) so background load hits them alike. */
export async function measureInterleaved(cases: Case[], runs: number): Promise<Result[]> {
  const samples = new Map<string, Sample[]>(cases.map((c) => [c.key, []]));
  for (let r = 0; r < runs; r++) {
    for (const c of cases) {
      const s = await run(c);
      samples.get(c.key)?.push(s);
      log(`  run ${r + 1}/${runs} ${c.label}: ${s.wall.toFixed(2)} s, cpu ${s.cpu.toFixed(2)} s, ${mb(s.maxRss)}`);
    }
  }
  return cases.map((c) => summarize(c, samples.get(c.key) ?? []));
}

// Synth benchmark: `npm run bench` (node -r ./scripts/register.js scripts/bench.ts).
//
// Measures wall time and peak RSS, median of --runs runs each, of:
//   (a) the project's synth: SWC strips types, deep provider imports, every stack of every environment;
//   (b) the same app run the `cdktf init --template=typescript` way: `npx ts-node main.ts` with
//       type-checking on and barrel imports (`@cdktf/provider-aws` instead of `.../lib/s3-bucket`),
//       produced by rewriting a copy of the sources; its output is checked to be identical to (a)'s;
//   (c) (b)'s runner on (a)'s deep imports, so the speedup splits into runner and imports;
//   one environment and one stack (what `npm run deploy -- <stack>` synthesizes) as a fraction of (a);
//   N synthetic modules (--scale 10,50,200) added to a copy, all 4 environments, growth per module,
//   and the one-stack synth at each N against the one-stack synth of the repository's 3 modules;
//   a no-change plan of every local stack: serial `cdktf diff` vs `npm run plan`, and the floor
//   (bench-plans.ts; its own emulator; --no-plans skips it);
//   the unit tier, `npm test`, once (--no-unit skips it).
//
// Everything runs on copies in a temporary directory (node_modules symlinked), removed at the end
// (--keep leaves it for reproducing a line by hand). The repository itself is only read.
//
// Flags: --runs N (default 5)   --scale 10,50,200   --large-runs N (at most N runs for N >= 100, default 3)
//        --quick (1 run, scale 2,5: a smoke test)   --keep   --no-plans   --no-unit
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { benchPlans } from "./bench-plans";
import { FOUNDATION_STACK, splitStackName } from "../core/naming";

const ROOT = path.resolve(__dirname, "..");
/** Top-level entries never copied: dependencies (symlinked instead), history, outputs, local state. */
const NOT_COPIED = new Set([
  "node_modules",
  ".git",
  "cdktf.out",
  "coverage",
  "dist",
  ".e2e",
  ".plans",
  ".bootstrap",
  ".terraform",
]);
const PROVIDERS = ["@cdktf/provider-aws", "@cdktf/provider-kubernetes", "@cdktf/provider-helm"];
/** Goals stated by the issue. */
const GOAL_RATIO = 1 / 5;
const GOAL_SCALE_MODULES = 200;
const GOAL_SCALE_SECONDS = 20;
const GOAL_SCALE_BYTES = 1.5 * 1024 ** 3;

interface Options {
  runs: number;
  largeRuns: number;
  scale: number[];
  quick: boolean;
  keep: boolean;
  /** The no-change plan comparison against an emulator (bench-plans.ts); --no-plans skips it. */
  plans: boolean;
  /** The unit tier (npm test) once; --no-unit skips it. */
  unit: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    runs: 5,
    largeRuns: 3,
    scale: [10, 50, 200],
    quick: false,
    keep: false,
    plans: true,
    unit: true,
  };
  const positive = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got "${value ?? ""}"`);
    return n;
  };
  let scaleGiven = false;
  let runsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--runs":
        opts.runs = positive(flag, value());
        runsGiven = true;
        break;
      case "--large-runs":
        opts.largeRuns = positive(flag, value());
        break;
      case "--scale":
        opts.scale = (value() ?? "")
          .split(",")
          .filter(Boolean)
          .map((v) => positive(flag, v));
        scaleGiven = true;
        break;
      case "--quick":
        opts.quick = true;
        break;
      case "--keep":
        opts.keep = true;
        break;
      case "--no-plans":
        opts.plans = false;
        break;
      case "--no-unit":
        opts.unit = false;
        break;
      case "--help":
      case "-h":
        console.log(
          "usage: npm run bench -- [--runs N] [--scale 10,50,200] [--large-runs N] [--quick] [--keep] [--no-plans] [--no-unit]",
        );
        process.exit(0);
      // falls through (process.exit never returns)
      default:
        throw new Error(`unknown flag "${arg}"; try --help`);
    }
  }
  if (opts.quick) {
    if (!runsGiven) opts.runs = 1;
    if (!scaleGiven) opts.scale = [2, 5];
    opts.largeRuns = Math.min(opts.largeRuns, opts.runs);
  }
  opts.scale = [...new Set(opts.scale)].sort((a, b) => a - b);
  return opts;
}

// ---------------------------------------------------------------------------------------------
// Copies and source rewriting

function copyProject(dest: string): void {
  fs.cpSync(ROOT, dest, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(ROOT, src);
      return rel === "" || !NOT_COPIED.has(rel.split(path.sep)[0]);
    },
  });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dest, "node_modules"), "dir");
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(full));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out.sort();
}

/** `lib/<path>` -> namespace the barrel exports it as, read from the package's lib/index.d.ts. */
function barrelNamespaces(pkg: string): Map<string, string> {
  const index = path.join(path.dirname(require.resolve(`${pkg}/package.json`, { paths: [ROOT] })), "lib", "index.d.ts");
  const map = new Map<string, string>();
  for (const m of fs.readFileSync(index, "utf8").matchAll(/^export \* as (\w+) from '\.\/([^']+)';$/gm))
    map.set(m[2], m[1]);
  if (map.size === 0) throw new Error(`no "export * as" lines in ${index}; cannot map deep imports to the barrel`);
  return map;
}

const DEEP_IMPORT = /^import (type )?\{([^}]*)\} from "(@cdktf\/provider-[a-z0-9-]+)\/lib\/([^"]+)";[ \t]*$/gm;

/**
 * Rewrites every `import { X, Y } from "@cdktf/provider-aws/lib/some-thing"` into a barrel import:
 * `import * as __cdktf_provider_aws from "@cdktf/provider-aws";` once per file, then
 * `import X = __cdktf_provider_aws.someThing.X;` per name. An import alias keeps both the value and
 * the type meaning of X (a `const { X } = ...` would lose the type, `bucket: S3Bucket` would no
 * longer compile), so the rest of the file is unchanged, as if written `new aws.someThing.X(...)`.
 */
function rewriteToBarrels(dir: string): { files: number; imports: number } {
  const namespaces = new Map(PROVIDERS.map((p) => [p, barrelNamespaces(p)]));
  let files = 0;
  let imports = 0;
  for (const file of tsFiles(dir)) {
    const source = fs.readFileSync(file, "utf8");
    const used = new Set<string>();
    const rewritten = source.replace(
      DEEP_IMPORT,
      (_line, _typeOnly: string | undefined, names: string, pkg: string, sub: string) => {
        const ns = namespaces.get(pkg)?.get(sub);
        if (!ns) throw new Error(`${path.relative(dir, file)}: ${pkg}/lib/${sub} is not exported by the ${pkg} barrel`);
        const local = `__${pkg.replace(/^@cdktf\//, "cdktf_").replace(/-/g, "_")}`;
        used.add(`import * as ${local} from "${pkg}";`);
        imports++;
        return names
          .split(",")
          .map((n) => n.trim())
          .filter(Boolean)
          .map((n) => {
            // `import { type X }` / `import type { X }`: an import alias of a type-only name is erased like one.
            const [exported, alias] = n.replace(/^type\s+/, "").split(/\s+as\s+/);
            return `import ${alias ?? exported} = ${local}.${ns}.${exported};`;
          })
          .join("\n");
      },
    );
    if (used.size === 0) continue;
    if (/(from\s+|require\(\s*)["']@cdktf\/provider-[a-z0-9-]+\/lib\//.test(rewritten)) {
      throw new Error(
        `${path.relative(dir, file)}: a deep provider import was left after rewriting (not a one-line named import?)`,
      );
    }
    fs.writeFileSync(file, `${[...used].join("\n")}\n${rewritten}`);
    files++;
  }
  return { files, imports };
}

/** A synthetic module: a PrivateBucket and a QueueWithDeadLetter, both on the foundation's KMS key. */
function syntheticModuleSource(i: number): string {
  return `import { TerraformOutput } from "cdktf";
import { z } from "zod";
import { PrivateBucket } from "../../constructs/private-bucket";
import { QueueWithDeadLetter } from "../../constructs/queue";
import { defineModule } from "../../stacks/module-api";

export const synthetic${i} = defineModule({
  name: "synthetic-${i}",
  owner: "@acme/bench",
  description: "Benchmark module ${i}: a private bucket and a queue with a dead-letter queue.",
  consumes: ["kms_key_arn"],
  image: false,
  settings: z.object({ maxReceiveCount: z.number().int().min(1).default(${(i % 5) + 3}) }).strict(),
  build({ scope, env, settings: s, foundation, name }) {
    const kmsKeyArn = foundation.string("kms_key_arn");
    const data = new PrivateBucket(scope, "data", {
      bucketName: name(\`data-\${env.accountId}\`),
      kmsKeyArn,
      protect: env.deletionProtection,
    });
    const work = new QueueWithDeadLetter(scope, "work", { queueName: name("work"), kmsKeyArn, maxReceiveCount: s.maxReceiveCount });
    new TerraformOutput(scope, "data_bucket_name", { value: data.bucketName });
    new TerraformOutput(scope, "work_queue_url", { value: work.queue.url });
  },
});
`;
}

/** Adds packages/synthetic-<i>/ for i < n, registers them in packages/index.ts and enables them. */
function addSyntheticModules(dir: string, n: number): void {
  const ids = Array.from({ length: n }, (_, i) => i);
  for (const i of ids) {
    fs.mkdirSync(path.join(dir, "packages", `synthetic-${i}`), { recursive: true });
    fs.writeFileSync(path.join(dir, "packages", `synthetic-${i}`, "index.ts"), syntheticModuleSource(i));
  }
  const registryFile = path.join(dir, "packages", "index.ts");
  const registry = fs.readFileSync(registryFile, "utf8");
  const list = /(export const MODULES\b[^=]*=\s*\[)([^\]]*)(\])/;
  if (!list.test(registry))
    throw new Error("packages/index.ts: no `export const MODULES = [...]` to register synthetic modules in");
  const names = ids.map((i) => `synthetic${i}`).join(", ");
  fs.writeFileSync(
    registryFile,
    ids.map((i) => `import { synthetic${i} } from "./synthetic-${i}";`).join("\n") +
      "\n" +
      registry.replace(
        list,
        (_m, open: string, body: string, close: string) => `${open}${body.trim().replace(/,$/, "")}, ${names}${close}`,
      ),
  );
  enableSyntheticModules(dir, ids);
}

/**
 * Enables the modules in every environment: in environments/modules/index.ts (MODULE_ENVIRONMENTS,
 * one `default` entry per module) when the copy has it, else under `modules` in environments/base.ts.
 */
function enableSyntheticModules(dir: string, ids: number[]): void {
  const perModule = path.join(dir, "environments", "modules", "index.ts");
  if (fs.existsSync(perModule)) {
    const source = fs.readFileSync(perModule, "utf8");
    const record = /(export const MODULE_ENVIRONMENTS\b[^=]*=\s*\{)/;
    if (!record.test(source))
      throw new Error(
        "environments/modules/index.ts: no `export const MODULE_ENVIRONMENTS = {` to enable synthetic modules in",
      );
    const entries = ids.map((i) => `\n  "synthetic-${i}": { default: { enabled: true, settings: {} } },`).join("");
    fs.writeFileSync(
      perModule,
      source.replace(record, (open: string) => `${open}${entries}`),
    );
    return;
  }
  const baseFile = path.join(dir, "environments", "base.ts");
  const base = fs.readFileSync(baseFile, "utf8");
  if (!/^ {2}modules: \{$/m.test(base))
    throw new Error("environments/base.ts: no `  modules: {` line to enable synthetic modules in");
  const entries = ids.map((i) => `    "synthetic-${i}": { enabled: true, settings: {} },`).join("\n");
  fs.writeFileSync(baseFile, base.replace(/^ {2}modules: \{$/m, `  modules: {\n${entries}`));
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Case {
  readonly key: string;
  readonly label: string;
  readonly cwd: string;
  readonly argv: string[];
  /** Environment variables set for the command (shown in the command line). */
  readonly env: Record<string, string>;
}

interface Sample {
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
const PAGE = 4096;

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
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

function outdirOf(c: Case): string {
  return path.join(tmpRoot, "out", c.key);
}

function commandLine(c: Case): string {
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

function run(c: Case): Promise<Sample> {
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

interface Result {
  readonly c: Case;
  readonly samples: Sample[];
  readonly wall: number;
  readonly cpu: number;
  readonly maxRss: number;
  readonly treeRss: number;
}

function summarize(c: Case, samples: Sample[]): Result {
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
async function measureInterleaved(cases: Case[], runs: number): Promise<Result[]> {
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

// ---------------------------------------------------------------------------------------------
// Checks of what was synthesized

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

function stacksIn(outdir: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, unknown>;
  };
  return Object.keys(manifest.stacks).sort();
}

/** Every file under both directories, byte for byte; throws on the first difference. */
function compareFiles(a: string, b: string): number {
  const fa = filesUnder(a);
  const fb = filesUnder(b);
  if (fa.join("\n") !== fb.join("\n")) throw new Error(`${a} and ${b} differ in their files`);
  for (const f of fa) {
    if (!fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))))
      throw new Error(`outputs differ: ${f}`);
  }
  return fa.length;
}

/** Every file of both outputs, byte for byte; throws on the first difference. */
function compareOutputs(a: string, b: string): { stacks: number; files: number } {
  const fa = filesUnder(a);
  const fb = filesUnder(b);
  if (fa.join("\n") !== fb.join("\n")) {
    const onlyA = fa.filter((f) => !fb.includes(f));
    const onlyB = fb.filter((f) => !fa.includes(f));
    throw new Error(
      `outputs differ in their files: only in (a): ${onlyA.slice(0, 5).join(", ")}; only in (b): ${onlyB.slice(0, 5).join(", ")}`,
    );
  }
  for (const f of fa) {
    if (!fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))))
      throw new Error(`outputs differ: ${f}`);
  }
  return { stacks: stacksIn(a).length, files: fa.length };
}

// ---------------------------------------------------------------------------------------------
// Output

function log(line = ""): void {
  console.log(line);
}

function mb(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(0)} MB`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function lpad(s: string, n: number): string {
  return s.length >= n ? s : " ".repeat(n - s.length) + s;
}

function table(results: Result[]): void {
  const w = Math.max(...results.map((r) => r.c.label.length), 4);
  log(
    `${pad("case", w)}  runs  ${lpad("wall median", 11)}  ${lpad("min-max", 13)}  ${lpad("cpu", 8)}  ${lpad("peak RSS", 9)}  ${lpad("tree RSS", 9)}`,
  );
  for (const r of results) {
    const walls = r.samples.map((s) => s.wall);
    const range = `${Math.min(...walls).toFixed(2)}-${Math.max(...walls).toFixed(2)} s`;
    log(
      `${pad(r.c.label, w)}  ${lpad(String(r.samples.length), 4)}  ${lpad(`${r.wall.toFixed(2)} s`, 11)}  ${lpad(range, 13)}  ${lpad(`${r.cpu.toFixed(2)} s`, 8)}  ${lpad(mb(r.maxRss), 9)}  ${lpad(mb(r.treeRss), 9)}`,
    );
  }
}

function verdict(met: boolean): string {
  return met ? "MET" : "NOT MET";
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-bench-"));
  fs.mkdirSync(path.join(tmpRoot, "out"));
  const cleanup = () => {
    if (!opts.keep) fs.rmSync(tmpRoot, { recursive: true, force: true });
  };
  process.on("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  const began = Date.now();
  try {
    log(`cdktf synth benchmark, ${new Date().toISOString()}`);
    log(
      `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, ` +
        `node ${process.version}, load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(" ")}`,
    );
    log(
      `runs: ${opts.runs} per case (medians), scale: ${opts.scale.join(", ")} modules${opts.quick ? " (--quick smoke run)" : ""}`,
    );
    log("peak RSS = GNU time %M, the largest RSS of one process of the command's tree (kernel wait4 accounting);");
    log("tree RSS = largest sum of RSS over all processes of the tree at one moment (sampled every 25 ms);");
    log("cpu = user + sys CPU seconds of the tree (GNU time %U + %S), steadier than wall time under other load.");
    log();

    // Snapshots: (a) runs a plain copy, (b) a copy rewritten to barrel imports; same sources.
    const deep = path.join(tmpRoot, "deep");
    const barrel = path.join(tmpRoot, "barrel");
    copyProject(deep);
    copyProject(barrel);
    const rewrite = rewriteToBarrels(barrel);
    log(`(b) copy: rewrote ${rewrite.imports} deep provider imports in ${rewrite.files} files to barrel imports`);

    const swc = ["node", "-r", "./scripts/register.js", "main.ts"];
    const a: Case = { key: "a", label: "(a) full synth: SWC, deep imports", cwd: deep, argv: swc, env: {} };
    const b: Case = {
      key: "b",
      label: "(b) full synth: npx ts-node (type-check), barrels",
      cwd: barrel,
      argv: ["npx", "ts-node", "main.ts"],
      env: {},
    };
    // The baseline split in two: (c) is (b)'s runner on (a)'s deep imports, so (b)/(c) is what the
    // imports are worth and (c)/(a) what the runner is worth.
    const c: Case = {
      key: "c",
      label: "(c) full synth: npx ts-node (type-check), deep imports",
      cwd: deep,
      argv: ["npx", "ts-node", "main.ts"],
      env: {},
    };

    // ts-node must really type-check: a deliberate type error in the same copy must fail.
    const probe = path.join(barrel, "bench-typecheck-probe.ts");
    fs.writeFileSync(probe, 'const n: number = "not a number";\nconsole.log(n);\n');
    const probeCase: Case = {
      key: "probe",
      label: "ts-node type-check probe",
      cwd: barrel,
      argv: ["npx", "ts-node", "bench-typecheck-probe.ts"],
      env: {},
    };
    const probeFailed = await run(probeCase).then(
      () => "",
      (e: Error) => e.message,
    );
    fs.rmSync(probe);
    if (!probeFailed.includes("TS2322"))
      throw new Error(
        `ts-node did not report a type error for a wrongly typed file; it is not type-checking:\n${probeFailed}`,
      );
    log("(b) ts-node type-checks: a deliberate type error (TS2322) in the same copy fails it");

    // Verification runs (also warm the file cache): (b) must synthesize exactly what (a) does.
    log("verifying (b) synthesizes the same as (a) ...");
    await run(a);
    await run(b);
    const same = compareOutputs(outdirOf(a), outdirOf(b));
    const stackCount = same.stacks;
    const envCount = stacksIn(outdirOf(a)).filter((s) => splitStackName(s).stack === FOUNDATION_STACK).length;
    log(`(b) verified: ${same.stacks} stacks, all ${same.files} output files byte-identical to (a)'s`);
    log();

    const devEnv: Case = {
      key: "env",
      label: "one environment (PLATFORM_ENVIRONMENTS=dev)",
      cwd: deep,
      argv: swc,
      env: { PLATFORM_ENVIRONMENTS: "dev" },
    };
    // What `npm run deploy -- dev-file-processing` synthesizes (scripts/cdktf.sh sets PLATFORM_STACKS).
    const ONE_STACK = "dev-file-processing";
    const oneStack: Case = {
      key: "stack",
      label: `one stack (PLATFORM_STACKS=${ONE_STACK})`,
      cwd: deep,
      argv: swc,
      env: { PLATFORM_STACKS: ONE_STACK },
    };
    await run(devEnv);
    const devStacks = stacksIn(outdirOf(devEnv)).length;
    await run(oneStack);
    const oneStacks = stacksIn(outdirOf(oneStack));
    if (oneStacks.join() !== ONE_STACK)
      throw new Error(`PLATFORM_STACKS=${ONE_STACK} synthesized ${oneStacks.join(", ")}`);
    const partial = compareFiles(
      path.join(outdirOf(a), "stacks", ONE_STACK),
      path.join(outdirOf(oneStack), "stacks", ONE_STACK),
    );
    log(`one stack verified: ${ONE_STACK}'s ${partial} files byte-identical to the full synth's`);
    await run(c);
    compareOutputs(outdirOf(a), outdirOf(c));

    log(`measuring (a), (b), (c), one environment, one stack: ${opts.runs} runs each, interleaved`);
    const [ra, rb, rc, renv, rstack] = await measureInterleaved([a, b, c, devEnv, oneStack], opts.runs);
    log();
    log("Commands (CDKTF_OUTDIR is emptied before each run; (a) and the selections run a copy of the repo,");
    log("(b) a copy rewritten to barrel imports; --keep leaves both in place):");
    for (const x of [a, b, c, devEnv, oneStack]) log(`  ${pad(x.key, 5)} ${commandLine(x)}`);
    log(`  (a), env and stack are the repo's own synth: the same in ${ROOT} with CDKTF_OUTDIR anywhere outside it.`);
    log();
    table([ra, rb, rc, renv, rstack]);
    log();
    const timeRatio = ra.wall / rb.wall;
    const memRatio = ra.maxRss / rb.maxRss;
    const treeRatio = ra.treeRss / rb.treeRss;
    log(
      `(a)/(b) wall time: ${timeRatio.toFixed(3)} (${(1 / timeRatio).toFixed(1)}x faster)   goal <= ${GOAL_RATIO}: ${verdict(timeRatio <= GOAL_RATIO)}`,
    );
    log(
      `(a)/(b) peak RSS:  ${memRatio.toFixed(3)} (${(1 / memRatio).toFixed(1)}x less)     goal <= ${GOAL_RATIO}: ${verdict(memRatio <= GOAL_RATIO)}`,
    );
    log(
      `(a)/(b) tree RSS:  ${treeRatio.toFixed(3)} (${(1 / treeRatio).toFixed(1)}x less)     goal <= ${GOAL_RATIO}: ${verdict(treeRatio <= GOAL_RATIO)}`,
    );
    log(
      `baseline split: the runner (SWC vs type-checking ts-node, both deep imports) (a)/(c) ${(ra.wall / rc.wall).toFixed(3)}; ` +
        `the imports (deep vs barrels, both ts-node) (c)/(b) ${(rc.wall / rb.wall).toFixed(3)}; product = (a)/(b)`,
    );
    log(
      `one environment (${devStacks} of ${stackCount} stacks): ${(renv.wall / ra.wall).toFixed(2)} of (a)'s time, ${(renv.maxRss / ra.maxRss).toFixed(2)} of its peak RSS`,
    );
    log(
      `one stack (1 of ${stackCount} stacks): ${(rstack.wall / ra.wall).toFixed(2)} of (a)'s time, ${(rstack.maxRss / ra.maxRss).toFixed(2)} of its peak RSS`,
    );
    log();

    // Scale: N synthetic modules in a fresh copy each, all 4 environments, the SWC synth.
    const scaleResults: { n: number; r: Result; stacks: number; one: Result }[] = [];
    for (const n of opts.scale) {
      const dir = path.join(tmpRoot, `scale-${n}`);
      copyProject(dir);
      addSyntheticModules(dir, n);
      const full: Case = {
        key: `scale-${n}`,
        label: `${n} synthetic modules, ${envCount} environments`,
        cwd: dir,
        argv: swc,
        env: {},
      };
      const runs = n >= 100 ? Math.min(opts.runs, opts.largeRuns) : opts.runs;
      log(
        `measuring ${n} synthetic modules: ${runs} runs${runs < opts.runs ? ` (fewer for N >= 100, --large-runs ${opts.largeRuns}, to keep the bench short)` : ""}`,
      );
      const samples: Sample[] = [];
      for (let r = 0; r < runs; r++) {
        const s = await run(full);
        samples.push(s);
        log(`  run ${r + 1}/${runs}: ${s.wall.toFixed(2)} s, cpu ${s.cpu.toFixed(2)} s, ${mb(s.maxRss)}`);
        if (r === 0) {
          const stacks = stacksIn(outdirOf(full));
          const expected = stackCount + envCount * n;
          if (stacks.length !== expected)
            throw new Error(`${n} modules: ${stacks.length} stacks synthesized, expected ${expected}`);
          const synth = JSON.parse(
            fs.readFileSync(path.join(outdirOf(full), "stacks", `dev-synthetic-${n - 1}`, "cdk.tf.json"), "utf8"),
          );
          const resources = Object.keys(synth.resource ?? {}).sort();
          const remote = synth.data?.terraform_remote_state ? Object.keys(synth.data.terraform_remote_state).length : 0;
          const readsKms = JSON.stringify(
            synth.resource?.aws_s3_bucket_server_side_encryption_configuration ?? {},
          ).includes("outputs.kms_key_arn");
          if (
            remote !== 1 ||
            !readsKms ||
            !resources.includes("aws_s3_bucket") ||
            !resources.includes("aws_sqs_queue")
          ) {
            throw new Error(
              `dev-synthetic-${n - 1} lacks its bucket, queue or remote-state read: ${resources.join(", ")}`,
            );
          }
        }
      }
      const r = summarize(full, samples);
      // The same one-stack command as above, in this copy: what a deploy of one stack pays at N modules.
      const one: Case = {
        key: `stack-${n}`,
        label: `one stack at ${n} synthetic modules (PLATFORM_STACKS=${ONE_STACK})`,
        cwd: dir,
        argv: swc,
        env: { PLATFORM_STACKS: ONE_STACK },
      };
      const [rone] = await measureInterleaved([one], opts.runs);
      scaleResults.push({ n, r, stacks: stackCount + envCount * n, one: rone });
      if (!opts.keep) {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.rmSync(outdirOf(full), { recursive: true, force: true });
        fs.rmSync(outdirOf(one), { recursive: true, force: true });
      }
    }
    if (scaleResults.length > 0) {
      log();
      log(
        "Command per N (in a copy with packages/synthetic-<i>/ for i < N, registered in packages/index.ts and enabled in every environment):",
      );
      log(`  ${commandLine({ ...a, cwd: path.join(tmpRoot, "scale-<N>"), key: "scale-<N>" })}`);
      log(
        "Each synthetic module: PrivateBucket (7 resources) + QueueWithDeadLetter (3) + 2 outputs + remote state read of kms_key_arn, 1 stack per environment.",
      );
      log();
      table(
        scaleResults.flatMap((s) => [{ ...s.r, c: { ...s.r.c, label: `${s.r.c.label} (${s.stacks} stacks)` } }, s.one]),
      );
      log();
      // The repository itself is the 3-module point: (a) and the one-stack case above.
      log(
        `one stack with the repository's 3 modules: ${rstack.wall.toFixed(2)} s, ${(rstack.wall / ra.wall).toFixed(2)} of the full synth (${ra.wall.toFixed(2)} s)`,
      );
      for (const s of scaleResults) {
        log(
          `one stack with ${s.n} more modules: ${s.one.wall.toFixed(2)} s, ${(s.one.wall / s.r.wall).toFixed(2)} of the full synth at that size (${s.r.wall.toFixed(2)} s), ` +
            `${(s.one.wall / rstack.wall).toFixed(2)}x the one-stack cost at 3 modules`,
        );
      }
      const goalOne = scaleResults.find((s) => s.n === GOAL_SCALE_MODULES);
      if (goalOne) {
        const ratio = goalOne.one.wall / rstack.wall;
        log(
          `goal: one stack at ${GOAL_SCALE_MODULES} modules within 1.5x of one stack at 3 modules: ${ratio.toFixed(2)}x ${verdict(ratio <= 1.5)}`,
        );
      }
      log();
      const base = { n: 0, r: ra };
      const points = [base, ...scaleResults];
      log("growth per added module (4 stacks: one per environment):");
      for (let i = 1; i < points.length; i++) {
        const [p, q] = [points[i - 1], points[i]];
        const dt = (q.r.wall - p.r.wall) / (q.n - p.n);
        const dc = (q.r.cpu - p.r.cpu) / (q.n - p.n);
        const dm = (q.r.maxRss - p.r.maxRss) / (q.n - p.n);
        log(
          `  ${lpad(String(p.n), 4)} -> ${lpad(String(q.n), 4)}: ${(dt * 1000).toFixed(1)} ms wall, ${(dc * 1000).toFixed(1)} ms cpu, ${(dm / 1024 ** 2).toFixed(2)} MB per module`,
        );
      }
      const first = scaleResults[0];
      const last = scaleResults[scaleResults.length - 1];
      if (scaleResults.length >= 2) {
        const span = last.n - first.n;
        const perModule = (last.r.wall - first.r.wall) / span;
        const perModuleCpu = (last.r.cpu - first.r.cpu) / span;
        const perModuleMem = (last.r.maxRss - first.r.maxRss) / span;
        log(
          `per-module cost (${first.n} -> ${last.n}): ${(perModule * 1000).toFixed(1)} ms wall (${((perModule / envCount) * 1000).toFixed(1)} ms per stack), ` +
            `${(perModuleCpu * 1000).toFixed(1)} ms cpu, ${(perModuleMem / 1024 ** 2).toFixed(2)} MB peak RSS`,
        );
      }
      if (scaleResults.length >= 3) {
        const [p, q, s] = scaleResults.slice(-3);
        log(
          `linearity: cost per added module ${p.n}->${q.n} vs ${q.n}->${s.n} (linear if the ratio is within 0.67-1.5):`,
        );
        const metrics: [string, (r: Result) => number, (v: number) => string][] = [
          ["wall time", (r) => r.wall, (v) => `${(v * 1000).toFixed(1)} ms`],
          ["cpu time", (r) => r.cpu, (v) => `${(v * 1000).toFixed(1)} ms`],
          ["peak RSS", (r) => r.maxRss, (v) => `${(v / 1024 ** 2).toFixed(2)} MB`],
        ];
        for (const [name, get, fmt] of metrics) {
          const early = (get(q.r) - get(p.r)) / (q.n - p.n);
          const late = (get(s.r) - get(q.r)) / (s.n - q.n);
          const ratio = late / early;
          const shape =
            early <= 0 || late <= 0
              ? "inconclusive: the noise is larger than the growth"
              : ratio >= 0.67 && ratio <= 1.5
                ? "looks linear"
                : ratio > 1.5
                  ? "NOT linear: later modules cost more (superlinear)"
                  : "sublinear: fixed costs weigh on the small N";
          log(`  ${pad(name, 9)} ${lpad(fmt(early), 9)} vs ${lpad(fmt(late), 9)}, ratio ${ratio.toFixed(2)}: ${shape}`);
        }
      }
      const goal = scaleResults.find((s) => s.n === GOAL_SCALE_MODULES);
      if (goal) {
        const peak = Math.max(goal.r.maxRss, goal.r.treeRss);
        log(
          `goal ${GOAL_SCALE_MODULES} modules x 4 environments < ${GOAL_SCALE_SECONDS} s and < 1.5 GB: ${goal.r.wall.toFixed(2)} s ${verdict(goal.r.wall < GOAL_SCALE_SECONDS)}, ` +
            `${mb(peak)} ${verdict(peak < GOAL_SCALE_BYTES)}`,
        );
      } else {
        log(`goal ${GOAL_SCALE_MODULES} modules x 4 environments: not measured (scale ${opts.scale.join(",")})`);
      }
    }
    if (opts.plans) {
      log();
      await benchPlans(tmpRoot, opts.quick ? 1 : 3, log);
    }
    if (opts.unit) {
      log();
      const load = os.loadavg()[0];
      const started = Date.now();
      const unit = spawnSync("npm", ["test", "--silent"], { cwd: ROOT, encoding: "utf8", env: childEnv({}) });
      const seconds = (Date.now() - started) / 1000;
      if (unit.status !== 0) throw new Error(`npm test failed:\n${(unit.stdout + unit.stderr).slice(-4000)}`);
      const summary = /Tests:\s+(.*)/.exec(unit.stdout + unit.stderr)?.[1] ?? "?";
      log(
        `unit tier: npm test (Checkov, tsc, jest; ${summary}) took ${seconds.toFixed(1)} s, load average ${load.toFixed(2)} before; goal < 45 s on an idle machine: ${verdict(seconds < 45)}`,
      );
    }
    log();
    log(
      `bench took ${((Date.now() - began) / 1000).toFixed(0)} s; load average at the end ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    if (opts.keep) log(`kept ${tmpRoot}`);
  } finally {
    cleanup();
  }
}

main().catch((e: Error) => {
  console.error(`bench failed: ${e.message}`);
  process.exit(1);
});

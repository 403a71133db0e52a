// N synthetic modules added to a copy of the repository: the full synth and the one-stack synth
// at each N, growth per module, and whether the growth is linear.
import * as fs from "node:fs";
import * as path from "node:path";
import { MODULE_NAMES } from "../../packages";
import { addSyntheticModules, copyProject } from "./copies";
import {
  type Case,
  commandLine,
  measureInterleaved,
  outdirOf,
  type Result,
  run,
  type Sample,
  summarize,
} from "./measure";
import type { Options } from "./options";
import { stacksIn } from "./outputs";
import { log, lpad, mb, pad, table, verdict } from "./report";
import { ONE_STACK, SWC, type SynthBaseline } from "./synth";

const GOAL_SCALE_MODULES = 200;
/** The repository's own modules: the point the one-stack cost at N modules is compared with. */
const OWN = MODULE_NAMES.length;
const GOAL_SCALE_SECONDS = 20;
const GOAL_SCALE_BYTES = 1.5 * 1024 ** 3;

interface ScalePoint {
  readonly n: number;
  readonly r: Result;
  readonly stacks: number;
  readonly one: Result;
}

export async function benchScale(opts: Options, tmpRoot: string, base: SynthBaseline): Promise<void> {
  const { stackCount, envCount } = base;
  // Scale: N synthetic modules in a fresh copy each, all 4 environments, the SWC synth.
  const scaleResults: ScalePoint[] = [];
  for (const n of opts.scale) {
    const dir = path.join(tmpRoot, `scale-${n}`);
    copyProject(dir);
    addSyntheticModules(dir, n);
    const full: Case = {
      key: `scale-${n}`,
      label: `${n} synthetic modules, ${envCount} environments`,
      cwd: dir,
      argv: SWC,
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
        if (remote !== 1 || !readsKms || !resources.includes("aws_s3_bucket") || !resources.includes("aws_sqs_queue")) {
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
      argv: SWC,
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
  reportScale(opts, tmpRoot, base, scaleResults);
}

function reportScale(
  opts: Options,
  tmpRoot: string,
  { a, ra, rstack, envCount }: SynthBaseline,
  scaleResults: ScalePoint[],
): void {
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
      `one stack with the repository's ${OWN} modules: ${rstack.wall.toFixed(2)} s, ${(rstack.wall / ra.wall).toFixed(2)} of the full synth (${ra.wall.toFixed(2)} s)`,
    );
    for (const s of scaleResults) {
      log(
        `one stack with ${s.n} more modules: ${s.one.wall.toFixed(2)} s, ${(s.one.wall / s.r.wall).toFixed(2)} of the full synth at that size (${s.r.wall.toFixed(2)} s), ` +
          `${(s.one.wall / rstack.wall).toFixed(2)}x the one-stack cost at ${OWN} modules`,
      );
    }
    const goalOne = scaleResults.find((s) => s.n === GOAL_SCALE_MODULES);
    if (goalOne) {
      const ratio = goalOne.one.wall / rstack.wall;
      log(
        `goal: one stack at ${GOAL_SCALE_MODULES} modules within 1.5x of one stack at ${OWN} modules: ${ratio.toFixed(2)}x ${verdict(ratio <= 1.5)}`,
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
}

// (a) the project's synth against (b) the cdktf-template way and (c) its runner on deep imports;
// one environment and one stack as fractions of (a).
import * as fs from "node:fs";
import * as path from "node:path";
import { FOUNDATION_STACK, parseStackId } from "../../core/naming";
import { copyProject, rewriteToBarrels, ROOT } from "./copies";
import { type Case, commandLine, measureInterleaved, outdirOf, type Result, run } from "./measure";
import type { Options } from "./options";
import { compareFiles, compareOutputs, stacksIn } from "./outputs";
import { log, pad, table, verdict } from "./report";

/** Goal of the issue: (a) at most a fifth of (b). */
const GOAL_RATIO = 1 / 5;
/** What `npm run deploy -- dev-file-processing` synthesizes (scripts/cdktf.ts sets PLATFORM_STACKS). */
export const ONE_STACK = "dev-file-processing";
export const SWC = ["node", "-r", "./scripts/register.js", "main.ts"];

/** What the scale part compares against: (a) and the one-stack synth of the repository as it is. */
export interface SynthBaseline {
  readonly a: Case;
  readonly ra: Result;
  readonly rstack: Result;
  readonly stackCount: number;
  readonly envCount: number;
}

/** Copies the repository twice, checks that (b) type-checks and writes what (a) writes, then measures. */
async function prepare(tmpRoot: string) {
  // Snapshots: (a) runs a plain copy, (b) a copy rewritten to barrel imports; same sources.
  const deep = path.join(tmpRoot, "deep");
  const barrel = path.join(tmpRoot, "barrel");
  copyProject(deep);
  copyProject(barrel);
  const rewrite = rewriteToBarrels(barrel);
  log(`(b) copy: rewrote ${rewrite.imports} deep provider imports in ${rewrite.files} files to barrel imports`);

  const a: Case = { key: "a", label: "(a) full synth: SWC, deep imports", cwd: deep, argv: SWC, env: {} };
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
  const envCount = stacksIn(outdirOf(a)).filter((s) => parseStackId(s).stack === FOUNDATION_STACK).length;
  log(`(b) verified: ${same.stacks} stacks, all ${same.files} output files byte-identical to (a)'s`);
  log();

  const devEnv: Case = {
    key: "env",
    label: "one environment (PLATFORM_ENVIRONMENTS=dev)",
    cwd: deep,
    argv: SWC,
    env: { PLATFORM_ENVIRONMENTS: "dev" },
  };
  // What `npm run deploy -- dev-file-processing` synthesizes (scripts/cdktf.ts sets PLATFORM_STACKS).
  const ONE_STACK = "dev-file-processing";
  const oneStack: Case = {
    key: "stack",
    label: `one stack (PLATFORM_STACKS=${ONE_STACK})`,
    cwd: deep,
    argv: SWC,
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

  return { a, b, c, devEnv, oneStack, stackCount, envCount, devStacks };
}

export async function benchSynth(opts: Options, tmpRoot: string): Promise<SynthBaseline> {
  const { a, b, c, devEnv, oneStack, stackCount, envCount, devStacks } = await prepare(tmpRoot);
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
  return { a, ra, rstack, stackCount, envCount };
}

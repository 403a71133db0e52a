// Benchmark: `npm run bench` (node -r ./scripts/register.js tools/bench/index.ts).
//
// Measures wall time and peak RSS, median of --runs runs each, of:
//   (a) the project's synth: SWC strips types, deep provider imports, every stack of every environment;
//   (b) the same app run the `cdktf init --template=typescript` way: `npx ts-node main.ts` with
//       type-checking on and barrel imports (`@cdktf/provider-aws` instead of `.../lib/s3-bucket`),
//       produced by rewriting a copy of the sources; its output is checked to be identical to (a)'s;
//   (c) (b)'s runner on (a)'s deep imports, so the speedup splits into runner and imports;
//   one environment and one stack (what `npm run deploy -- <stack>` synthesizes) as a fraction of (a);
//   N synthetic modules (--scale 10,50,200) added to a copy, all 4 environments, growth per module,
//   and the one-stack synth at each N against the one-stack synth of the repository's own modules;
//   a no-change plan of every local stack: serial `cdktf diff` vs `npm run plan`, and the floor
//   (plans.ts; its own emulator; --no-plans skips it);
//   the unit tier, `npm test`, without its type-check and lint caches, then again (--no-unit skips it).
//
// Everything runs on copies in a temporary directory (node_modules symlinked), removed at the end
// (--keep leaves it for reproducing a line by hand). The repository itself is only read, but for the
// unit tier's caches in node_modules/.cache, which its first run removes.
//
// Flags: --runs N (default 5)   --scale 10,50,200   --large-runs N (at most N runs for N >= 100, default 3)
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { runMain } from "../../scripts/lib/cli";
import { ROOT } from "./copies";
import { childEnv, useScratch } from "./measure";
import { parseArgs } from "./options";
import { benchPlans } from "./plans";
import { log, verdict } from "./report";
import { benchScale } from "./scale";
import { benchSynth } from "./synth";

/** Where the unit tier keeps its type-check and lint caches (scripts/unit-tier.sh, tsconfig.json). */
const UNIT_CACHES = ["tsc", "eslint", "prettier"].map((c) => path.join(ROOT, "node_modules", ".cache", c));

/** One `npm test`: its seconds and jest's summary line. */
function runUnitTier(): { seconds: number; summary: string } {
  const started = Date.now();
  const unit = spawnSync("npm", ["test", "--silent"], { cwd: ROOT, encoding: "utf8", env: childEnv({}) });
  const seconds = (Date.now() - started) / 1000;
  if (unit.status !== 0) throw new Error(`npm test failed:\n${(unit.stdout + unit.stderr).slice(-4000)}`);
  return { seconds, summary: /Tests:\s+(.*)/.exec(unit.stdout + unit.stderr)?.[1] ?? "?" };
}

/**
 * The unit tier, npm test, twice: first without the type-check and lint caches (as on a fresh
 * clone; they are removed first), then again with nothing changed, as a developer re-runs it. The
 * goal of 45 s on an idle machine is judged on the second.
 */
function benchUnitTier(): void {
  const load = os.loadavg()[0];
  for (const cache of UNIT_CACHES) fs.rmSync(cache, { recursive: true, force: true });
  const first = runUnitTier();
  const again = runUnitTier();
  log(
    `unit tier: npm test (Checkov, tsc, lint, jest; ${again.summary}), load average ${load.toFixed(2)} before:\n` +
      `  without type-check and lint caches   ${first.seconds.toFixed(1)} s\n` +
      `  again, nothing changed               ${again.seconds.toFixed(1)} s; goal < 45 s on an idle machine: ${verdict(again.seconds < 45)}`,
  );
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-bench-"));
  useScratch(tmpRoot);
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

    const baseline = await benchSynth(opts, tmpRoot);
    await benchScale(opts, tmpRoot, baseline);
    if (opts.plans) {
      log();
      await benchPlans(tmpRoot, opts.quick ? 1 : 3, log);
    }
    if (opts.unit) {
      log();
      benchUnitTier();
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

runMain(async () => {
  await main();
  return 0;
}, "bench");

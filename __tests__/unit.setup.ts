import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthProcess } from "./synth-process";

/**
 * Before any suite: one directory for the run, and one full synth of the platform in it.
 *
 * cdktf's Testing helpers write each synth into a fresh directory under os.tmpdir() and never remove
 * it, so TMPDIR points at the run's directory (workers inherit it) and the teardown removes it.
 *
 * The suites that only read synthesized JSON (contract, secrets, Checkov, ...) read this synth
 * (helpers.ts, synthesizedPlatform) instead of each building all 24 stacks again; it is `node
 * main.ts` as `npm run synth` runs it, policy pack included, so a platform that does not synthesize
 * stops the tier here with synth's own message.
 */
export default async function setup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "cdktf-platform-unit-"));
  process.env.PLATFORM_UNIT_TMPDIR = dir;
  process.env.TMPDIR = dir;
  const outdir = join(dir, "platform");
  const synth = synthProcess(outdir);
  if (synth.status !== 0) {
    throw new Error(`the unit tier's synth of the platform (node main.ts) exited ${synth.status}:\n${synth.stderr}`);
  }
  process.env.PLATFORM_UNIT_SYNTH = outdir;
}

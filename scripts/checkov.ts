// Checkov over the synthesized Terraform JSON of every stack, with the documented suppressions:
//   npm run checkov                      synthesize every stack into a temporary directory and scan it
//   npm run checkov -- --dir <stacks>    scan an existing synth output (e.g. cdktf.out/stacks)
// Exit 0 when every failed check is suppressed with a reason, 1 otherwise.
import { mkdtempSync, rmSync } from "node:fs";
import { loadPlatform } from "./lib/platform";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { buildPlatform } from "../app";
import {
  checkCheckovSuppressions,
  checkovExecutable,
  describeTriage,
  pinnedCheckovVersion,
  scanWithCheckov,
  triageCheckov,
} from "../policies/checkov";
import { CHECKOV_SUPPRESSIONS } from "../policies/checkov-suppressions";
import { nonEmpty, parseCommandLine, runMain, UsageError } from "./lib/cli";

const repo = join(__dirname, "..");
const USAGE = "usage: npm run checkov [-- --dir <directory with one folder per stack>]";

/** The command line of `npm run checkov`: the synth output to scan, if not a fresh synth of every stack. */
export function parseCheckovArgs(argv: readonly string[]): { dir?: string } {
  const { values, positionals } = parseCommandLine(argv, { dir: { type: "string" } }, USAGE);
  if (positionals.length > 0)
    throw new UsageError(
      `unexpected argument ${positionals[0]}: a directory to scan is given as --dir <directory>`,
      USAGE,
    );
  return { dir: nonEmpty("dir", values.dir, USAGE) };
}

async function main(): Promise<number> {
  const { dir } = parseCheckovArgs(process.argv.slice(2));
  checkCheckovSuppressions(CHECKOV_SUPPRESSIONS);
  const exe = checkovExecutable(pinnedCheckovVersion(repo));
  let stacksDir = dir;
  let scratch: string | undefined;
  if (!stacksDir) {
    scratch = mkdtempSync(join(tmpdir(), "checkov-synth-"));
    const app = new App({ outdir: scratch });
    buildPlatform(app, loadPlatform(undefined));
    app.synth();
    stacksDir = join(scratch, "stacks");
  }
  try {
    const scan = await scanWithCheckov(exe, stacksDir);
    const triage = triageCheckov(scan.findings, CHECKOV_SUPPRESSIONS);
    console.log(
      `checkov ${scan.version} over ${stacksDir}: ${scan.passed} passed, ${scan.failed} failed ` +
        `(${triage.suppressed.length} suppressed with a reason, ${triage.failing.length} not suppressed); ` +
        `${triage.unused.length} unused suppression(s)`,
    );
    if (triage.failing.length > 0 || triage.unused.length > 0) {
      console.log(describeTriage(triage));
      return 1;
    }
    return 0;
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);

import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..");

/**
 * Variables that change what synth builds (environment and stack selection, the emulator's endpoint
 * and region, the local environment's switches) or where it writes. A synth process of the unit tier
 * starts without them, so it builds what `platformInputs({})` describes, whatever the caller's shell
 * exports; a test adds back what it is about.
 */
const SYNTH_INPUT = /^(PLATFORM_|CDKTF_|AWS_|LOCALSTACK_HOSTNAME$|EDGE_PORT$)/;

/** `node main.ts` as `npm run synth` runs it, writing into `outdir`, with `extra` on a clean environment. */
export function synthProcess(outdir: string, extra: NodeJS.ProcessEnv = {}, preload: string[] = []) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SYNTH_INPUT.test(name)));
  const result: SpawnSyncReturns<string> = spawnSync(
    process.execPath,
    ["-r", "./scripts/register.js", ...preload.flatMap((p) => ["-r", p]), "main.ts"],
    { cwd: ROOT, encoding: "utf8", env: { ...env, ...extra, CDKTF_OUTDIR: outdir } },
  );
  return result;
}

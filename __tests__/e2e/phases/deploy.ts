/** Deploy: the foundation with cdktf, then the modules, three with cdktf at once and one with tflocal. */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { FOUNDATION_STACK } from "../../../core/naming";
import { type LocalPlatform, TFLOCAL_DIR, TFLOCAL_OUT } from "../local-platform";
import type { MainLine } from "../main-line";
import { must, timings } from "../run";
import { MODULE_STACKS, TFLOCAL_STACK, local } from "../stacks";

const CDKTF_MODULES = MODULE_STACKS.filter((s) => s !== TFLOCAL_STACK);

export function deployPhase(main: MainLine, { tflocalEnv, mustCdktf }: LocalPlatform): void {
  main.step("cdktf deploys the foundation", async () => {
    await mustCdktf(["deploy", local(FOUNDATION_STACK), "--auto-approve"], "deploy-foundation.log");
  });

  main.step(
    "modules: three through cdktf at once (one process per stack), one through tflocal in its synthesized directory beside them",
    async () => {
      mkdirSync(TFLOCAL_OUT, { recursive: true });
      await must("node", ["-r", "./scripts/register.js", "main.ts"], {
        env: { PLATFORM_STACKS: TFLOCAL_STACK, CDKTF_OUTDIR: TFLOCAL_OUT },
        log: "tflocal.log",
      });
      const tflocal = (async () => {
        await must("tflocal", ["init", "-input=false"], { cwd: TFLOCAL_DIR, env: tflocalEnv, log: "tflocal.log" });
        return must("tflocal", ["apply", "-input=false", "-auto-approve"], {
          cwd: TFLOCAL_DIR,
          env: tflocalEnv,
          log: "tflocal.log",
        });
      })();
      const parallel = mustCdktf(
        ["deploy", ...CDKTF_MODULES, "--auto-approve", "--parallelism", "3", "--ignore-missing-stack-dependencies"],
        "deploy-modules.log",
      );
      const [cdktfResult, tflocalResult] = await Promise.all([parallel, tflocal]);
      timings.push({
        phase: `  ${CDKTF_MODULES.length} module stacks deployed by cdktf, one process each, at once`,
        seconds: cdktfResult.seconds,
      });
      timings.push({ phase: "  1 module stack applied with tflocal", seconds: tflocalResult.seconds });
      expect(existsSync(join(TFLOCAL_DIR, "localstack_providers_override.tf"))).toBe(false);
    },
  );
}

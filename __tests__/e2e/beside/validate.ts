/** tofu validate of every stack of every environment, beside the main line on no emulator at all. */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, must, run } from "../run";

/**
 * Every stack of every environment, synthesized apart from the main line's cdktf.out, passes tofu
 * validate. Each stack directory is a child module of one root, so a single init and a single
 * validate (one provider start) check all of them; a failure names the stack's directory. Backend
 * blocks are ignored in child modules, as `init -backend=false` ignored them per stack.
 */
export async function validateEveryStack(tools: NodeJS.ProcessEnv): Promise<void> {
  const work = join(REPO, ".e2e", "validate");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const out = join(work, "cdktf.out", "stacks");
  await must("node", ["-r", "./scripts/register.js", "main.ts"], {
    env: { PLATFORM_ENVIRONMENTS: "", CDKTF_OUTDIR: join(work, "cdktf.out") },
    log: "validate.log",
  });
  const stacks = readdirSync(out).sort();
  expect(stacks).toHaveLength(24);
  const root = {
    module: Object.fromEntries(stacks.map((stack) => [stack, { source: `./cdktf.out/stacks/${stack}` }])),
  };
  writeFileSync(join(work, "main.tf.json"), JSON.stringify(root, null, 2));
  await must(tools.TERRAFORM_BINARY_NAME!, ["init", "-backend=false", "-input=false", "-no-color"], {
    cwd: work,
    env: tools,
    log: "validate.log",
  });
  const validate = await run(tools.TERRAFORM_BINARY_NAME!, ["validate", "-no-color", "-json"], {
    cwd: work,
    env: tools,
    log: "validate.log",
  });
  const report = JSON.parse(validate.output.slice(validate.output.indexOf("{"))) as {
    valid: boolean;
    diagnostics: { severity: string; summary: string; detail: string; range?: { filename: string } }[];
  };
  const errors = report.diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => `${d.range?.filename ?? "?"}: ${d.summary}: ${d.detail}`);
  expect({ valid: report.valid, errors }).toEqual({ valid: true, errors: [] });
  // What validate may warn about: only the backend blocks it ignores in child modules.
  expect([...new Set(report.diagnostics.filter((d) => d.severity === "warning").map((d) => d.summary))]).toEqual([
    "Backend configuration ignored",
  ]);
}

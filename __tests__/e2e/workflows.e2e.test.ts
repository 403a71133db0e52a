/**
 * actionlint over every workflow (with shellcheck on the `run:` scripts where it is installed; CI
 * requires it), and proof that it fails on a broken workflow.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { REPO, run, toolchainEnv } from "./run";

const tools = toolchainEnv();
const actionlint = join(tools.PLATFORM_TOOLCHAIN_DIR!, "bin", "actionlint");
const shellcheck = spawnSync("bash", ["-c", "command -v shellcheck"], { encoding: "utf8" }).stdout.trim();

const lint = (cwd: string) => run(actionlint, ["-no-color", "-oneline"], { cwd, env: tools, log: "actionlint.log" });

describe("GitHub workflows pass actionlint", () => {
  test("shellcheck is on PATH in CI, so the run: scripts are checked too", () => {
    if (process.env.CI === "true") expect(shellcheck).not.toBe("");
    console.log(
      `actionlint ${spawnSync(actionlint, ["-version"], { encoding: "utf8" }).stdout.split("\n")[0]}, shellcheck ${shellcheck || "not installed (run: scripts unchecked)"}`,
    );
  });

  test("every workflow of the repository", async () => {
    const result = await lint(REPO);
    expect({ code: result.code, output: result.output.trim() }).toEqual({ code: 0, output: "" });
  });

  test("a broken workflow fails with the job and the reason", async () => {
    const copy = mkdtempSync(join(tmpdir(), "actionlint-"));
    try {
      mkdirSync(join(copy, ".github"), { recursive: true });
      cpSync(join(REPO, ".github", "workflows"), join(copy, ".github", "workflows"), { recursive: true });
      const file = join(copy, ".github", "workflows", "apply.yml");
      writeFileSync(file, readFileSync(file, "utf8").replace("    needs: affected\n", "    needs: affectd\n"));
      spawnSync("git", ["init", "-q", copy]);
      const result = await lint(copy);
      expect(result.code).toBe(1);
      expect(result.output).toContain(
        'job "bootstrap" needs job "affectd" which does not exist in this workflow [job-needs]',
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

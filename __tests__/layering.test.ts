import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const ESLINT = join(ROOT, "node_modules", ".bin", "eslint");

/** What ESLint says of `code` as if it were the file `path` of the repository (nothing is written). */
function lint(path: string, code: string): { code: number | null; output: string } {
  const run = spawnSync(ESLINT, ["--stdin", "--stdin-filename", path, "--format", "stylish", "--no-color"], {
    cwd: ROOT,
    input: code,
    encoding: "utf8",
  });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("layering: dependencies point one way (eslint.config.mjs)", () => {
  test("a construct importing from the stacks fails", () => {
    const result = lint(
      "constructs/layer-fixture.ts",
      'import { stackName } from "../stacks/naming";\nexport const name = stackName;\n',
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain("constructs/ may import only core: dependencies point one way");
  });

  test("the leaf importing anything of the project fails", () => {
    const result = lint(
      "core/layer-fixture.ts",
      'import type { Environment } from "../environments";\nexport type E = Environment;\n',
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain("core/ may import only nothing of this project");
  });

  test("a module reaches the stacks only through the module API", () => {
    const inside = lint(
      "packages/fixture/index.ts",
      'import { ModuleStack } from "../../stacks/module-stack";\nexport const s = ModuleStack;\n',
    );
    expect(inside.code).toBe(1);
    expect(inside.output).toContain("a module reaches the stacks only through stacks/module-api");
    const api = lint(
      "packages/fixture/index.ts",
      'import { defineModule } from "../../stacks/module-api";\nimport { PrivateBucket } from "../../constructs/private-bucket";\nexport const d = [defineModule, PrivateBucket];\n',
    );
    expect(api).toEqual({ code: 0, output: "" });
  });

  test("policies and review read synthesized output and use the leaf only", () => {
    const result = lint(
      "review/layer-fixture.ts",
      'import { MODULES } from "../packages";\nexport const m = MODULES;\n',
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain("review/ may import only core");
  });

  test("functions of stacks, constructs and modules stay under 80 lines", () => {
    const body = Array.from({ length: 85 }, (_, i) => `  const v${i} = ${i};`).join("\n");
    const result = lint("constructs/long-fixture.ts", `export function long(): number {\n${body}\n  return v0;\n}\n`);
    expect(result.code).toBe(1);
    expect(result.output).toContain("max-lines-per-function");
  });
});

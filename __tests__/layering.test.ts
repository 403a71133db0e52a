import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
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
      'import { stateBackendConfig } from "../stacks/state";\nexport const config = stateBackendConfig;\n',
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

describe("names are built in core/naming.ts only", () => {
  // An environment's name followed by a hyphen and a stack: `${env.name}-${module}`, `$env-bootstrap`.
  const HAND_BUILT = /\$\{(?:env|e|envName|env\.name|e\.name)\}-|\$\{?env(?:_name)?\}?-(?:bootstrap|foundation|\$)/;

  test("no stack id is put together by hand anywhere else", () => {
    const files = execFileSync("git", ["ls-files", "*.ts", "*.sh", "*.yml"], { cwd: ROOT, encoding: "utf8" })
      .split("\n")
      .filter((f) => f && !f.startsWith("__tests__/") && f !== "core/naming.ts");
    const found = files.flatMap((f) =>
      readFileSync(join(ROOT, f), "utf8")
        .split("\n")
        .map((line, i) => [f, i + 1, line] as const)
        .filter(([, , line]) => HAND_BUILT.test(line))
        .map(([file, n, line]) => `${file}:${n}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });

  test("the check sees a hand-built name", () => {
    expect(HAND_BUILT.test("const id = `${env.name}-${module.name}`;")).toBe(true);
    expect(HAND_BUILT.test('stack="$env_name-bootstrap"')).toBe(true);
    expect(HAND_BUILT.test("const id = stackName(env, module.name);")).toBe(false);
  });
});

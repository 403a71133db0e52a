import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..");

/** A snippet of code to lint as if it were the file `path` of the repository (nothing is written). */
type Fixture = { path: string; code: string };
type Linted = { code: number; output: string };

/**
 * What ESLint says of each fixture: one ESLint process for all of them (its start-up and config load
 * cost more than the linting), through ESLint's API. `code` is what `eslint` would exit with (1 when
 * an error is reported), `output` its stylish report without colour.
 */
function lintAll(fixtures: Record<string, Fixture>): Record<string, Linted> {
  const script = `
    const { ESLint } = require("eslint");
    (async () => {
      const fixtures = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
      const eslint = new ESLint({ cwd: process.cwd() });
      const stylish = await eslint.loadFormatter("stylish");
      const linted = {};
      for (const [name, { path, code }] of Object.entries(fixtures)) {
        const results = await eslint.lintText(code, { filePath: path });
        linted[name] = { code: results.some((r) => r.errorCount > 0) ? 1 : 0, output: await stylish.format(results) };
      }
      process.stdout.write(JSON.stringify(linted));
    })().catch((e) => { console.error(e); process.exit(2); });`;
  const run = spawnSync(process.execPath, ["-e", script], {
    cwd: ROOT,
    input: JSON.stringify(fixtures),
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  if (run.status !== 0) throw new Error(`eslint did not run (exit ${run.status}):\n${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, Linted>;
}

const LONG_BODY = Array.from({ length: 85 }, (_, i) => `  const v${i} = ${i};`).join("\n");

describe("layering: dependencies point one way (eslint.config.mjs)", () => {
  let linted: Record<string, Linted>;
  beforeAll(() => {
    linted = lintAll({
      constructImportsStacks: {
        path: "constructs/layer-fixture.ts",
        code: 'import { stateBackendConfig } from "../stacks/state";\nexport const config = stateBackendConfig;\n',
      },
      leafImportsProject: {
        path: "core/layer-fixture.ts",
        code: 'import type { Environment } from "../environments";\nexport type E = Environment;\n',
      },
      moduleImportsStack: {
        path: "packages/fixture/index.ts",
        code: 'import { ModuleStack } from "../../stacks/module-stack";\nexport const s = ModuleStack;\n',
      },
      moduleUsesApi: {
        path: "packages/fixture/index.ts",
        code: 'import { defineModule } from "../../stacks/module-api";\nimport { PrivateBucket } from "../../constructs/private-bucket";\nexport const d = [defineModule, PrivateBucket];\n',
      },
      reviewImportsModules: {
        path: "review/layer-fixture.ts",
        code: 'import { MODULES } from "../packages";\nexport const m = MODULES;\n',
      },
      longFunction: {
        path: "constructs/long-fixture.ts",
        code: `export function long(): number {\n${LONG_BODY}\n  return v0;\n}\n`,
      },
    });
  }, 60_000);

  test("a construct importing from the stacks fails", () => {
    expect(linted.constructImportsStacks.code).toBe(1);
    expect(linted.constructImportsStacks.output).toContain(
      "constructs/ may import only core: dependencies point one way",
    );
  });

  test("the leaf importing anything of the project fails", () => {
    expect(linted.leafImportsProject.code).toBe(1);
    expect(linted.leafImportsProject.output).toContain("core/ may import only nothing of this project");
  });

  test("a module reaches the stacks only through the module API", () => {
    expect(linted.moduleImportsStack.code).toBe(1);
    expect(linted.moduleImportsStack.output).toContain("a module reaches the stacks only through stacks/module-api");
    expect(linted.moduleUsesApi).toEqual({ code: 0, output: "" });
  });

  test("policies and review read synthesized output and use the leaf only", () => {
    expect(linted.reviewImportsModules.code).toBe(1);
    expect(linted.reviewImportsModules.output).toContain("review/ may import only core");
  });

  test("functions of stacks, constructs and modules stay under 80 lines", () => {
    expect(linted.longFunction.code).toBe(1);
    expect(linted.longFunction.output).toContain("max-lines-per-function");
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

import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const LOCAL = join(__dirname, "..", "local");
const PATCHES = join(LOCAL, "moto_patches");
const init = readFileSync(join(PATCHES, "__init__.py"), "utf8");

describe("local/moto_patches (what moto_server.py changes in moto)", () => {
  test("written for the moto release local/requirements.txt pins", () => {
    const writtenFor = /^WRITTEN_FOR = "([^"]+)"$/m.exec(init)?.[1];
    const pinned = /^moto\[server\]==(\S+)$/m.exec(readFileSync(join(LOCAL, "requirements.txt"), "utf8"))?.[1];
    expect(writtenFor).toMatch(/^\d+\.\d+\.\d+$/);
    expect(writtenFor).toBe(pinned);
  });

  test("every module is applied by the package and says in its docstring what it changes", () => {
    const modules = readdirSync(PATCHES)
      .filter((f) => f.endsWith(".py") && f !== "__init__.py")
      .map((f) => f.replace(/\.py$/, ""))
      .sort();
    const imported = [.../from \. import \(([^)]*)\)/s.exec(init)![1].matchAll(/^\s+(\w+),/gm)].map((m) => m[1]).sort();
    expect(imported).toEqual(modules);
    for (const module of modules) {
      const text = readFileSync(join(PATCHES, `${module}.py`), "utf8");
      expect({ module, docstring: /^"""[A-Z][^\n]+\n[\s\S]*?\n"""\n/.test(text) }).toEqual({ module, docstring: true });
    }
  });

  test("another moto release stops the server at start, naming both releases and what to do", () => {
    const fake = `import importlib.metadata as m; m.version = lambda name: "9.9.9"; import sys; sys.path.insert(0, ${JSON.stringify(LOCAL)}); import moto_patches`;
    const run = spawnSync("python3", ["-c", fake], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "local/moto_patches were written for moto 5.2.5, and this is moto 9.9.9: check each module of local/moto_patches against 9.9.9",
    );
  });
});

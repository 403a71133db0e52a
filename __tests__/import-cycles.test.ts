import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { workingTreeFiles } from "../scripts/lib/working-tree";

const ROOT = join(__dirname, "..");

/** The project's own modules a file imports at run time (relative imports; `import type` is erased). */
export function valueImports(file: string, source: string): string[] {
  const found: string[] = [];
  const statement = /^\s*(import|export)\s+(?!type\s)([^;]*?)\s+from\s+"(\.{1,2}(?:\/[^"]*)?)";?/gms;
  for (const match of source.matchAll(statement)) {
    const target = join(dirname(file), match[3]);
    const candidates = [`${target}.ts`, join(target, "index.ts")];
    const resolved = candidates.find((c) => existsSync(join(ROOT, c)));
    if (resolved) found.push(resolved);
  }
  return found;
}

/** Every cycle of value imports among `files`, each as the files around it, starting at its smallest. */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") {
        const cycle = path.slice(path.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]);
        const canonical = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(canonical.join(" -> "), canonical);
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return [...cycles.values()];
}

describe("imports", () => {
  test("no module imports itself back through others at run time", () => {
    const files = workingTreeFiles(ROOT, "*.ts");
    const graph = new Map(files.map((f) => [f, valueImports(f, readFileSync(join(ROOT, f), "utf8"))]));
    expect(graph.size).toBeGreaterThan(100);
    expect(importCycles(graph).map((c) => c.join(" -> "))).toEqual([]);
  });

  test("the check finds a cycle, and ignores type-only imports", () => {
    expect(valueImports("environments/local.ts", 'import { base } from "./base";')).toEqual(["environments/base.ts"]);
    expect(valueImports("environments/local.ts", 'import type { X } from "./base";')).toEqual([]);
    expect(
      importCycles(
        new Map([
          ["b.ts", ["c.ts"]],
          ["a.ts", ["b.ts"]],
          ["c.ts", ["a.ts"]],
          ["d.ts", ["a.ts"]],
        ]),
      ),
    ).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });
});

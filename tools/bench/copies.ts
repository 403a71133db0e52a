// Copies of the repository the bench measures: plain, rewritten to barrel imports, or with
// synthetic modules added the way README's "Adding a module" says.
import * as fs from "node:fs";
import * as path from "node:path";
import { addModule, bucketAndQueueModule } from "../module-folder";

export const ROOT = path.resolve(__dirname, "..", "..");
/** Top-level entries never copied: dependencies (symlinked instead), history, outputs, local state. */
const NOT_COPIED = new Set([
  "node_modules",
  ".git",
  "cdktf.out",
  "coverage",
  "dist",
  ".e2e",
  ".plans",
  ".bootstrap",
  ".terraform",
]);
const PROVIDERS = ["@cdktf/provider-aws", "@cdktf/provider-kubernetes", "@cdktf/provider-helm"];

export function copyProject(dest: string): void {
  fs.cpSync(ROOT, dest, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(ROOT, src);
      return rel === "" || !NOT_COPIED.has(rel.split(path.sep)[0]);
    },
  });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dest, "node_modules"), "dir");
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(full));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out.sort();
}

/** `lib/<path>` -> namespace the barrel exports it as, read from the package's lib/index.d.ts. */
function barrelNamespaces(pkg: string): Map<string, string> {
  const index = path.join(path.dirname(require.resolve(`${pkg}/package.json`, { paths: [ROOT] })), "lib", "index.d.ts");
  const map = new Map<string, string>();
  for (const m of fs.readFileSync(index, "utf8").matchAll(/^export \* as (\w+) from '\.\/([^']+)';$/gm))
    map.set(m[2], m[1]);
  if (map.size === 0) throw new Error(`no "export * as" lines in ${index}; cannot map deep imports to the barrel`);
  return map;
}

const DEEP_IMPORT = /^import (type )?\{([^}]*)\} from "(@cdktf\/provider-[a-z0-9-]+)\/lib\/([^"]+)";[ \t]*$/gm;

/**
 * Rewrites every `import { X, Y } from "@cdktf/provider-aws/lib/some-thing"` into a barrel import:
 * `import * as __cdktf_provider_aws from "@cdktf/provider-aws";` once per file, then
 * `import X = __cdktf_provider_aws.someThing.X;` per name. An import alias keeps both the value and
 * the type meaning of X (a `const { X } = ...` would lose the type, `bucket: S3Bucket` would no
 * longer compile), so the rest of the file is unchanged, as if written `new aws.someThing.X(...)`.
 */
export function rewriteToBarrels(dir: string): { files: number; imports: number } {
  const namespaces = new Map(PROVIDERS.map((p) => [p, barrelNamespaces(p)]));
  let files = 0;
  let imports = 0;
  for (const file of tsFiles(dir)) {
    const source = fs.readFileSync(file, "utf8");
    const used = new Set<string>();
    const rewritten = source.replace(
      DEEP_IMPORT,
      (_line, _typeOnly: string | undefined, names: string, pkg: string, sub: string) => {
        const ns = namespaces.get(pkg)?.get(sub);
        if (!ns) throw new Error(`${path.relative(dir, file)}: ${pkg}/lib/${sub} is not exported by the ${pkg} barrel`);
        const local = `__${pkg.replace(/^@cdktf\//, "cdktf_").replace(/-/g, "_")}`;
        used.add(`import * as ${local} from "${pkg}";`);
        imports++;
        return names
          .split(",")
          .map((n) => n.trim())
          .filter(Boolean)
          .map((n) => {
            // `import { type X }` / `import type { X }`: an import alias of a type-only name is erased like one.
            const [exported, alias] = n.replace(/^type\s+/, "").split(/\s+as\s+/);
            return `import ${alias ?? exported} = ${local}.${ns}.${exported};`;
          })
          .join("\n");
      },
    );
    if (used.size === 0) continue;
    if (/(from\s+|require\(\s*)["']@cdktf\/provider-[a-z0-9-]+\/lib\//.test(rewritten)) {
      throw new Error(
        `${path.relative(dir, file)}: a deep provider import was left after rewriting (not a one-line named import?)`,
      );
    }
    fs.writeFileSync(file, `${[...used].join("\n")}\n${rewritten}`);
    files++;
  }
  return { files, imports };
}

/**
 * Adds packages/synthetic-<i>/ for i < n, each a private bucket and a queue with a dead-letter
 * queue on the foundation's key, enabled in every environment, one line each in MODULE_NAMES.
 */
export function addSyntheticModules(dir: string, n: number): void {
  for (let i = 0; i < n; i++)
    addModule(dir, `synthetic-${i}`, bucketAndQueueModule(`synthetic-${i}`, "@acme/bench", (i % 5) + 3));
}

// Lists the stacks a change affects: `npm run affected -- --base origin/main [--json] [--working-tree]`.
import { join } from "node:path";
import { planPlatform } from "../app";
import { ConfigError, loadEnvironments } from "../environments";
import { MODULES } from "../packages";
import { affectedStacks, changedFiles, inLayerOrder, platformStacks } from "../review/affected";

function usage(message: string): never {
  console.error(`${message}\nusage: npm run affected -- --base <git ref> [--json] [--working-tree]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const baseIndex = args.indexOf("--base");
const base = baseIndex >= 0 ? args[baseIndex + 1] : undefined;
if (!base || base.startsWith("--")) usage("--base <git ref> is required");
const unknown = args.filter((a, i) => a.startsWith("--") && !["--base", "--json", "--working-tree"].includes(a) && i !== baseIndex + 1);
if (unknown.length > 0) usage(`unknown option ${unknown.join(", ")}`);

const repo = join(__dirname, "..");
try {
  const plans = planPlatform(loadEnvironments(undefined, ""), MODULES);
  const stacks = platformStacks(plans.map((p) => ({ name: p.env.name, modules: p.modules.map((m) => m.module.name) })));
  const changed = changedFiles(repo, base, args.includes("--working-tree"));
  const affected = inLayerOrder(affectedStacks(repo, stacks, changed));
  if (args.includes("--json")) {
    // Shaped for a CI matrix: `matrix: ${{ fromJSON(needs.affected.outputs.matrix) }}`.
    console.log(JSON.stringify({ stacks: affected.map((a) => a.stack), include: affected.map(({ stack, env, layer }) => ({ stack, env, layer })) }));
  } else if (affected.length === 0) {
    console.log(`no stack is affected by the ${changed.length} file(s) changed since ${base}`);
  } else {
    console.log(`${affected.length} stack(s) affected by the ${changed.length} file(s) changed since ${base}:`);
    for (const a of affected) console.log(`  ${a.stack.padEnd(32)} ${a.because.slice(0, 3).join(", ")}${a.because.length > 3 ? ", ..." : ""}`);
  }
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : (e as Error).message);
  process.exit(1);
}

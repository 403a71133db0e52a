// `npm run new-module -- <name> --owner <team> [--description <text>]`: a new module, registered,
// documented and tested, that synthesizes in every environment. It writes packages/<name>/ (see
// moduleFiles in tools/module-folder.ts), adds the name to MODULE_NAMES in packages/index.ts, then
// formats the folder and writes the generated tables of its README and .github/CODEOWNERS, each in
// a process of its own (the registry is read when a process starts). Nothing is written when the
// input is refused.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { layerOf } from "../core/naming";
import { isOwnerHandle } from "../review/codeowners";
import { parseCommandLine, runMain, UsageError } from "../scripts/lib/cli";
import { addModule, moduleFiles, type NewModule } from "./module-folder";

const ROOT = resolve(__dirname, "..");
const USAGE = 'usage: npm run new-module -- <name> --owner <@org/team> [--description "what it provides"]';
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The new module asked for, or a UsageError naming what is wrong with the input. */
export function parseNewModule(argv: readonly string[], root = ROOT): NewModule {
  const { values, positionals } = parseCommandLine(
    argv,
    { owner: { type: "string" }, description: { type: "string" } },
    USAGE,
  );
  if (positionals.length !== 1) throw new UsageError("name exactly one module", USAGE);
  const [name] = positionals;
  if (!NAME.test(name) || name.length > 30)
    throw new UsageError(
      `module name "${name}" must be lowercase letters and digits in words joined by single hyphens, starting with a letter, at most 30 characters (it names the folder, the stacks and the resources)`,
      USAGE,
    );
  if (layerOf(name) !== "module")
    throw new UsageError(`module name "${name}" is reserved for a platform stack; choose another`, USAGE);
  if (existsSync(join(root, "packages", name)))
    throw new UsageError(`packages/${name}/ exists already; choose another name`, USAGE);
  if (!values.owner) throw new UsageError("--owner is required: the team that owns the module", USAGE);
  if (!isOwnerHandle(values.owner))
    throw new UsageError(
      `module "${name}" has an invalid owner "${values.owner}"; give --owner a team handle such as @acme/data-team`,
      USAGE,
    );
  return { name, owner: values.owner, description: values.description ?? `TODO: one line on what ${name} provides.` };
}

function run(root: string, command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
}

/** Writes, registers, formats and documents the module in the repository at `root`. */
export function newModule(m: NewModule, root = ROOT): void {
  addModule(root, m.name, moduleFiles(m));
  const node = (script: string) => run(root, process.execPath, ["-r", "./scripts/register.js", script]);
  run(root, process.execPath, [
    join(root, "node_modules", "prettier", "bin", "prettier.cjs"),
    "--write",
    "--log-level",
    "warn",
    `packages/${m.name}`,
  ]);
  node("tools/docs.ts");
  node("scripts/codeowners.ts");
}

if (require.main === module) {
  runMain(() => {
    const m = parseNewModule(process.argv.slice(2));
    newModule(m);
    console.log(
      [
        `packages/${m.name}/ is registered in packages/index.ts and owned by ${m.owner} in .github/CODEOWNERS.`,
        `next: describe it in packages/${m.name}/index.ts and README.md, build its resources in resources.ts,`,
        `then npm run synth (stacks <env>-${m.name}) and npm test.`,
      ].join("\n"),
    );
    return 0;
  });
}

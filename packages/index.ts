import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../core/errors";
import { environmentInputs, type EnvironmentInput } from "../environments";
import type { ModuleEnvironmentsByName } from "../environments/module-entries";
import type { ModuleDeclaration, ModuleDefinition } from "../stacks/module-api";

/**
 * Every deployable module, one folder each under packages/, in the order stacks are listed and
 * reported. Adding a module is its folder and its name here, one line (README, "Adding a module").
 */
// prettier-ignore
export const MODULE_NAMES = [
  "file-processing",
  "data-pipeline",
  "order-tracking",
  "ml-platform",
] as const;

/** Folders of packages/ that are not modules. */
const NOT_MODULES = new Set(["node_modules"]);

/** What is wrong with the registry; reported by platformInputs, so a command stops with a clear message. */
const problems: string[] = [];

/** A module folder must be registered: one that is not would silently never be deployed. */
function unregisteredFolders(names: readonly string[]): string[] {
  return readdirSync(__dirname, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !NOT_MODULES.has(d.name) && !names.includes(d.name))
    .map(
      (d) =>
        `packages/${d.name}/ is a module folder but not in MODULE_NAMES of packages/index.ts; add "${d.name}" there`,
    );
}

/**
 * The module of packages/<name>/: its declaration (index.ts, loaded now) and `build` from
 * resources.ts, loaded when its stack is first built. A stack selection that leaves a module out
 * never loads that module's resource code.
 */
function loadModule(name: string): ModuleDefinition | undefined {
  if (!existsSync(join(__dirname, name, "index.ts"))) {
    problems.push(`MODULE_NAMES of packages/index.ts lists "${name}", but packages/${name}/index.ts does not exist`);
    return undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const declaration = (require(join(__dirname, name)) as { default?: ModuleDeclaration }).default;
  if (declaration?.name !== name) {
    problems.push(
      declaration
        ? `packages/${name}/index.ts declares the module "${declaration.name}"; a module's name is the name of its folder`
        : `packages/${name}/index.ts: no default export; end it with export default defineModule({...})`,
    );
    return undefined;
  }
  let build: ModuleDefinition["build"] | undefined;
  return {
    ...declaration,
    build(ctx) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      build ??= (require(join(__dirname, name, "resources")) as { build?: ModuleDefinition["build"] }).build;
      if (!build)
        throw new ConfigError(`packages/${name}/resources.ts: no build export; export const build: ModuleBuild<...>`);
      build(ctx);
    },
  };
}

/** Every registered module, declarations loaded, resources on first build. */
export const MODULES: readonly ModuleDefinition[] = MODULE_NAMES.map(loadModule).filter(
  (m): m is ModuleDefinition => m !== undefined,
);
problems.push(...unregisteredFolders(MODULE_NAMES));

/** The registered module of that name; a test's or script's shorthand. */
export function moduleNamed(name: string): ModuleDefinition {
  const module = MODULES.find((m) => m.name === name);
  if (!module) throw new ConfigError(`unknown module "${name}"; modules: ${MODULE_NAMES.join(", ")}`);
  return module;
}

/** Each module's per-environment entries, by module name. */
export const moduleEnvironments = (modules: readonly ModuleDeclaration[] = MODULES): ModuleEnvironmentsByName =>
  Object.fromEntries(modules.map((m) => [m.name, m.environments as ModuleEnvironmentsByName[string]]));

/**
 * Every environment's input with the registered modules' entries in it (see environmentInputs).
 * Refuses a registry with problems: a module folder not registered, a name without a folder.
 */
export function platformInputs(env: NodeJS.ProcessEnv = process.env): EnvironmentInput[] {
  if (problems.length > 0) throw new ConfigError(problems.join("\n"));
  return environmentInputs(env, moduleEnvironments());
}

import type { App } from "cdktf";
import { ConfigError, type Environment } from "./environments";
import type { ModuleDefinition } from "./packages/module";
import { BootstrapStack } from "./stacks/bootstrap-stack";
import { FoundationStack } from "./stacks/foundation-stack";
import { ModuleStack } from "./stacks/module-stack";

/** One environment with its enabled modules and their validated settings. */
export interface EnvironmentPlan {
  readonly env: Environment;
  readonly modules: { readonly module: ModuleDefinition; readonly settings: unknown }[];
}

/**
 * Checks every environment's module entries against the module registry and each module's settings
 * schema. Runs before any construct exists, so bad input writes nothing.
 */
export function planPlatform(envs: Environment[], registry: readonly ModuleDefinition[]): EnvironmentPlan[] {
  const names = registry.map((m) => m.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new ConfigError(`module "${duplicate}" is registered twice in packages/index.ts; module names must be unique`);
  const reserved = names.filter((n) => n === BootstrapStack.STACK || n === FoundationStack.STACK);
  if (reserved.length > 0) throw new ConfigError(`module name "${reserved[0]}" is reserved for a platform stack; rename the module`);

  const errors: string[] = [];
  const plans = envs.map((env) => {
    const modules: EnvironmentPlan["modules"] = [];
    for (const [name, entry] of Object.entries(env.modules)) {
      const module = registry.find((m) => m.name === name);
      if (!module) {
        errors.push(`environment "${env.name}": modules.${name}: unknown module; known modules: ${names.join(", ")}`);
        continue;
      }
      if (!entry.enabled) continue;
      const parsed = module.settings.safeParse(entry.settings);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          errors.push(`environment "${env.name}": modules.${name}.settings.${issue.path.join(".") || "(root)"}: ${issue.message}`);
        }
        continue;
      }
      modules.push({ module, settings: parsed.data });
    }
    return { env, modules };
  });
  if (errors.length > 0) throw new ConfigError(errors.join("\n"));
  return plans;
}

export interface BuildOptions {
  /** Bootstrap state in a local file (first apply of an environment); see BootstrapStack. */
  readonly bootstrapLocalStatePath?: string;
}

/** Adds every stack of every planned environment: bootstrap, then foundation, then modules. */
export function buildPlatform(app: App, plans: EnvironmentPlan[], options: BuildOptions = {}): void {
  for (const { env, modules } of plans) {
    const bootstrap = new BootstrapStack(app, { env, localStatePath: options.bootstrapLocalStatePath });
    const foundation = new FoundationStack(app, {
      env,
      imageModules: modules.filter((m) => m.module.image).map((m) => m.module.name),
    });
    foundation.addDependency(bootstrap);
    for (const { module, settings } of modules) {
      new ModuleStack(app, { env, module, settings }).addDependency(foundation);
    }
  }
}

import type { App, TerraformStack } from "cdktf";
import { globMatches } from "./core/glob";
import { checkSecretDeclarations } from "./core/secret-env";
import { ConfigError, type Environment, environmentNames } from "./environments";
import { type AwsService, EMULATORS, ENVIRONMENT_PARTS, unservedBy } from "./environments/emulators";
import type { SecretRotation } from "./environments/schema";
import type { ModuleDefinition } from "./stacks/module-api";
import { PolicyGate } from "./policies";
import { BootstrapStack } from "./stacks/bootstrap-stack";
import { FoundationStack } from "./stacks/foundation-stack";
import { adoptResources } from "./stacks/imports";
import { ModuleStack } from "./stacks/module-stack";
import { stackName } from "./core/naming";

/** One environment with its enabled modules and their validated settings. */
export interface EnvironmentPlan {
  readonly env: Environment;
  /** Every registered module, enabled here or not. */
  readonly registry: readonly ModuleDefinition[];
  readonly modules: {
    readonly module: ModuleDefinition;
    readonly settings: unknown;
    readonly secretRotation?: Record<string, SecretRotation>;
  }[];
  /** What the environment's emulator cannot serve and the environment leaves out, each with why. */
  readonly leftOut: string[];
}

/**
 * Why the environment's emulator cannot serve these services, those with one reason together:
 * `ecs, elbv2: <why>; kafka: <why>`; undefined where it serves them all.
 */
function unserved(env: Environment, ...services: AwsService[]): string | undefined {
  const byReason = new Map<string, AwsService[]>();
  for (const service of services) {
    const why = unservedBy(env.emulator, service);
    if (why) byReason.set(why, [...(byReason.get(why) ?? []), service]);
  }
  if (byReason.size === 0) return undefined;
  return [...byReason].map(([why, list]) => `${list.join(", ")}: ${why}`).join("; ");
}

/** What the environment itself switches off for its emulator (environments/local.ts), with why. */
function environmentLeftOut(env: Environment): string[] {
  return Object.entries(ENVIRONMENT_PARTS)
    .map(([service, what]) => [what, unserved(env, service as AwsService)])
    .filter(([, why]) => why)
    .map(([what, why]) => `${what} (${why})`);
}

/**
 * Fits a module's settings to the environment's emulator: each switchable part using a service the
 * emulator lacks is switched off and listed in `leftOut`. A part the environment switches on
 * explicitly, or a service the module cannot do without, is an error naming the module and service.
 */
function fitToEmulator(
  env: Environment,
  module: ModuleDefinition,
  settings: Record<string, unknown>,
): { settings: Record<string, unknown>; leftOut: string[]; errors: string[] } {
  const where = `environment "${env.name}"`;
  const emulator = env.emulator && EMULATORS[env.emulator].label;
  const errors: string[] = [];
  const core = unserved(env, ...module.services);
  if (core)
    errors.push(
      `${where}: module "${module.name}" cannot do without what ${emulator} does not serve (${core}); disable it there in packages/${module.name}/environments.ts, or use another emulator (EMULATOR)`,
    );
  const fitted = { ...settings };
  const leftOut: string[] = [];
  for (const [part, services] of Object.entries(module.switchable ?? {})) {
    const missing = unserved(env, ...services);
    const current = (fitted[part] ?? {}) as Record<string, unknown>;
    if (!missing || current.enabled === false) continue;
    if (current.enabled === true) {
      errors.push(
        `${where}: modules.${module.name}.settings.${part}.enabled: is true, but ${emulator} does not serve what it uses (${missing}); leave it unset there`,
      );
      continue;
    }
    fitted[part] = { ...current, enabled: false };
    leftOut.push(`${module.name} ${part} (${missing})`);
  }
  return { settings: fitted, leftOut, errors };
}

/**
 * Checks every environment's module entries against the module registry and each module's settings
 * schema. Runs before any construct exists, so bad input writes nothing.
 */
export function planPlatform(envs: Environment[], registry: readonly ModuleDefinition[]): EnvironmentPlan[] {
  const names = registry.map((m) => m.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate)
    throw new ConfigError(
      `module "${duplicate}" is registered twice in packages/index.ts; module names must be unique`,
    );
  const reserved = names.filter((n) => n === BootstrapStack.STACK || n === FoundationStack.STACK);
  if (reserved.length > 0)
    throw new ConfigError(`module name "${reserved[0]}" is reserved for a platform stack; rename the module`);

  const errors: string[] = checkSecretDeclarations(registry);
  const plans = envs.map((env) => {
    const stacks = [
      BootstrapStack.STACK,
      FoundationStack.STACK,
      ...Object.entries(env.modules)
        .filter(([, e]) => e.enabled)
        .map(([n]) => n),
    ];
    for (const stack of Object.keys(env.imports ?? {}).filter((s) => !stacks.includes(s))) {
      errors.push(
        `environment "${env.name}": imports.${stack}: no such stack in this environment; stacks: ${stacks.join(", ")}`,
      );
    }
    for (const module of registry.filter((m) => !(m.name in env.modules))) {
      errors.push(
        `environment "${env.name}": module "${module.name}" is registered in packages/index.ts but has no entry here; give it one in packages/${module.name}/environments.ts`,
      );
    }
    const modules: EnvironmentPlan["modules"] = [];
    const leftOut = environmentLeftOut(env);
    for (const [name, entry] of Object.entries(env.modules)) {
      const module = registry.find((m) => m.name === name);
      if (!module) {
        errors.push(`environment "${env.name}": modules.${name}: unknown module; known modules: ${names.join(", ")}`);
        continue;
      }
      if (!entry.enabled) continue;
      const declared = (module.secrets ?? []).map((d) => d.name);
      for (const secret of Object.keys(entry.secretRotation ?? {}).filter((n) => !declared.includes(n))) {
        errors.push(
          `environment "${env.name}": modules.${name}.secretRotation.${secret}: the module declares no such secret; its secrets: ${declared.join(", ") || "none"}`,
        );
      }
      const fit = fitToEmulator(env, module, entry.settings);
      errors.push(...fit.errors);
      leftOut.push(...fit.leftOut);
      const parsed = module.settings.safeParse(fit.settings);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          errors.push(
            `environment "${env.name}": modules.${name}.settings.${issue.path.join(".") || "(root)"}: ${issue.message}`,
          );
        }
        continue;
      }
      const problems = module.check?.(parsed.data, env) ?? [];
      for (const [path, message] of problems)
        errors.push(`environment "${env.name}": modules.${name}.settings.${path}: ${message}`);
      if (problems.length > 0) continue;
      modules.push({ module, settings: parsed.data, secretRotation: entry.secretRotation });
    }
    return { env, registry, modules, leftOut };
  });
  if (errors.length > 0) throw new ConfigError(errors.join("\n"));
  return plans;
}

export interface BuildOptions {
  /** Bootstrap state in a local file (first apply of an environment); see BootstrapStack. */
  readonly bootstrapLocalStatePath?: string;
  /** Only these stacks (names or globs such as `dev-*`); see selectStacks. @default every stack */
  readonly stacks?: ReadonlySet<string>;
  /** Module stacks planned against mock foundation outputs (plan only; apply is refused). @default none */
  readonly mockFoundation?: ReadonlySet<string>;
}

/** One environment's stack names by layer: [bootstrap], [foundation], [its modules]; each reads the one before. */
export function stackLayers({ env, modules }: Pick<EnvironmentPlan, "env" | "modules">): string[][] {
  return [
    [stackName(env, BootstrapStack.STACK)],
    [stackName(env, FoundationStack.STACK)],
    modules.map((m) => stackName(env, m.module.name)),
  ];
}

/** Every stack name the plans produce, in layer order per environment. */
export function stackNames(plans: EnvironmentPlan[]): string[] {
  return plans.flatMap((plan) => stackLayers(plan).flat());
}

/** What else to build with a selection: the stacks below it (deploy, diff) or above it (destroy). */
export type StackClosure = "dependencies" | "dependants";

/**
 * Resolves a comma list of stack names or globs (PLATFORM_STACKS="dev-foundation,local-*") to
 * stack names, with the layers the selected stacks depend on, or that depend on them, when a
 * closure is asked for (so cdktf can check the order against them). A pattern that matches nothing
 * is an error that lists the valid names.
 */
export function selectStacks(
  plans: EnvironmentPlan[],
  selection: string | undefined,
  variable = "PLATFORM_STACKS",
  closure?: StackClosure,
): ReadonlySet<string> | undefined {
  const patterns = (selection ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (patterns.length === 0) return undefined;
  const names = stackNames(plans);
  const selected = new Set<string>();
  for (const pattern of patterns) {
    const matches = names.filter((n) => globMatches(pattern, n));
    if (matches.length === 0)
      throw new ConfigError(`unknown stack "${pattern}" in ${variable}; valid names: ${names.join(", ")}`);
    matches.forEach((m) => selected.add(m));
  }
  if (!closure) return selected;
  for (const plan of plans) {
    const layers = stackLayers(plan);
    const lowest = layers.findIndex((layer) => layer.some((s) => selected.has(s)));
    if (lowest < 0) continue;
    const highest = layers.length - 1 - [...layers].reverse().findIndex((layer) => layer.some((s) => selected.has(s)));
    // Below the highest selected layer for dependencies, above the lowest for dependants.
    const extra = closure === "dependencies" ? layers.slice(0, highest) : layers.slice(lowest + 1);
    extra.flat().forEach((s) => selected.add(s));
  }
  return selected;
}

/**
 * Adds the stacks of every planned environment: bootstrap, then foundation, then modules, each
 * depending on the layer below. With a stack selection only those are built (and synthesized).
 * Every stack gets the policy pack (policies/): a violation in any stack fails synth.
 */
export function buildPlatform(app: App, plans: EnvironmentPlan[], options: BuildOptions = {}): void {
  const wanted = (name: string) => !options.stacks || options.stacks.has(name);
  // A partial build cannot tell a stale suppression from one for a stack it did not build.
  const everyEnvironment = environmentNames().every((name) => plans.some((p) => p.env.name === name));
  const gate = new PolicyGate({ reportUnusedSuppressions: everyEnvironment && !options.stacks });
  for (const { env, registry, modules } of plans) {
    const bootstrap = wanted(stackName(env, BootstrapStack.STACK))
      ? new BootstrapStack(app, { env, localStatePath: options.bootstrapLocalStatePath })
      : undefined;
    const adopt = (stack: TerraformStack | undefined, layer: string) => {
      const imports = env.imports?.[layer];
      if (stack && imports) adoptResources(stack, imports, `environment "${env.name}": imports.${layer}`);
    };
    adopt(bootstrap, BootstrapStack.STACK);
    if (bootstrap) gate.apply(bootstrap, env);
    const foundation = wanted(stackName(env, FoundationStack.STACK))
      ? new FoundationStack(app, {
          env,
          // No repositories where the emulator has no ECR (environmentLeftOut says so).
          imageModules: unservedBy(env.emulator, "ecr")
            ? []
            : modules.filter((m) => m.module.image).map((m) => m.module.name),
        })
      : undefined;
    adopt(foundation, FoundationStack.STACK);
    if (foundation) gate.apply(foundation, env);
    if (foundation && bootstrap) foundation.addDependency(bootstrap);
    for (const { module, settings, secretRotation } of modules) {
      const name = stackName(env, module.name);
      if (!wanted(name)) continue;
      const stack = new ModuleStack(app, {
        env,
        module,
        settings,
        secretRotation,
        registry,
        mockFoundation: options.mockFoundation?.has(name) ?? false,
      });
      adopt(stack, module.name);
      gate.apply(stack, env);
      if (foundation) stack.addDependency(foundation);
    }
  }
}

import type { SecretRotation } from "./schema";

/** Every field optional, objects included: an environment states only what differs from `default`. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** What an environment says about one module; an environment's entry is merged over `default`. */
export interface ModuleEntry<S = Record<string, unknown>> {
  readonly enabled?: boolean;
  /** Settings of the module's schema; objects merge key by key over `default`'s, lists and values replace. */
  readonly settings?: DeepPartial<S>;
  /** Rotation of the module's secrets here, by secret name; merged over `default`'s. */
  readonly secretRotation?: Record<string, SecretRotation>;
}

/**
 * One module's entries per environment (packages/<m>/environments.ts): `default` applies everywhere,
 * an environment's entry is merged over it there. `S` is the input type of the module's settings
 * schema, so a misspelled or mistyped setting fails the type check. A key that names no environment
 * is refused (unknownEnvironmentKeys), never silently ignored.
 */
export type ModuleEnvironments<S = Record<string, unknown>> = {
  readonly default: ModuleEntry<S> & { readonly enabled: boolean };
} & { readonly [environment: string]: ModuleEntry<S> };

/** The per-environment entries of every registered module, by module name. */
export type ModuleEnvironmentsByName = Readonly<Record<string, ModuleEnvironments>>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `over` merged into `base`: objects key by key, anything else (lists included) replaced. */
export function mergeSettings(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    merged[key] = isObject(value) && isObject(base[key]) ? mergeSettings(base[key], value) : value;
  }
  return merged;
}

/** One module's entry in one environment: its entry there merged over `default`. */
export function moduleEntry(envs: ModuleEnvironments, environment: string) {
  const base = envs.default;
  const here = envs[environment] ?? {};
  const secretRotation = { ...base.secretRotation, ...here.secretRotation };
  return {
    enabled: here.enabled ?? base.enabled,
    settings: mergeSettings(
      (base.settings ?? {}) as Record<string, unknown>,
      (here.settings ?? {}) as Record<string, unknown>,
    ),
    ...(Object.keys(secretRotation).length > 0 ? { secretRotation } : {}),
  };
}

/** The `modules` field of one environment. */
export function moduleEntries(environment: string, all: ModuleEnvironmentsByName) {
  return Object.fromEntries(Object.entries(all).map(([name, envs]) => [name, moduleEntry(envs, environment)]));
}

/** Entries keyed by a name that is no environment (a typo such as `prdo`), as messages naming the valid ones. */
export function unknownEnvironmentKeys(environments: readonly string[], all: ModuleEnvironmentsByName): string[] {
  return Object.entries(all).flatMap(([module, envs]) =>
    Object.keys(envs)
      .filter((key) => key !== "default" && !environments.includes(key))
      .map(
        (key) =>
          `packages/${module}/environments.ts: "${key}" is not an environment; use default or one of ${environments.join(", ")}`,
      ),
  );
}

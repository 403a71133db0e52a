import { dataPipeline } from "./data-pipeline";
import { fileProcessing } from "./file-processing";
import { mlPlatform } from "./ml-platform";
import { orderTracking } from "./order-tracking";
import type { ModuleEnvironments } from "./types";

/** Per-environment module entries, one file per module (see CODEOWNERS). */
export const MODULE_ENVIRONMENTS: Record<string, ModuleEnvironments> = {
  "file-processing": fileProcessing,
  "data-pipeline": dataPipeline,
  "order-tracking": orderTracking,
  "ml-platform": mlPlatform,
};

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
    settings: mergeSettings(base.settings ?? {}, here.settings ?? {}),
    ...(Object.keys(secretRotation).length > 0 ? { secretRotation } : {}),
  };
}

/** The `modules` field of one environment. */
export function moduleEntries(environment: string, all: Record<string, ModuleEnvironments> = MODULE_ENVIRONMENTS) {
  return Object.fromEntries(Object.entries(all).map(([name, envs]) => [name, moduleEntry(envs, environment)]));
}

/** Entries keyed by a name that is no environment (a typo such as `prdo`), as messages naming the valid ones. */
export function unknownEnvironmentKeys(
  environments: readonly string[],
  all: Record<string, ModuleEnvironments> = MODULE_ENVIRONMENTS,
): string[] {
  return Object.entries(all).flatMap(([module, envs]) =>
    Object.keys(envs)
      .filter((key) => key !== "default" && !environments.includes(key))
      .map(
        (key) =>
          `environments/modules/${module}.ts: "${key}" is not an environment; use default or one of ${environments.join(", ")}`,
      ),
  );
}

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

/** The `modules` field of one environment. */
export function moduleEntries(environment: string) {
  return Object.fromEntries(
    Object.entries(MODULE_ENVIRONMENTS).map(([name, envs]) => [name, envs[environment] ?? envs.default]),
  );
}

import { dataPipeline } from "./data-pipeline";
import { fileProcessing } from "./file-processing";
import type { ModuleDefinition } from "../stacks/module-api";
import { mlPlatform } from "./ml-platform";
import { orderTracking } from "./order-tracking";

/** Every deployable module. Environments enable them by name. */
export const MODULES: readonly ModuleDefinition[] = [
  fileProcessing,
  dataPipeline,
  orderTracking,
  mlPlatform,
] as unknown as ModuleDefinition[];

import type { z } from "zod";
import type { ModuleEnvironments } from "../../stacks/module-api";
import { LOCAL_WORKLOAD_SIZE } from "../workload";
import type { settings } from "./settings";

/** Where the module runs and with which settings: `default` everywhere, an environment's entry merged over it. */
export const environments: ModuleEnvironments<z.input<typeof settings>> = {
  default: { enabled: true, settings: {} },
  local: { enabled: true, settings: { workload: LOCAL_WORKLOAD_SIZE } },
  prod: {
    enabled: true,
    settings: {
      streamMode: "ON_DEMAND",
      workload: { imageTag: "2.0.1", cpuRequest: "500m", memoryRequest: "1Gi", cpuLimit: "2", memoryLimit: "4Gi" },
    },
  },
};

import type { z } from "zod";
import type { ModuleEnvironments } from "../../stacks/module-api";
import { LOCAL_WORKLOAD_SIZE } from "../workload";
import type { settings } from "./settings";

/** Where the module runs and with which settings: `default` everywhere, an environment's entry merged over it. */
export const environments: ModuleEnvironments<z.input<typeof settings>> = {
  default: { enabled: true, settings: {} },
  // One cache node where nothing needs to survive a node failure.
  local: { enabled: true, settings: { cache: { nodes: 1 }, workload: LOCAL_WORKLOAD_SIZE } },
  dev: { enabled: true, settings: { cache: { nodes: 1 } } },
  // Staging mirrors prod's runtime at a smaller size.
  staging: { enabled: true, settings: { cache: { nodes: 2 }, workload: { replicas: 2 } } },
  prod: {
    enabled: true,
    settings: {
      cache: { nodeType: "cache.r7g.large", nodes: 3, snapshotRetentionDays: 14 },
      workload: {
        imageTag: "1.0.0",
        replicas: 3,
        cpuRequest: "500m",
        memoryRequest: "1Gi",
        cpuLimit: "2",
        memoryLimit: "4Gi",
      },
    },
  },
};

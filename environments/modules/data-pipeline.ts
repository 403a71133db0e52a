import type { ModuleEnvironments } from "./types";

export const dataPipeline: ModuleEnvironments = {
  default: { enabled: true, settings: {} },
  prod: {
    enabled: true,
    settings: {
      streamMode: "ON_DEMAND",
      workload: { imageTag: "2.0.1", cpuRequest: "500m", memoryRequest: "1Gi", cpuLimit: "2", memoryLimit: "4Gi" },
    },
  },
};

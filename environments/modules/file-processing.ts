import type { ModuleEnvironments } from "./types";

export const fileProcessing: ModuleEnvironments = {
  default: { enabled: true, settings: {} },
  prod: {
    enabled: true,
    settings: {
      workload: {
        imageTag: "1.4.2",
        replicas: 3,
        cpuRequest: "250m",
        memoryRequest: "256Mi",
        cpuLimit: "1",
        memoryLimit: "1Gi",
      },
    },
  },
};

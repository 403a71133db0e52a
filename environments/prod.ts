import { base } from "./base";
import { defineEnvironment } from "./define";

export const prod = defineEnvironment({
  ...base,
  name: "prod",
  accountId: "333333333333",
  network: { ...base.network, vpcCidr: "10.30.0.0/16", azCount: 3, natMode: "per-az" },
  logRetentionDays: 365,
  eks: { ...base.eks, enabled: true, nodeMinSize: 3, nodeDesiredSize: 3, nodeMaxSize: 9 },
  modules: {
    ...base.modules,
    "file-processing": {
      enabled: true,
      settings: { workload: { imageTag: "1.4.2", replicas: 3, cpuRequest: "250m", memoryRequest: "256Mi", cpuLimit: "1", memoryLimit: "1Gi" } },
    },
    "data-pipeline": {
      enabled: true,
      settings: { streamMode: "ON_DEMAND", workload: { imageTag: "2.0.1", cpuRequest: "500m", memoryRequest: "1Gi", cpuLimit: "2", memoryLimit: "4Gi" } },
    },
    "order-tracking": { enabled: true, settings: { database: { instanceClass: "db.t4g.medium", multiAz: true }, service: { desiredCount: 3 } } },
  },
});

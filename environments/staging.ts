import { base } from "./base";
import { defineEnvironment } from "./define";

export const staging = defineEnvironment({
  ...base,
  name: "staging",
  accountId: "222222222222",
  dns: { ...base.dns, publicZone: "staging.acme.example" },
  network: { ...base.network, vpcCidr: "10.20.0.0/16", azCount: 3, interfaceEndpoints: true },
  logRetentionDays: 30,
  budget: { monthlyLimitUsd: 1000, anomalyAlertUsd: 100 },
  // Prod's runtime at a smaller size: workloads are integration-tested here before production.
  eks: { ...base.eks, enabled: true, nodeMinSize: 1, nodeDesiredSize: 2, nodeMaxSize: 4 },
});

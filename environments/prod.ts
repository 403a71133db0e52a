import { base } from "./base";
import { defineEnvironment } from "./define";

export const prod = defineEnvironment({
  ...base,
  name: "prod",
  accountId: "333333333333",
  dns: { ...base.dns, publicZone: "acme.example" },
  network: { ...base.network, vpcCidr: "10.30.0.0/16", azCount: 3, natMode: "per-az", interfaceEndpoints: true },
  logRetentionDays: 365,
  budget: { monthlyLimitUsd: 5000, anomalyAlertUsd: 250 },
  // Production deploys only from version tags, through its protected GitHub environment.
  github: { ...base.github, deployRef: "refs/tags/v*" },
  eks: { ...base.eks, enabled: true, nodeMinSize: 3, nodeDesiredSize: 3, nodeMaxSize: 9 },
});

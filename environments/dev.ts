import { base } from "./base";
import { defineEnvironment } from "./define";

export const dev = defineEnvironment({
  ...base,
  name: "dev",
  accountId: "111111111111",
  dns: { ...base.dns, publicZone: "dev.acme.example" },
  network: { ...base.network, vpcCidr: "10.10.0.0/16" },
  deletionProtection: false,
  logRetentionDays: 14,
  budget: { monthlyLimitUsd: 500, anomalyAlertUsd: 50 },
});

import type { ModuleEnvironments } from "./types";

export const orderTracking: ModuleEnvironments = {
  // service.domain is per environment: its ISSUED ACM certificate must exist in that account.
  default: { enabled: true, settings: {} },
  // The emulator runs neither RDS engines nor ECS tasks behind an ALB; the queue side still deploys.
  local: { enabled: true, settings: { database: { enabled: false }, service: { enabled: false } } },
  dev: { enabled: true, settings: { service: { domain: "orders.dev.acme.example" } } },
  staging: { enabled: true, settings: { service: { domain: "orders.staging.acme.example" } } },
  prod: {
    enabled: true,
    settings: { database: { instanceClass: "db.t4g.medium", multiAz: true }, service: { desiredCount: 3, domain: "orders.acme.example" } },
  },
};

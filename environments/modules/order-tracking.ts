import type { ModuleEnvironments } from "./types";

export const orderTracking: ModuleEnvironments = {
  default: { enabled: true, settings: {} },
  // The emulator runs neither RDS engines nor ECS tasks behind an ALB; the queue side still deploys.
  local: { enabled: true, settings: { database: { enabled: false }, service: { enabled: false } } },
  prod: { enabled: true, settings: { database: { instanceClass: "db.t4g.medium", multiAz: true }, service: { desiredCount: 3 } } },
};

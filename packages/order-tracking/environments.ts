import type { z } from "zod";
import type { ModuleEnvironments } from "../../stacks/module-api";
import type { settings } from "./settings";

/** Where the module runs and with which settings: `default` everywhere, an environment's entry merged over it. */
export const environments: ModuleEnvironments<z.input<typeof settings>> = {
  // service.domain and frontend.domain are per environment and lie in its public zone (dns.publicZone).
  default: { enabled: true, settings: {} },
  // Applied whole against the emulator: database, Kafka cluster, load balancer with its certificate, service, CloudFront frontend.
  local: {
    enabled: true,
    settings: { service: { domain: "orders.local.acme.example" }, frontend: { domain: "track.local.acme.example" } },
  },
  dev: {
    enabled: true,
    settings: { service: { domain: "orders.dev.acme.example" }, frontend: { domain: "track.dev.acme.example" } },
  },
  staging: {
    enabled: true,
    settings: {
      service: { domain: "orders.staging.acme.example" },
      frontend: { domain: "track.staging.acme.example" },
    },
  },
  prod: {
    enabled: true,
    settings: {
      database: { instanceClass: "db.t4g.medium", multiAz: true },
      service: { desiredCount: 3, domain: "orders.acme.example" },
      frontend: { domain: "track.acme.example", priceClass: "PriceClass_200" },
    },
  },
};

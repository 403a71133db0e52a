import { z } from "zod";
import { imageTagSetting } from "../workload";

export const settings = z
  .object({
    database: z
      .object({
        enabled: z
          .boolean()
          .default(true)
          .describe("The PostgreSQL database; left out of local against an emulator without RDS."),
        instanceClass: z
          .string()
          .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "must be an RDS instance class such as db.t4g.micro")
          .default("db.t4g.micro"),
        engineVersion: z.string().default("16.4"),
        allocatedStorageGb: z.number().int().min(20).max(65_536).default(20),
        multiAz: z.boolean().default(false),
        backupRetentionDays: z.number().int().min(1).max(35).default(7),
        slowStatementMs: z
          .number()
          .int()
          .min(0)
          .default(1000)
          .describe("Statements slower than this are logged, in milliseconds."),
      })
      .strict()
      // Parsed like an empty object, so the field defaults above apply.
      .prefault({}),
    service: z
      .object({
        enabled: z
          .boolean()
          .default(true)
          .describe(
            "The API on ECS behind its load balancer; left out of local against an emulator without ECS or ELB.",
          ),
        imageTag: imageTagSetting,
        desiredCount: z.number().int().min(0).max(100).default(1),
        cpu: z.number().int().default(256),
        memoryMb: z.number().int().default(512),
        containerPort: z.number().int().min(1).max(65_535).default(8080),
        healthCheckPath: z.string().startsWith("/").default("/health"),
        domain: z
          .string()
          .regex(
            /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
            "must be a lowercase domain name such as orders.example.com",
          )
          .optional()
          .describe(
            "Domain the API answers on, inside the environment's public zone (dns.publicZone). The stack requests its ACM certificate, validates it through that zone and points the domain at the load balancer, which serves HTTPS only; HTTP redirects to HTTPS. /",
          ),
        rateLimitPer5Minutes: z
          .number()
          .int()
          .min(100)
          .default(2000)
          .describe("Requests per 5 minutes from one IP address before the web ACL blocks it."),
      })
      .strict()
      .refine((svc) => !svc.enabled || svc.domain !== undefined, {
        message:
          "is required while the service is enabled: the load balancer serves HTTPS only, with a certificate for this domain",
        path: ["domain"],
      })
      .prefault({}),
    events: z
      .object({
        enabled: z
          .boolean()
          .default(true)
          .describe("MSK Serverless cluster for order events (Kafka clients, SASL/IAM on port 9098)."),
        topics: z
          .array(
            z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, "must be a Kafka topic name (letters, digits, '.', '_', '-')"),
          )
          .min(1)
          .refine((t) => new Set(t).size === t.length, "must not name a topic twice")
          .default(["order-events"])
          .describe("Topics the service produces to; its IAM policy names each, and may create them."),
      })
      .strict()
      .prefault({}),
    frontend: z
      .object({
        enabled: z.boolean().default(true),
        domain: z
          .string()
          .regex(
            /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
            "must be a lowercase domain name such as track.example.com",
          )
          .optional()
          .describe(
            "Domain the page answers on, inside the environment's public zone; its certificate is issued in us-east-1.",
          ),
        priceClass: z
          .enum(["PriceClass_100", "PriceClass_200", "PriceClass_All"])
          .default("PriceClass_100")
          .describe("Edge locations: PriceClass_100 (North America, Europe) is the cheapest."),
      })
      .strict()
      .refine((f) => !f.enabled || f.domain !== undefined, {
        message:
          "is required while the frontend is enabled: CloudFront serves it over HTTPS with a certificate for this domain",
        path: ["domain"],
      })
      .prefault({})
      .describe("The customers' tracking page: static files in a private bucket behind CloudFront."),
  })
  .strict();

export type Settings = z.output<typeof settings>;

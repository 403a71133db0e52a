import { z } from "zod";
import { SERVICE_WORKLOAD_DEFAULTS, serviceWorkloadSettings } from "../workload";

export const settings = z
  .object({
    cache: z
      .object({
        enabled: z.boolean().default(true),
        nodeType: z
          .string()
          .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "must be an ElastiCache node type such as cache.t4g.small")
          .default("cache.t4g.small"),
        engineVersion: z
          .string()
          .regex(/^\d+\.\d+$/, "must be a Redis major.minor version such as 7.1")
          .default("7.1"),
        nodes: z
          .number()
          .int()
          .min(1)
          .max(6)
          .default(2)
          .describe("One primary and the rest replicas; two or more fail over automatically across AZs."),
        snapshotRetentionDays: z.number().int().min(0).max(35).default(7),
        passwordVersion: z
          .number()
          .int()
          .min(1)
          .default(1)
          .describe(
            "Version of the cache user's password; raise it by one to rotate (the stack draws a new one and writes it to the cache and the redis-auth secret).",
          ),
      })
      .strict()
      .prefault({})
      .describe("The online feature cache next to the model store."),
    oldModelVersionsKeptDays: z
      .number()
      .int()
      .min(1)
      .default(180)
      .describe("Days a replaced model version is kept (for rollback) before it is deleted."),
    workload: serviceWorkloadSettings
      .default(SERVICE_WORKLOAD_DEFAULTS)
      .describe("The model server on the environment's cluster."),
  })
  .strict();

export type Settings = z.output<typeof settings>;

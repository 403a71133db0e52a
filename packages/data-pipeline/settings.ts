import { z } from "zod";
import { WORKLOAD_DEFAULTS, workloadSettings } from "../workload";

export const settings = z
  .object({
    glacierAfterDays: z
      .object({
        raw: z.number().int().min(0).default(90),
        processed: z.number().int().min(0).default(180),
        curated: z.number().int().min(0).default(0),
      })
      .strict()
      .default({ raw: 90, processed: 180, curated: 0 })
      .describe("Days after which objects of each zone move to Glacier; 0 keeps them in STANDARD."),
    streamMode: z
      .enum(["ON_DEMAND", "PROVISIONED"])
      .default("PROVISIONED")
      .describe("Kinesis capacity: ON_DEMAND scales by itself; PROVISIONED uses shardCount."),
    shardCount: z.number().int().min(1).max(500).default(1),
    streamRetentionHours: z.number().int().min(24).max(8760).default(24).describe("Hours the stream keeps records."),
    batchSchedule: z
      .string()
      .regex(/^(\S+\s+){4}\S+$/, "must be a five-field cron schedule")
      .default("15 * * * *")
      .describe("When the batch job runs on the environment's cluster (cron syntax)."),
    workload: workloadSettings.default(WORKLOAD_DEFAULTS).describe("The batch job on the environment's cluster."),
    metadata: z
      .object({ enabled: z.boolean().default(true) })
      .strict()
      .prefault({})
      .describe("The DynamoDB table of dataset metadata, which the batch job keeps."),
    landing: z
      .object({
        enabled: z.boolean().default(true),
        batchSize: z.number().int().min(1).max(10_000).default(100).describe("Records per invocation."),
        startingPosition: z
          .enum(["TRIM_HORIZON", "LATEST"])
          .default("TRIM_HORIZON")
          .describe("Where a new mapping starts reading: the oldest record kept, or only new ones."),
        maxRetries: z
          .number()
          .int()
          .min(0)
          .max(10_000)
          .default(3)
          .describe("Retries of a failing batch (split in halves) before it is sent to the failure queue."),
        reservedConcurrency: z
          .number()
          .int()
          .min(1)
          .max(1000)
          .default(2)
          .describe("Concurrent executions reserved for, and limited to, the function."),
        memoryMb: z.number().int().min(128).max(10_240).default(256),
        timeoutSeconds: z.number().int().min(1).max(900).default(60),
      })
      .strict()
      .prefault({})
      .describe("The function that lands the events stream in the raw zone (functions/land-events)."),
  })
  .strict();

export type Settings = z.output<typeof settings>;

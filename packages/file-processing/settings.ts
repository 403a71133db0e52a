import { z } from "zod";
import { SERVICE_WORKLOAD_DEFAULTS, serviceWorkloadSettings } from "../workload";

export const settings = z
  .object({
    visibilityTimeoutSeconds: z
      .number()
      .int()
      .min(0)
      .max(43_200)
      .default(300)
      .describe("Seconds a worker has to process one file before the message reappears."),
    maxReceiveCount: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(5)
      .describe("Failed receives before a message moves to the dead-letter queue."),
    processedGlacierAfterDays: z
      .number()
      .int()
      .min(30)
      .default(90)
      .describe("Days processed files stay in STANDARD before moving to Glacier."),
    workload: serviceWorkloadSettings
      .default(SERVICE_WORKLOAD_DEFAULTS)
      .describe("The worker on the environment's cluster (Helm chart in ./chart)."),
  })
  .strict();

export type Settings = z.output<typeof settings>;

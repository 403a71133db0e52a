import { z } from "zod";

/** The quantity suffixes the settings accept, as multipliers of the plain unit (CPU cores, bytes). */
const QUANTITY_UNITS: Record<string, number> = { "": 1, m: 1e-3, Mi: 2 ** 20, Gi: 2 ** 30 };
const QUANTITY = /^(\d+(?:\.\d+)?)(m|Mi|Gi)?$/;

/** The value of a quantity such as 250m (0.25) or 512Mi (536870912); the settings accepted it. */
export function quantityValue(quantity: string): number {
  const [, number, unit] = QUANTITY.exec(quantity)!;
  return Number(number) * QUANTITY_UNITS[unit ?? ""];
}

const quantity = z.string().regex(QUANTITY, "must be a Kubernetes quantity such as 250m or 512Mi");

/** An image tag of the module's ECR repository, by default 0.1.0: immutable tags, never `latest`. */
export const imageTagSetting = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/)
  .refine((t) => t !== "latest", "must name a release, not latest")
  .default("0.1.0")
  .describe("Image tag in the module's ECR repository; immutable tags, never `latest`.");

/** What Kustomize overlays would patch (replicas, resources, image tag), kept in the environment files instead. */
const sizes = {
  imageTag: imageTagSetting,
  replicas: z.number().int().min(0).max(100).default(1),
  cpuRequest: quantity.default("100m"),
  memoryRequest: quantity.default("128Mi"),
  cpuLimit: quantity.default("500m"),
  memoryLimit: quantity.default("512Mi"),
};

/** The API server refuses a container whose request exceeds its limit; say so at synth, with the setting. */
function requestsWithinLimits(w: z.output<z.ZodObject<typeof sizes>>, ctx: z.RefinementCtx): void {
  for (const resource of ["cpu", "memory"] as const) {
    const request = w[`${resource}Request`];
    const limit = w[`${resource}Limit`];
    // A malformed quantity has its own issue already (zod runs this check after the fields' own).
    if (!QUANTITY.test(request) || !QUANTITY.test(limit)) continue;
    if (quantityValue(request) > quantityValue(limit)) {
      ctx.addIssue({
        code: "custom",
        path: [`${resource}Request`],
        message: `${request} is more than ${resource}Limit ${limit}: a container may not request more than its limit`,
      });
    }
  }
}

/** Per-environment settings of a module's Kubernetes workload that runs to completion (a CronJob). */
export const workloadSettings = z.object(sizes).strict().superRefine(requestsWithinLimits);

/** Per-environment settings of a module's Kubernetes workload that serves on a port (a Deployment, a chart). */
export const serviceWorkloadSettings = z
  .object({
    ...sizes,
    port: z
      .number()
      .int()
      .min(1)
      .max(65_535)
      .default(8080)
      .describe("TCP port the container listens on; its Service and probes use it."),
  })
  .strict()
  .superRefine(requestsWithinLimits);

export type WorkloadSettings = z.output<typeof workloadSettings>;

export const WORKLOAD_DEFAULTS: WorkloadSettings = workloadSettings.parse({});
export const SERVICE_WORKLOAD_DEFAULTS = serviceWorkloadSettings.parse({});

/**
 * The local overlay of every workload: what it asks of the local cluster, whose node has the budget
 * the rideshare seed gives its Kind cluster (local/cluster-node.yaml; a unit test checks they fit).
 */
export const LOCAL_WORKLOAD_SIZE = {
  replicas: 1,
  cpuRequest: "50m",
  memoryRequest: "64Mi",
  cpuLimit: "250m",
  memoryLimit: "256Mi",
} as const;

import { z } from "zod";

const quantity = z.string().regex(/^\d+(\.\d+)?(m|Mi|Gi)?$/, "must be a Kubernetes quantity such as 250m or 512Mi");

/** An image tag of the module's ECR repository, by default 0.1.0: immutable tags, never `latest`. */
export const imageTagSetting = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/)
  .refine((t) => t !== "latest", "must name a release, not latest")
  .default("0.1.0")
  .describe("Image tag in the module's ECR repository; immutable tags, never `latest`.");

/**
 * Per-environment settings of a module's Kubernetes workload: what Kustomize overlays would patch
 * (replicas, resources, image tag), kept in the environment files instead.
 */
export const workloadSettings = z
  .object({
    imageTag: imageTagSetting,
    replicas: z.number().int().min(0).max(100).default(1),
    cpuRequest: quantity.default("100m"),
    memoryRequest: quantity.default("128Mi"),
    cpuLimit: quantity.default("500m"),
    memoryLimit: quantity.default("512Mi"),
  })
  .strict();

export type WorkloadSettings = z.output<typeof workloadSettings>;

export const WORKLOAD_DEFAULTS: WorkloadSettings = workloadSettings.parse({});

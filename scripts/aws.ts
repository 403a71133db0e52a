import type { Environment } from "../environments";
import { emulatorCredentials } from "../stacks/state";

// The SDK warns that releases after January 2027 need Node 22; the lockfile pins this release.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/**
 * AWS SDK v3 client settings for an environment: the emulator's endpoint locally, with its test keys
 * unless the environment takes credentials from the usual chain (emulatorCredentials).
 */
export function sdkConfig(env: Environment) {
  if (!env.endpoint) return { region: env.region };
  const keys = emulatorCredentials(env);
  return {
    region: env.region,
    endpoint: env.endpoint,
    forcePathStyle: true,
    ...(keys.accessKey ? { credentials: { accessKeyId: keys.accessKey, secretAccessKey: keys.secretKey! } } : {}),
  };
}

/** The HTTP status of a failed SDK call, when the service answered. */
export function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

import type { S3BackendConfig } from "cdktf";
import type { Environment } from "../environments";
import { stateKey } from "../core/naming";

/** Credentials every AWS emulator accepts; they grant nothing anywhere else. */
export const EMULATOR_CREDENTIALS = { accessKey: "test", secretKey: "test" } as const;

/** The emulator's test keys, unless the environment takes credentials from the usual AWS chain. */
export function emulatorCredentials(
  env: Pick<Environment, "emulatorCredentials">,
): Partial<typeof EMULATOR_CREDENTIALS> {
  return env.emulatorCredentials === "environment" ? {} : EMULATOR_CREDENTIALS;
}

/**
 * The S3 backend configuration of a stack. The ONE source of backend settings: the stack's own
 * backend and every terraform_remote_state that reads it are built from this function, so the key a
 * module reads is by construction the key the foundation writes. Locking follows the environment:
 * use_lockfile (a `<key>.tflock` object written with If-None-Match), dynamodb_table, or both, in
 * which case the engine takes the S3 lock first, then the table's, and holds both.
 */
export function stateBackendConfig(env: Environment, stack: string): S3BackendConfig {
  const { locking, lockTable } = env.state;
  const config: S3BackendConfig & { useLockfile?: boolean } = {
    bucket: env.state.bucket,
    key: stateKey(env, stack),
    region: env.region,
    // cdktf 0.21 predates use_lockfile; its S3 backend writes every property it is given, snake_cased.
    ...(locking === "s3" || locking === "both" ? { useLockfile: true } : {}),
    ...(locking === "dynamodb" || locking === "both" ? { dynamodbTable: lockTable } : {}),
    encrypt: true,
  };
  if (!env.endpoint) return config;
  // tflocal never reads *.tf.json, so emulator settings must already be in the config it leaves alone.
  return {
    ...config,
    ...emulatorCredentials(env),
    endpoints: { s3: env.endpoint, dynamodb: env.endpoint, sts: env.endpoint, iam: env.endpoint },
    usePathStyle: true,
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: true,
    skipRegionValidation: true,
  };
}

/** The alias of the key that encrypts an environment's state bucket (bootstrap makes it). */
export function stateKeyAlias(env: Environment): string {
  return `alias/${env.state.bucket}`;
}

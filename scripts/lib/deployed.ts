// What the deployed platform holds, read the same way by seed, secrets-fill and secrets-init: a
// stack's outputs from its state, and a secret's current value.
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { stackName, stateKey } from "../../core/naming";
import { ConfigError, type Environment } from "../../environments";
import { httpStatus } from "../aws";
import { stateReadFailure } from "./state-object";

/** A module stack's outputs, from its state; a stack without state is an error saying to deploy it. */
export async function stackOutputs(s3: S3Client, env: Environment, module: string): Promise<Record<string, unknown>> {
  const key = stateKey(env, module);
  try {
    const body = await s3.send(new GetObjectCommand({ Bucket: env.state.bucket, Key: key }));
    const state = JSON.parse(await body.Body!.transformToString()) as { outputs?: Record<string, { value: unknown }> };
    return Object.fromEntries(Object.entries(state.outputs ?? {}).map(([k, v]) => [k, v.value]));
  } catch (e) {
    const failure = stateReadFailure(e, env.state.bucket, key);
    if (failure !== "missing") throw failure;
    const stack = stackName(env, module);
    throw new ConfigError(
      `${stack} is not deployed (no state at s3://${env.state.bucket}/${key}); deploy it first: npm run deploy -- ${stack}`,
    );
  }
}

/** The 404 Secrets Manager answers for a secret that exists but holds no value yet. */
export function noValueYet(e: unknown): boolean {
  return httpStatus(e) === 404 && /secret value|staging label|AWSCURRENT/i.test((e as Error).message);
}

/** A secret's current JSON value; undefined while it has none. Any other error (no such secret) is thrown. */
export async function currentSecretValue(
  client: SecretsManagerClient,
  id: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse((await client.send(new GetSecretValueCommand({ SecretId: id }))).SecretString ?? "{}");
  } catch (e) {
    if (noValueYet(e)) return undefined;
    throw e;
  }
}

/** Writes `value` as the secret's new version when `added` names keys it did not hold before. */
export async function putIfAdded(client: SecretsManagerClient, id: string, value: object, added: readonly string[]) {
  if (added.length > 0)
    await client.send(new PutSecretValueCommand({ SecretId: id, SecretString: JSON.stringify(value) }));
}

/**
 * The e2e's search for secret values where none may be: every version of every object in a state
 * bucket, against every value Secrets Manager holds. What it reports names the object and the secret's
 * key, never the value.
 */
import { GetObjectCommand, ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { sdkConfig } from "../../scripts/aws";

type SdkConfig = ReturnType<typeof sdkConfig>;

/**
 * Values shorter than this are not searched: user and database names (`airflow`) are keys of the
 * same secrets, are no secrets, and appear in resource names. Every generated value is 40 or 64 long.
 */
const SEARCHED_LENGTH = 12;

export interface SecretValue {
  /** `<secret name>:<key>` */
  readonly where: string;
  readonly value: string;
}

/** Every value of every secret (JSON secrets key by key), as long as SEARCHED_LENGTH or longer. */
export async function secretValues(aws: SdkConfig): Promise<SecretValue[]> {
  const client = new SecretsManagerClient(aws);
  const values: SecretValue[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListSecretsCommand({ NextToken: token }));
    for (const secret of page.SecretList ?? []) {
      let text: string | undefined;
      try {
        text = (await client.send(new GetSecretValueCommand({ SecretId: secret.ARN }))).SecretString;
      } catch (e) {
        // A secret without a value yet has nothing to leak.
        if ((e as { name?: string }).name === "ResourceNotFoundException") continue;
        throw e;
      }
      if (!text) continue;
      let fields: Record<string, unknown>;
      try {
        fields = JSON.parse(text) as Record<string, unknown>;
      } catch {
        fields = { "": text };
      }
      for (const [key, value] of Object.entries(fields)) {
        if (typeof value === "string" && value.length >= SEARCHED_LENGTH)
          values.push({ where: `${secret.Name}:${key}`, value });
      }
    }
    token = page.NextToken;
  } while (token);
  return values;
}

/** How many object versions were read, and which of them hold which secret's value. */
export async function stateObjectsHolding(
  aws: SdkConfig,
  bucket: string,
  values: readonly SecretValue[],
): Promise<{ objects: number; holding: string[] }> {
  const s3 = new S3Client(aws);
  const holding: string[] = [];
  let objects = 0;
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
    );
    for (const version of page.Versions ?? []) {
      const body = await (
        await s3.send(new GetObjectCommand({ Bucket: bucket, Key: version.Key, VersionId: version.VersionId }))
      ).Body!.transformToString();
      objects += 1;
      for (const { where, value } of values) {
        if (body.includes(value)) holding.push(`${version.Key} (version ${version.VersionId}) holds ${where}`);
      }
    }
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  return { objects, holding };
}

/**
 * The passwords moto holds for an ElastiCache user (its model data, `/moto-api/data.json`): no AWS
 * API returns a user's password, and the e2e compares it with the one in the user's secret.
 */
export async function motoUserPasswords(endpoint: string, userId: string): Promise<string[]> {
  const response = await fetch(`${endpoint}/moto-api/data.json`);
  if (!response.ok) throw new Error(`${endpoint}/moto-api/data.json answered ${response.status}`);
  const data = (await response.json()) as {
    elasticache?: { User?: { id: string; passwords?: string[]; status?: string }[] };
  };
  const users = (data.elasticache?.User ?? []).filter((u) => u.id === userId);
  return users.at(-1)?.passwords ?? [];
}

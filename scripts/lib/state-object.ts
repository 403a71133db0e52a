// Whether a stack's state object is there, with one meaning for every command that asks (plan's
// --mock-foundation=if-missing, drift, the state checks, seed and secrets-fill reading outputs).
import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { stateKey } from "../../core/naming";
import { ConfigError, type Environment } from "../../environments";
import { httpStatus } from "../aws";

/**
 * How S3's refusal to read `s3://bucket/key` is taken: "missing" when the bucket or the object is
 * not there (404, NoSuchBucket, NoSuchKey), else an error that says what could not be read. A 403
 * is such an error, not a missing object: S3 answers 403 for an object that is not there to a caller
 * without s3:ListBucket on the bucket, so the caller cannot tell, and must not act as if it could.
 */
export function stateReadFailure(e: unknown, bucket: string, key: string): "missing" | Error {
  const status = httpStatus(e);
  const name = (e as Error).name;
  if (status === 404 || name === "NoSuchBucket" || name === "NoSuchKey" || name === "NotFound") return "missing";
  if (status === 403)
    return new ConfigError(
      `cannot read the state object s3://${bucket}/${key}: access denied (with s3:ListBucket on the bucket S3 would say whether it exists); use credentials that may read the environment's state`,
    );
  return e instanceof Error ? e : new Error(String(e));
}

/** Whether the state object of `stack` (its name without the environment) exists; see stateReadFailure. */
export async function stateObjectExists(s3: S3Client, env: Environment, stack: string): Promise<boolean> {
  const key = stateKey(env, stack);
  try {
    await s3.send(new HeadObjectCommand({ Bucket: env.state.bucket, Key: key }));
    return true;
  } catch (e) {
    const failure = stateReadFailure(e, env.state.bucket, key);
    if (failure === "missing") return false;
    throw failure;
  }
}

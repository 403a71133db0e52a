// Inspects a stack's state object: `state.ts exists <env> <stack>` prints present, no-object or
// no-bucket. Used by the bootstrap command to decide between first apply and re-apply.
import { HeadBucketCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { ConfigError, loadEnvironments } from "../environments";
import { stateKey } from "../stacks/state";
import { httpStatus, sdkConfig } from "./aws";

async function main(): Promise<void> {
  const [command, envName, stack] = process.argv.slice(2);
  if (command !== "exists" || !envName || !stack) {
    console.error("usage: state.ts exists <environment> <stack>");
    process.exit(2);
  }
  const [env] = loadEnvironments(undefined, envName);
  const s3 = new S3Client(sdkConfig(env));
  try {
    await s3.send(new HeadBucketCommand({ Bucket: env.state.bucket }));
  } catch (e) {
    if (httpStatus(e) === 404) return void console.log("no-bucket");
    throw e;
  }
  try {
    await s3.send(new HeadObjectCommand({ Bucket: env.state.bucket, Key: stateKey(env, stack) }));
    console.log("present");
  } catch (e) {
    if (httpStatus(e) === 404) return void console.log("no-object");
    throw e;
  }
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : `state check failed: ${(e as Error).message}`);
  process.exit(1);
});

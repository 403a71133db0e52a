/** State locks as the e2e checks them: the lock objects held now, and two applies of one stack at once. */
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { run, type RunResult, start, waitForOutput } from "./run";

/** Locks held now in a state bucket (S3 locking): the `<state key>.tflock` objects. */
export async function stateLockObjects(client: S3Client, bucket: string): Promise<string[]> {
  const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (page.Contents ?? [])
    .map((o) => o.Key!)
    .filter((k) => k.endsWith(".tflock"))
    .sort();
}

/**
 * Two applies of one stack at once: the first plans `-replace=<address>` and waits at its approval
 * prompt holding the lock; `whileHeld` looks at what is locked, then a second apply runs with
 * -lock-timeout=0s. The first is answered "no" in any case. Returns what whileHeld saw, the second
 * apply and the first apply's output.
 */
export async function applyAgainstHeldLock<T>(o: {
  cwd: string;
  env: NodeJS.ProcessEnv;
  replace: string;
  logs: readonly [string, string];
  whileHeld: () => Promise<T>;
}): Promise<{ held: T; second: RunResult; firstOutput: string }> {
  const binary = o.env.TERRAFORM_BINARY_NAME!;
  const first = start(binary, ["apply", "-input=true", "-no-color", `-replace=${o.replace}`], {
    cwd: o.cwd,
    env: o.env,
    log: o.logs[0],
  });
  let held: T;
  let second: RunResult;
  try {
    await waitForOutput(first, (out) => out.includes("Enter a value:"), 120_000);
    held = await o.whileHeld();
    second = await run(binary, ["apply", "-input=false", "-auto-approve", "-no-color", "-lock-timeout=0s"], {
      cwd: o.cwd,
      env: o.env,
      log: o.logs[1],
    });
  } finally {
    first.write("no\n");
    first.end();
  }
  return { held, second, firstOutput: (await first.done).output };
}

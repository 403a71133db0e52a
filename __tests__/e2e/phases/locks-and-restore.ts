/**
 * State safety on ml-platform while the queue stacks are destroyed: two applies at once, a lock held
 * by someone else in a multi-stack deploy, and a damaged state restored from a previous version.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FOUNDATION_STACK, stateKey } from "../../../core/naming";
import { type LocalPlatform, OUT } from "../local-platform";
import { applyAgainstHeldLock } from "../locks";
import type { MainLine } from "../main-line";
import { REPO, must } from "../run";
import { LOCK_MODULE, LOCK_STACK, local } from "../stacks";

/** The address of the one resource of `type` under construct `id` in a synthesized stack of cdktf.out. */
function addressIn(stack: string, type: string, id: string): string {
  const json = JSON.parse(readFileSync(join(OUT, stack, "cdk.tf.json"), "utf8")) as {
    resource: Record<string, Record<string, unknown>>;
  };
  const found = Object.keys(json.resource[type] ?? {}).filter((name) => name.startsWith(`${id}_`));
  if (found.length !== 1) throw new Error(`expected one ${type} under ${id} in ${stack}, found ${found.length}`);
  return `${type}.${found[0]}`;
}

export function locksAndRestorePhase(main: MainLine, { env, tools, s3, tofu, cdktf, locksOf }: LocalPlatform): void {
  main.step("two applies of one stack at once: the second fails on the lock, state intact", async () => {
    const key = stateKey(env, LOCK_MODULE);
    const before = await s3.send(new HeadObjectCommand({ Bucket: env.state.bucket, Key: key }));
    // The first apply plans a replacement, then waits at its approval prompt holding the lock.
    const { held, second, firstOutput } = await applyAgainstHeldLock({
      cwd: join(OUT, LOCK_STACK),
      env: tools,
      replace: addressIn(LOCK_STACK, "aws_cloudwatch_log_group", "cache_slow-log"),
      logs: ["lock-first.log", "lock-second.log"],
      whileHeld: () => locksOf([LOCK_STACK]),
    });
    expect(second.code).not.toBe(0);
    expect(second.output).toContain("Error acquiring the state lock");
    expect(second.output).toContain("PreconditionFailed");
    expect(second.output).toMatch(/Lock Info:[\s\S]*Operation: +OperationTypeApply/);
    expect(held).toEqual([`${key}.tflock`]);
    expect(firstOutput).toContain("Apply cancelled");
    const after = await s3.send(new HeadObjectCommand({ Bucket: env.state.bucket, Key: key }));
    expect(after.ETag).toBe(before.ETag);
    expect(await locksOf([LOCK_STACK])).toEqual([]);
  });

  main.step("a stack that fails in a multi-stack deploy leaves no other stack's lock held", async () => {
    // Another operator holds ml-platform's lock; the foundation deploys before it in the same run.
    // With S3 locking a lock is the object <state key>.tflock holding the lock info.
    const stacks = [local(FOUNDATION_STACK), LOCK_STACK];
    const foreignLock = `${stateKey(env, LOCK_MODULE)}.tflock`;
    const info = {
      ID: "e2e-foreign-lock",
      Operation: "OperationTypeApply",
      Who: "someone@elsewhere",
      Version: "1.10.6",
      Created: new Date().toISOString(),
      Path: "",
    };
    await s3.send(
      new PutObjectCommand({
        Bucket: env.state.bucket,
        Key: foreignLock,
        Body: JSON.stringify(info),
        IfNoneMatch: "*",
      }),
    );
    try {
      const deploy = await cdktf(
        ["deploy", ...stacks, "--auto-approve", "--ignore-missing-stack-dependencies"],
        "deploy-with-lock-held.log",
      );
      expect(deploy.code).not.toBe(0);
      expect(deploy.output).toContain("e2e-foreign-lock");
      // scripts/engine.sh, in front of the engine cdktf runs, leaves a lock that is not the run's own.
      expect(deploy.output).toContain(
        "[engine] the lock e2e-foreign-lock is not this run's own: the lock was taken by someone@elsewhere, not ",
      );
      expect(await locksOf(stacks)).toEqual([foreignLock]);
    } finally {
      await s3.send(new DeleteObjectCommand({ Bucket: env.state.bucket, Key: foreignLock }));
    }
    const plan = await tofu(
      local(FOUNDATION_STACK),
      ["plan", "-input=false", "-detailed-exitcode"],
      "plan-after-lock.log",
    );
    expect(plan.code).toBe(0);
  });

  main.step("a previous state version restores a damaged state (README runbook)", async () => {
    const key = stateKey(env, LOCK_MODULE);
    const address = addressIn(LOCK_STACK, "aws_cloudwatch_log_group", "cache_slow-log");
    const versions = async () =>
      ((await s3.send(new ListObjectVersionsCommand({ Bucket: env.state.bucket, Prefix: key }))).Versions ?? []).filter(
        (v) => v.Key === key,
      );
    const good = (await versions()).find((v) => v.IsLatest)!;
    // Damage: a resource dropped from state by mistake; the next plan would create it again.
    await must(tools.TERRAFORM_BINARY_NAME!, ["state", "rm", address], {
      cwd: join(OUT, LOCK_STACK),
      env: tools,
      log: "restore.log",
    });
    const damaged = await tofu(LOCK_STACK, ["plan", "-input=false", "-detailed-exitcode"], "restore.log");
    expect(damaged.code).toBe(2);
    expect((await versions()).length).toBeGreaterThan(1);
    // Runbook: fetch the last good version and push it back as the current state.
    const previous = await s3.send(
      new GetObjectCommand({ Bucket: env.state.bucket, Key: key, VersionId: good.VersionId }),
    );
    const restoredFile = join(REPO, ".e2e", "restored.tfstate");
    writeFileSync(restoredFile, await previous.Body!.transformToString());
    await must(tools.TERRAFORM_BINARY_NAME!, ["state", "push", "-force", restoredFile], {
      cwd: join(OUT, LOCK_STACK),
      env: tools,
      log: "restore.log",
    });
    const restored = await tofu(LOCK_STACK, ["plan", "-input=false", "-detailed-exitcode"], "restore.log");
    expect(restored.code).toBe(0);
  });
}

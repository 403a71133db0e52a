/** The prevent_destroy guard beside the main line, on the scratch emulator. */
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { App } from "cdktf";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { BOOTSTRAP_STACK, stackName } from "../../../core/naming";
import { BootstrapStack } from "../../../stacks/bootstrap-stack";
import { type LocalPlatform, SCRATCH_ENDPOINT } from "../local-platform";
import { REPO, must, run } from "../run";

/** A bootstrap synthesized with protected state (as outside local) refuses destroy at plan time. */
export async function guardRefusesDestroy({ env, aws, tools }: LocalPlatform): Promise<void> {
  const guarded = {
    ...env,
    name: "guard",
    endpoint: SCRATCH_ENDPOINT,
    state: {
      ...env.state,
      bucket: "acme-guard-tfstate-000000000000",
      accessLogBucket: "acme-guard-tfstate-logs-000000000000",
    },
  };
  const dir = join(REPO, ".e2e", "guard");
  rmSync(dir, { recursive: true, force: true });
  const synthGuard = (protect: boolean) => {
    const app = new App({ outdir: dir });
    new BootstrapStack(app, {
      env: { ...guarded, state: { ...guarded.state, protect } },
      localStatePath: join(dir, "guard.tfstate"),
    });
    app.synth();
    return join(dir, "stacks", stackName(guarded, BOOTSTRAP_STACK));
  };
  const stackDir = synthGuard(true);
  const guardTofu = (args: string[]) =>
    must(tools.TERRAFORM_BINARY_NAME!, args, { cwd: stackDir, env: tools, log: "guard.log" });
  await guardTofu(["init", "-input=false"]);
  await guardTofu(["apply", "-input=false", "-auto-approve"]);
  const refused = await run(tools.TERRAFORM_BINARY_NAME!, ["destroy", "-input=false", "-auto-approve"], {
    cwd: stackDir,
    env: tools,
    log: "guard.log",
  });
  expect(refused.code).not.toBe(0);
  // OpenTofu 1.10: "Instance cannot be destroyed"; 1.12 and Terraform: "Resource instance cannot be destroyed".
  expect(refused.output).toMatch(/[Ii]nstance cannot be destroyed/);
  expect(refused.output).toContain("prevent_destroy");
  const scratchS3 = new S3Client({ ...aws, endpoint: SCRATCH_ENDPOINT });
  expect((await scratchS3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name)).toContain(
    "acme-guard-tfstate-000000000000",
  );
  // Clean up the way an operator would: lift the protection in code, apply, then destroy.
  synthGuard(false);
  await guardTofu(["apply", "-input=false", "-auto-approve"]);
  await guardTofu(["destroy", "-input=false", "-auto-approve"]);
}

/**
 * Produces a real OpenTofu JSON plan against the emulator that has every kind of change the
 * summary renders: create, update, replace, destroy, a sensitive attribute and a sensitive output.
 * The unit tier keeps one such plan as __tests__/fixtures/plan.json (regenerate: `npm run e2e`,
 * then copy .e2e/plan-fixture/plan.json).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, must } from "./run";

function config(endpoint: string, step: 1 | 2): unknown {
  const queue = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    sqs_managed_sse_enabled: true,
    ...extra,
  });
  return {
    terraform: { required_providers: { aws: { source: "hashicorp/aws" } } },
    provider: {
      aws: {
        region: "us-east-1",
        access_key: "test",
        secret_key: "test",
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: "true",
        s3_use_path_style: true,
        endpoints: { s3: endpoint, sqs: endpoint, ssm: endpoint, sts: endpoint },
      },
    },
    resource: {
      aws_sqs_queue: {
        updated: queue("fx-updated", { visibility_timeout_seconds: step === 1 ? 30 : 60 }),
        ...(step === 1 ? { destroyed: queue("fx-destroyed") } : { created: queue("fx-created") }),
      },
      aws_s3_bucket: { replaced: { bucket: step === 1 ? "fx-replaced-a" : "fx-replaced-b", force_destroy: true } },
      // Fixture values only: they exist to prove the summary never prints what the plan marks sensitive.
      aws_ssm_parameter: {
        token: {
          name: "/fx/token",
          type: "SecureString",
          value: step === 1 ? "fixture-sensitive-one" : "fixture-sensitive-two",
        },
      },
    },
    output: {
      token: { value: "${aws_ssm_parameter.token.value}", sensitive: true },
      queue_url: { value: step === 1 ? "${aws_sqs_queue.destroyed.url}" : "${aws_sqs_queue.created.url}" },
    },
  };
}

/** Applies step 1, plans step 2, returns `show -json` of that plan; destroys afterwards. */
export async function planFixture(tools: NodeJS.ProcessEnv, endpoint: string): Promise<string> {
  const dir = join(REPO, ".e2e", "plan-fixture");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tofu = (args: string[]) =>
    must(tools.TERRAFORM_BINARY_NAME!, args, { cwd: dir, env: tools, log: "plan-fixture.log" });
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config(endpoint, 1), null, 2));
  await tofu(["init", "-input=false"]);
  await tofu(["apply", "-input=false", "-auto-approve"]);
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config(endpoint, 2), null, 2));
  await tofu(["plan", "-input=false", "-out=step2.tfplan"]);
  // stdout alone: the log stream mixes in stderr.
  await must("bash", ["-c", '"$TERRAFORM_BINARY_NAME" show -json step2.tfplan > plan.json'], {
    cwd: dir,
    env: tools,
    log: "plan-fixture.log",
  });
  const json = readFileSync(join(dir, "plan.json"), "utf8");
  await tofu(["destroy", "-input=false", "-auto-approve"]);
  return json;
}

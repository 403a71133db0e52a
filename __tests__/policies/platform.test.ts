import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Testing } from "cdktf";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildPlatform, planPlatform } from "../../app";
import { loadEnvironments } from "../../environments";
import { MODULE_NAMES, MODULES, platformInputs } from "../../packages";
import { PolicyViolationError } from "../../policies/pack";
import { platform, stacksOf } from "../helpers";
import { synthProcess } from "../synth-process";
import { line } from "./check";

function synthError(synth: () => void): PolicyViolationError | undefined {
  try {
    synth();
    return undefined;
  } catch (e) {
    if (e instanceof PolicyViolationError) return e;
    throw e;
  }
}

describe("the policy pack on the real platform", () => {
  test("every stack passes with no unused suppression; a violation added to each is reported, all in one error", () => {
    const { app } = platform();
    const stacks = stacksOf(app);
    expect(stacks.size).toBe(4 * (2 + MODULE_NAMES.length));
    expect(synthError(() => app.synth())?.message).toBeUndefined();

    for (const stack of stacks.values()) new CloudwatchLogGroup(stack, "probe", { name: "/probe" });
    const error = synthError(() => app.synth());
    expect(error?.violations.map(line).sort()).toEqual(
      [...stacks.keys()].map((name) => `ACME-LOG-1 ${name}/probe: log group has no kms_key_id`).sort(),
    );
  });

  test("a partial build (one environment, or a stack selection) does not call the other environments' suppressions unused", () => {
    const dev = planPlatform(loadEnvironments(platformInputs({}), "dev"), MODULES);
    const devApp = Testing.app();
    buildPlatform(devApp, dev);
    expect(synthError(() => devApp.synth())).toBeUndefined();

    const all = planPlatform(loadEnvironments(platformInputs({}), undefined), MODULES);
    const oneStack = Testing.app();
    buildPlatform(oneStack, all, { stacks: new Set(["prod-bootstrap"]) });
    expect(synthError(() => oneStack.synth())).toBeUndefined();
  });
});

describe("synth as a process", () => {
  test("a violation exits 1 with rule, path, problem and fix on stderr, and neither the stack nor the manifest is written", () => {
    const outdir = join(mkdtempSync(join(tmpdir(), "synth-")), "out");
    const result = synthProcess(outdir, { PLATFORM_STACKS: "dev-order-tracking" }, [
      "./__tests__/policies/fixtures/open-ssh.ts",
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "synth stopped by the policy pack:\n" +
        "1 policy violation in 1 stack; fix each resource, or suppress it with a reason in policies/suppressions.ts:\n" +
        "[ACME-SG-1] dev-order-tracking/ssh\n" +
        "    ingress rule allows tcp 22 from 0.0.0.0/0\n" +
        "    fix: Allow the port from a security group",
    );
    expect(existsSync(join(outdir, "stacks", "dev-order-tracking", "cdk.tf.json"))).toBe(false);
    expect(existsSync(join(outdir, "manifest.json"))).toBe(false);
  });
});

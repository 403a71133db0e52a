import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planPlatform } from "../app";
import { ConfigError, loadEnvironments } from "../environments";
import { MODULES, platformInputs } from "../packages";
import { inDependencyOrder } from "../scripts/lib/stack-runs";
import { stackOrder, stacksAtOnce } from "../scripts/run-stacks";
import { CDKTF_TS, stacksOfEnvironment, thrownMessage } from "./helpers";

const plans = planPlatform(loadEnvironments(platformInputs({}), "dev"), MODULES);
const DEV_MODULES = stacksOfEnvironment("dev", "modules");

describe("several stacks, one cdktf process each (scripts/run-stacks.ts)", () => {
  test("without --auto-approve the stacks ask for approval one at a time, whatever the parallelism", () => {
    expect(stacksAtOnce({ parallelism: 4, passThrough: ["--auto-approve"] })).toBe(4);
    expect(stacksAtOnce({ parallelism: 4, passThrough: ["--var", "x=1"] })).toBe(1);
  });

  test("deploy waits for the layers below, destroy for the layers above, within an environment", () => {
    const deploy = stackOrder(plans, { command: "deploy", selection: ["dev-*"], ignoreMissing: false });
    expect(deploy.after.get("dev-bootstrap")).toEqual([]);
    expect(deploy.after.get("dev-foundation")).toEqual(["dev-bootstrap"]);
    expect(deploy.after.get("dev-ml-platform")).toEqual(["dev-bootstrap", "dev-foundation"]);
    const destroy = stackOrder(plans, { command: "destroy", selection: ["dev-*"], ignoreMissing: false });
    expect(destroy.after.get("dev-file-processing")).toEqual([]);
    expect(destroy.after.get("dev-foundation")).toEqual(DEV_MODULES);
    expect(destroy.after.get("dev-bootstrap")).toEqual([...DEV_MODULES, "dev-foundation"]);
  });

  test("a selection without a stack it needs is refused, naming it, unless told to ignore it", () => {
    expect(
      thrownMessage(
        () =>
          stackOrder(plans, {
            command: "deploy",
            selection: ["dev-file-processing", "dev-data-pipeline"],
            ignoreMissing: false,
          }),
        ConfigError,
      ),
    ).toBe(
      "deploy of dev-file-processing, dev-data-pipeline: the stacks they depend on are not selected: dev-foundation; add them, or add --ignore-missing-stack-dependencies",
    );
    expect(
      thrownMessage(
        () =>
          stackOrder(plans, {
            command: "destroy",
            selection: ["dev-foundation", "dev-ml-platform"],
            ignoreMissing: false,
          }),
        ConfigError,
      ),
    ).toBe(
      `destroy of dev-foundation, dev-ml-platform: the stacks that depend on them are not selected: ${DEV_MODULES.filter((s) => s !== "dev-ml-platform").join(", ")}; add them, or add --ignore-missing-stack-dependencies`,
    );
    const modules = stackOrder(plans, {
      command: "deploy",
      selection: ["dev-file-processing", "dev-data-pipeline"],
      ignoreMissing: true,
    });
    expect(modules.stacks).toEqual(["dev-file-processing", "dev-data-pipeline"]);
    expect(modules.after.get("dev-data-pipeline")).toEqual([]);
  });

  describe("inDependencyOrder", () => {
    const tick = () => new Promise((r) => setTimeout(r, 5));

    test("runs independent items at once up to the parallelism, dependants after what they need", async () => {
      let running = 0;
      let most = 0;
      const order: string[] = [];
      const after = (i: string) => (i === "top" ? ["a", "b", "c"] : []);
      const outcome = await inDependencyOrder(["a", "b", "c", "top"], after, 2, async (i) => {
        running++;
        most = Math.max(most, running);
        await tick();
        order.push(i);
        running--;
        return true;
      });
      expect(most).toBe(2);
      expect(order[3]).toBe("top");
      expect([...outcome.values()]).toEqual(["done", "done", "done", "done"]);
    });

    test("after a failure nothing new starts, what runs finishes, the rest is reported not started", async () => {
      const finished: string[] = [];
      const outcome = await inDependencyOrder(
        ["slow", "bad", "later", "top"],
        (i) => (i === "top" ? ["slow"] : []),
        2,
        async (i) => {
          await new Promise((r) => setTimeout(r, i === "slow" ? 30 : 1));
          finished.push(i);
          return i !== "bad";
        },
      );
      expect(finished).toEqual(["bad", "slow"]);
      expect(Object.fromEntries(outcome)).toEqual({
        slow: "done",
        bad: "failed",
        later: "not started",
        top: "not started",
      });
    });
  });

  describe("through scripts/cdktf.ts", () => {
    // Stands in for cdktf: prints one line of its arguments; fails for the stack named in FAIL_STACK.
    const fake = join(mkdtempSync(join(tmpdir(), "fake-cdktf-")), "cdktf");
    writeFileSync(fake, '#!/usr/bin/env bash\necho "cdktf $*"\n[[ "$2" != "${FAIL_STACK:-}" ]]\n', { mode: 0o755 });
    const wrapper = (args: string[], env: NodeJS.ProcessEnv = {}) => {
      const out = mkdtempSync(join(tmpdir(), "run-stacks-out-"));
      const result = spawnSync(process.execPath, [...CDKTF_TS, ...args, "--output", out], {
        env: {
          ...process.env,
          PLATFORM_CDKTF_BIN: fake,
          TERRAFORM_BINARY_NAME: "tofu",
          TF_CLI_CONFIG_FILE: "",
          PLATFORM_LOCKING_PREFLIGHT: "0",
          PLATFORM_STACKS: "",
          ...env,
        },
        encoding: "utf8",
      });
      return { ...result, out, calls: result.stdout.split("\n").filter((l) => l.startsWith("cdktf ")) };
    };

    test("synthesizes the selection once, then runs each stack by itself with --skip-synth, in layer order", () => {
      const run = wrapper(["deploy", "dev-foundation", "dev-bootstrap", "--auto-approve", "--parallelism", "1"]);
      expect(run.status).toBe(0);
      expect(run.calls).toEqual(
        ["dev-bootstrap", "dev-foundation"].map(
          (s) =>
            `cdktf deploy ${s} --skip-synth --output ${run.out} --auto-approve --ignore-missing-stack-dependencies --parallelism 1 --migrate-state`,
        ),
      );
      expect(existsSync(join(run.out, "stacks", "dev-foundation", "cdk.tf.json"))).toBe(true);
      expect(existsSync(join(run.out, "stacks", "dev-file-processing"))).toBe(false);
      expect(run.stdout).toContain("  dev-foundation: done");
    });

    test("a failed stack fails the command; the stacks after it are not started", () => {
      const run = wrapper(["deploy", "dev-foundation", "dev-bootstrap", "--parallelism", "2"], {
        FAIL_STACK: "dev-bootstrap",
      });
      expect(run.status).toBe(1);
      expect(run.calls).toHaveLength(1);
      expect(run.stdout).toContain("  dev-bootstrap: failed");
      expect(run.stdout).toContain("  dev-foundation: not started");
    });

    test("--parallelism and --outputs-file are checked before anything runs", () => {
      const zero = wrapper(["deploy", "dev-a", "dev-b", "--parallelism", "0"]);
      expect([zero.status, zero.calls]).toEqual([64, []]);
      expect(zero.stderr).toBe(
        "--parallelism takes a whole number from 1, not 0\nusage: npm run deploy|destroy|diff -- <stack or glob...> [cdktf flags]\n",
      );
      const outputs = wrapper(["deploy", "dev-*", "--outputs-file", "o.json"]);
      expect([outputs.status, outputs.calls]).toEqual([1, []]);
      expect(outputs.stderr).toMatch(
        /^--outputs-file with several stacks: each stack runs in its own cdktf process; name one stack per command/,
      );
    });

    test("a selection without what it needs stops before anything runs", () => {
      const run = wrapper(["destroy", "dev-foundation", "dev-file-processing"]);
      expect(run.status).toBe(1);
      expect(run.calls).toEqual([]);
      expect(run.stderr).toContain("the stacks that depend on them are not selected: dev-data-pipeline");
    });
  });
});

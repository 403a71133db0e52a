import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { cdktfArgv, flagValue, parseCdktfArgs, runsSeveral, selectionEnv, withoutFlag } from "../scripts/cdktf";
import { UsageError } from "../scripts/lib/cli";
import { CDKTF_TS, thrownMessage } from "./helpers";

// Stands in for cdktf and prints the arguments it was given, one per line.
const fake = join(mkdtempSync(join(tmpdir(), "fake-cdktf-")), "cdktf");
writeFileSync(fake, '#!/usr/bin/env bash\nprintf "%s\\n" "$@"\n', { mode: 0o755 });

/**
 * What scripts/cdktf.ts hands to cdktf, as a process: a Terraform binary is given, so the toolchain
 * is left alone. Only the wiring is checked this way; the arguments themselves below, with cdktfArgv.
 */
function throughProcess(args: string[], cliConfig = ""): string[] {
  const out = execFileSync(process.execPath, [...CDKTF_TS, ...args], {
    env: {
      ...process.env,
      PLATFORM_CDKTF_BIN: fake,
      TERRAFORM_BINARY_NAME: "tofu",
      TF_CLI_CONFIG_FILE: cliConfig,
      PLATFORM_LOCKING_PREFLIGHT: "0",
    },
    encoding: "utf8",
  });
  return out.trim().split("\n");
}

const IGNORE = "--ignore-missing-stack-dependencies";
// A working directory from before a locking change re-initializes without a prompt.
const MIGRATE = "--migrate-state";

/** The arguments cdktf gets for a command line (scripts/cdktf.ts cdktfArgv). */
const wrapper = (args: string[], cliConfig = "") => cdktfArgv(parseCdktfArgs(args), cliConfig || undefined);

/** The stacks the app is told to synthesize, and the closure: `PLATFORM_STACKS|PLATFORM_STACKS_CLOSURE`. */
const selection = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const set = selectionEnv(parseCdktfArgs(args), env);
  return `${set.PLATFORM_STACKS ?? env.PLATFORM_STACKS ?? ""}|${set.PLATFORM_STACKS_CLOSURE ?? ""}`;
};

// Stands in for cdktf and prints which stacks the app would synthesize.
const selectionFake = join(mkdtempSync(join(tmpdir(), "fake-cdktf-")), "cdktf");
writeFileSync(selectionFake, '#!/usr/bin/env bash\necho "${PLATFORM_STACKS-}|${PLATFORM_STACKS_CLOSURE-}"\n', {
  mode: 0o755,
});
const selectionThroughProcess = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  execFileSync(process.execPath, [...CDKTF_TS, ...args], {
    env: {
      ...process.env,
      PLATFORM_STACKS: "",
      PLATFORM_STACKS_CLOSURE: "",
      PLATFORM_CDKTF_BIN: selectionFake,
      TERRAFORM_BINARY_NAME: "tofu",
      PLATFORM_LOCKING_PREFLIGHT: "0",
      ...env,
    },
    encoding: "utf8",
  }).trim();

describe("scripts/cdktf.ts", () => {
  test("as a process: cdktf gets exactly those arguments, and the app the stacks to synthesize", () => {
    expect(throughProcess(["deploy", "dev-foundation", "--var", "x=1"], "/x/tofu.rc")).toEqual(
      wrapper(["deploy", "dev-foundation", "--var", "x=1"], "/x/tofu.rc"),
    );
    expect(throughProcess(["destroy", "dev-foundation", "--parallelism=4"])).toEqual(
      wrapper(["destroy", "dev-foundation", "--parallelism=4"]),
    );
    expect(selectionThroughProcess(["diff", "dev-foundation"])).toBe("dev-foundation|dependencies");
    expect(selectionThroughProcess(["deploy", "dev-a"], { PLATFORM_STACKS: "dev-*" })).toBe("dev-*|");
  });

  test("one stack by name deploys without its lower layers in the same run", () => {
    expect(wrapper(["deploy", "dev-foundation"])).toEqual([
      "deploy",
      "dev-foundation",
      IGNORE,
      "--parallelism",
      "1",
      MIGRATE,
    ]);
    expect(wrapper(["deploy", "dev-a", "--var", "x=1", "--parallelism", "3"])).toEqual([
      "deploy",
      "dev-a",
      "--var",
      "x=1",
      IGNORE,
      "--parallelism",
      "1",
      MIGRATE,
    ]);
  });

  test("a destroy of one stack runs it alone, whatever parallelism was asked for", () => {
    expect(wrapper(["destroy", "dev-foundation", "--auto-approve", "--parallelism", "2"])).toEqual([
      "destroy",
      "dev-foundation",
      "--auto-approve",
      IGNORE,
      "--parallelism",
      "1",
      MIGRATE,
    ]);
    expect(wrapper(["destroy", "dev-a", IGNORE, "--parallelism=4"])).toEqual([
      "destroy",
      "dev-a",
      IGNORE,
      "--parallelism",
      "1",
      MIGRATE,
    ]);
  });

  // Several stacks or a glob: __tests__/run-stacks.test.ts.

  test("the offline toolchain's CLI config skips the registry lock", () => {
    expect(wrapper(["diff", "dev-a"], "/x/tofu.rc")).toEqual(["diff", "dev-a", "--skip-provider-lock", MIGRATE]);
    expect(wrapper(["diff", "dev-a"])).toEqual(["diff", "dev-a", MIGRATE]);
    expect(wrapper(["diff", "dev-a", MIGRATE])).toEqual(["diff", "dev-a", MIGRATE]);
  });

  test("the app synthesizes only the stack named, plus what cdktf checks a diff's order against", () => {
    expect(selection(["deploy", "dev-file-processing", "--auto-approve"])).toBe("dev-file-processing|");
    expect(selection(["destroy", "dev-a"])).toBe("dev-a|");
    expect(selection(["diff", "dev-foundation"])).toBe("dev-foundation|dependencies");
    expect(selection(["deploy", "dev-a"], { PLATFORM_STACKS: "dev-*" })).toBe("dev-*|");
  });

  describe("engine and locking preflight", () => {
    // Engines that print a version line; the fake cdktf would print its arguments if it ran.
    const fakeEngine = (line: string) => {
      const file = join(mkdtempSync(join(tmpdir(), "fake-engine-")), "terraform");
      writeFileSync(file, `#!/usr/bin/env bash\necho "${line}"\necho "on linux_amd64"\n`, { mode: 0o755 });
      return file;
    };
    const oldEngine = fakeEngine("Terraform v1.9.8");
    const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      spawnSync(process.execPath, [...CDKTF_TS, ...args], {
        env: {
          ...process.env,
          PLATFORM_CDKTF_BIN: fake,
          TERRAFORM_BINARY_NAME: oldEngine,
          PLATFORM_LOCKING_PREFLIGHT: "",
          PLATFORM_LOCAL_LOCKING: "",
          ...env,
        },
        encoding: "utf8",
      });

    test("an engine older than the stacks need stops before cdktf runs, naming it, its version and the one needed", () => {
      for (const [engine, said] of [
        [oldEngine, "Terraform 1.9.8 ("],
        // S3 lock objects came in 1.10, ephemeral resources in OpenTofu 1.11.
        [fakeEngine("OpenTofu v1.10.6"), "OpenTofu 1.10.6 ("],
      ]) {
        // Whatever the locking mode: one engine with the default, the other with a lock table.
        {
          const locking = engine === oldEngine ? "" : "dynamodb";
          const result = run(["deploy", "dev-*", "staging-foundation"], {
            TERRAFORM_BINARY_NAME: engine,
            PLATFORM_LOCAL_LOCKING: locking,
          });
          expect(result.status).toBe(1);
          expect(result.stdout).toBe("");
          expect(result.stderr).toContain(said);
          expect(result.stderr).toContain("which need OpenTofu or Terraform 1.11 or later");
        }
      }
    });

    test("the engine checked is the one the command runs: tofu found on PATH, not a TERRAFORM_BINARY_NAME of the caller's", () => {
      const bin = mkdtempSync(join(tmpdir(), "fake-path-"));
      writeFileSync(join(bin, "tofu"), '#!/usr/bin/env bash\necho "OpenTofu v1.10.6"\n', { mode: 0o755 });
      const env: NodeJS.ProcessEnv = { ...process.env, PLATFORM_LOCAL_LOCKING: "dynamodb" };
      delete env.TERRAFORM_BINARY_NAME;
      const result = spawnSync(process.execPath, [...CDKTF_TS, "deploy", "local-foundation"], {
        env: {
          ...env,
          PATH: `${bin}:/usr/bin:/bin`,
          PLATFORM_TOOLCHAIN_DIR: mkdtempSync(join(tmpdir(), "no-toolchain-")),
          PLATFORM_CDKTF_BIN: fake,
          PLATFORM_LOCKING_PREFLIGHT: "",
        },
        encoding: "utf8",
      });
      expect(result.status).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("OpenTofu 1.10.6 (tofu) is older than the stacks need");
    });

    test("a current engine passes: cdktf runs", () => {
      for (const line of ["OpenTofu v1.11.0", "Terraform v1.16.4"]) {
        const result = run(["deploy", "local-foundation"], {
          TERRAFORM_BINARY_NAME: fakeEngine(line),
          PLATFORM_LOCAL_LOCKING: "dynamodb",
        });
        expect(result.status).toBe(0);
        expect(result.stdout.split("\n")).toContain("local-foundation");
      }
    });

    test("a name that is no environment is left to the synth, which lists the valid stacks", () => {
      const result = run(["deploy", "prdo-foundation"]);
      expect(result.status).toBe(0);
      expect(result.stdout.split("\n")).toContain("prdo-foundation");
    });
  });
});

describe("the command line, read once (scripts/cdktf.ts)", () => {
  test("stacks are the words that are neither a flag nor the value of one", () => {
    expect(parseCdktfArgs(["deploy", "dev-*", "--var", "x=1", "--output", "out", "--auto-approve", "prod-a"])).toEqual({
      command: "deploy",
      stacks: ["dev-*", "prod-a"],
      flags: ["--var", "x=1", "--output", "out", "--auto-approve"],
    });
    expect(parseCdktfArgs(["diff", "-o", "x", "dev-a", "--parallelism=2"])).toEqual({
      command: "diff",
      stacks: ["dev-a"],
      flags: ["-o", "x", "--parallelism=2"],
    });
  });

  test("flag values in either spelling, and a flag taken out with its value", () => {
    expect(flagValue(["--output", "a", "--output=b"], "--output", "-o")).toBe("b");
    expect(flagValue(["-o", "c"], "--output", "-o")).toBe("c");
    expect(flagValue(["--auto-approve"], "--parallelism")).toBeUndefined();
    expect(withoutFlag(["--parallelism", "3", "--var", "x=1", "--parallelism=4"], "--parallelism")).toEqual([
      "--var",
      "x=1",
    ]);
  });

  test("several stacks or a glob run one cdktf process per stack; one stack runs as it is", () => {
    expect(runsSeveral(parseCdktfArgs(["deploy", "dev-*"]))).toBe(true);
    expect(runsSeveral(parseCdktfArgs(["destroy", "dev-a", "dev-b"]))).toBe(true);
    expect(runsSeveral(parseCdktfArgs(["deploy", "dev-a"]))).toBe(false);
    expect(runsSeveral(parseCdktfArgs(["diff", "dev-*"]))).toBe(false);
  });

  test.each([
    [[], "name a command"],
    [["plan", "dev-a"], 'unknown command "plan"'],
    [["deploy", "dev-a", "--var"], "--var needs a value"],
  ])("refuses %j", (argv, message) => {
    expect(thrownMessage(() => parseCdktfArgs(argv), UsageError)).toBe(
      `${message}\nusage: npm run deploy|destroy|diff -- <stack or glob...> [cdktf flags]`,
    );
  });
});

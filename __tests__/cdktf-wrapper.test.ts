import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const repo = join(__dirname, "..");
// Stands in for cdktf and prints the arguments it was given, one per line.
const fake = join(mkdtempSync(join(tmpdir(), "fake-cdktf-")), "cdktf");
writeFileSync(fake, '#!/usr/bin/env bash\nprintf "%s\\n" "$@"\n', { mode: 0o755 });

/** What scripts/cdktf.sh hands to cdktf; a Terraform binary is given, so the toolchain is left alone. */
function wrapper(args: string[], cliConfig = ""): string[] {
  const out = execFileSync("bash", [join(repo, "scripts", "cdktf.sh"), ...args], {
    env: { ...process.env, PLATFORM_CDKTF_BIN: fake, TERRAFORM_BINARY_NAME: "tofu", TF_CLI_CONFIG_FILE: cliConfig },
    encoding: "utf8",
  });
  return out.trim().split("\n");
}

const IGNORE = "--ignore-missing-stack-dependencies";

// Stands in for cdktf and prints which stacks the app would synthesize.
const selectionFake = join(mkdtempSync(join(tmpdir(), "fake-cdktf-")), "cdktf");
writeFileSync(selectionFake, '#!/usr/bin/env bash\necho "${PLATFORM_STACKS-}|${PLATFORM_STACKS_CLOSURE-}"\n', { mode: 0o755 });
const selection = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  execFileSync("bash", [join(repo, "scripts", "cdktf.sh"), ...args], {
    env: { ...process.env, PLATFORM_STACKS: "", PLATFORM_STACKS_CLOSURE: "", PLATFORM_CDKTF_BIN: selectionFake, TERRAFORM_BINARY_NAME: "tofu", ...env },
    encoding: "utf8",
  }).trim();

describe("scripts/cdktf.sh", () => {
  test("one stack by name deploys without its lower layers in the same run", () => {
    expect(wrapper(["deploy", "dev-foundation"])).toEqual(["deploy", "dev-foundation", IGNORE]);
    expect(wrapper(["deploy", "dev-a", "--var", "x=1", "--parallelism", "3"])).toEqual(["deploy", "dev-a", "--var", "x=1", "--parallelism", "3", IGNORE]);
  });

  test("several stacks or a glob keep cdktf's dependency order and checks", () => {
    expect(wrapper(["deploy", "dev-a", "dev-b", "--parallelism", "2"])).toEqual(["deploy", "dev-a", "dev-b", "--parallelism", "2"]);
    expect(wrapper(["deploy", "dev-*"])).toEqual(["deploy", "dev-*"]);
    expect(wrapper(["destroy", "dev-a", "dev-b", "--parallelism", "2"])).toEqual(["destroy", "dev-a", "dev-b", "--parallelism", "2"]);
  });

  test("a destroy that ignores dependencies runs one stack at a time, whatever parallelism was asked for", () => {
    expect(wrapper(["destroy", "dev-foundation", "--auto-approve", "--parallelism", "2"])).toEqual([
      "destroy",
      "dev-foundation",
      "--auto-approve",
      IGNORE,
      "--parallelism",
      "1",
    ]);
    expect(wrapper(["destroy", "dev-a", "dev-b", IGNORE, "--parallelism=4"])).toEqual(["destroy", "dev-a", "dev-b", IGNORE, "--parallelism", "1"]);
  });

  test("the offline toolchain's CLI config skips the registry lock", () => {
    expect(wrapper(["diff", "dev-a"], "/x/tofu.rc")).toEqual(["diff", "dev-a", "--skip-provider-lock"]);
    expect(wrapper(["diff", "dev-a"])).toEqual(["diff", "dev-a"]);
  });

  test("the app synthesizes only the stacks named, plus what cdktf checks the order against", () => {
    expect(selection(["deploy", "dev-file-processing", "--auto-approve"])).toBe("dev-file-processing|");
    expect(selection(["deploy", "dev-a", "dev-b", IGNORE, "--parallelism", "2"])).toBe("dev-a,dev-b|");
    expect(selection(["deploy", "dev-*"])).toBe("dev-*|dependencies");
    expect(selection(["diff", "dev-foundation"])).toBe("dev-foundation|dependencies");
    expect(selection(["destroy", "dev-a", "dev-b"])).toBe("dev-a,dev-b|dependants");
    expect(selection(["deploy", "dev-a"], { PLATFORM_STACKS: "dev-*" })).toBe("dev-*|");
  });
});

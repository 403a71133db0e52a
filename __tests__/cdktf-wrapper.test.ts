import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const repo = join(__dirname, "..");
// Stands in for cdktf and prints the arguments it was given, one per line.
const fake = join(mkdtempSync(join(tmpdir(), "fake-cdktf-")), "cdktf");
writeFileSync(fake, '#!/usr/bin/env bash\nprintf "%s\\n" "$@"\n', { mode: 0o755 });

function wrapper(...args: string[]): string[] {
  const out = execFileSync("bash", [join(repo, "scripts", "cdktf.sh"), ...args], {
    // A Terraform binary chosen by the caller: the wrapper then leaves the toolchain alone.
    env: { ...process.env, PLATFORM_CDKTF_BIN: fake, TERRAFORM_BINARY_NAME: "tofu", TF_CLI_CONFIG_FILE: "" },
    encoding: "utf8",
  });
  return out.trim().split("\n");
}

describe("scripts/cdktf.sh", () => {
  test("deploy keeps the caller's parallelism and may deploy one layer alone", () => {
    expect(wrapper("deploy", "dev-a", "dev-b", "--parallelism", "2")).toEqual(["deploy", "dev-a", "dev-b", "--parallelism", "2", "--ignore-missing-stack-dependencies"]);
  });

  test("destroy runs one stack at a time, whatever parallelism was asked for", () => {
    expect(wrapper("destroy", "dev-a", "dev-b", "--auto-approve", "--parallelism", "2")).toEqual([
      "destroy",
      "dev-a",
      "dev-b",
      "--auto-approve",
      "--parallelism",
      "1",
      "--ignore-missing-stack-dependencies",
    ]);
    expect(wrapper("destroy", "dev-a", "--parallelism=4")).toEqual(["destroy", "dev-a", "--parallelism", "1", "--ignore-missing-stack-dependencies"]);
  });

  test("the offline toolchain's CLI config skips the registry lock", () => {
    const out = execFileSync("bash", [join(repo, "scripts", "cdktf.sh"), "diff", "dev-a"], {
      env: { ...process.env, PLATFORM_CDKTF_BIN: fake, TERRAFORM_BINARY_NAME: "tofu", TF_CLI_CONFIG_FILE: "/x/tofu.rc" },
      encoding: "utf8",
    });
    expect(out.trim().split("\n")).toEqual(["diff", "dev-a", "--skip-provider-lock"]);
  });
});

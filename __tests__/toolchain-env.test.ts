import { parseToolchainEnv, toolchainEnv } from "../scripts/lib/toolchain-env";

describe("the toolchain environment the e2e and the bench run with", () => {
  test("every line of local/toolchain.sh --env is kept, quoted or not", () => {
    const env = toolchainEnv();
    // Without CHECKPOINT_DISABLE, cdktf and Terraform call HashiCorp's version service, offline too.
    expect(env.CHECKPOINT_DISABLE).toBe("1");
    expect(env.PATH).toMatch(/\/bin:.*\/venv\/bin:/);
    expect(env.PATH!.endsWith(`/venv/bin:${process.env.PATH}`)).toBe(true);
    expect(Object.keys(env).sort()).toEqual([
      "CHECKPOINT_DISABLE",
      "PATH",
      "PLATFORM_TOOLCHAIN_DIR",
      "TERRAFORM_BINARY_NAME",
      "TF_CLI_CONFIG_FILE",
      "TF_CMD",
    ]);
  });

  test("a line of another shape is an error naming it, not a variable dropped", () => {
    expect(() => parseToolchainEnv('export A="1"\necho hello\n', "")).toThrow(
      "local/toolchain.sh --env printed a line that is not export NAME=value: echo hello",
    );
  });
});

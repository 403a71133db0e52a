import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { cacheDirs } from "../../core/cache";
import { ConfigError } from "../../core/errors";
import { ENGINE_GUARD } from "./engine";

/** The toolchain environment (engine, CLI config, tflocal) as `local/toolchain.sh --env` prints it. */
export function toolchainEnv(): NodeJS.ProcessEnv {
  const result = spawnSync("bash", [join(__dirname, "..", "..", "local", "toolchain.sh"), "--env"], {
    encoding: "utf8",
  });
  if (result.status !== 0)
    throw new Error(`local/toolchain.sh --env failed (run npm run toolchain first): ${result.stderr}`);
  return parseToolchainEnv(result.stdout, process.env.PATH ?? "");
}

/**
 * The variables of `export NAME="value"` and `export NAME=value` lines; `$PATH` in a value is the
 * caller's PATH. A line of any other shape is an error, so no variable is dropped unnoticed.
 */
export function parseToolchainEnv(text: string, path: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const line of text.split("\n").filter((l) => l.trim() !== "")) {
    const m = /^export ([A-Z_][A-Z0-9_]*)=(?:"([^"]*)"|([^\s"'$]*))$/.exec(line);
    if (!m) throw new Error(`local/toolchain.sh --env printed a line that is not export NAME=value: ${line}`);
    env[m[1]] = (m[2] ?? m[3]).replace("$PATH", path);
  }
  return env;
}

function onPath(name: string, path: string): boolean {
  return path.split(delimiter).some((dir) => dir !== "" && isExecutable(join(dir, name)));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The environment the project's commands run the engine with (what scripts/toolchain-env.sh does for
 * the shell scripts): the offline toolchain unless the caller chose a Terraform binary or has tofu or
 * terraform on PATH, and every engine run through scripts/engine.sh (ENGINE_GUARD), which releases a
 * state lock the run collided with itself on.
 */
export function projectToolchain(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  if (!out.TERRAFORM_BINARY_NAME) {
    if (isExecutable(join(cacheDirs(env).toolchain, "bin", "tofu"))) Object.assign(out, toolchainEnv());
    else if (onPath("tofu", env.PATH ?? "")) out.TERRAFORM_BINARY_NAME = "tofu";
    else if (onPath("terraform", env.PATH ?? "")) out.TERRAFORM_BINARY_NAME = "terraform";
    else
      throw new ConfigError(
        "no Terraform binary: run local/toolchain.sh (builds OpenTofu offline) or install tofu/terraform",
      );
  }
  if (out.TERRAFORM_BINARY_NAME !== ENGINE_GUARD) {
    out.PLATFORM_ENGINE = out.TERRAFORM_BINARY_NAME;
    out.TERRAFORM_BINARY_NAME = ENGINE_GUARD;
  }
  out.CHECKPOINT_DISABLE = "1";
  out.CDKTF_DISABLE_PLUGIN_CACHE_ENV = "1";
  return out;
}

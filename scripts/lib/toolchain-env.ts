import { spawnSync } from "node:child_process";
import { join } from "node:path";

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

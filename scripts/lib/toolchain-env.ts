import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** The toolchain environment (engine, CLI config, tflocal) as `local/toolchain.sh --env` prints it. */
export function toolchainEnv(): NodeJS.ProcessEnv {
  const result = spawnSync("bash", [join(__dirname, "..", "..", "local", "toolchain.sh"), "--env"], {
    encoding: "utf8",
  });
  if (result.status !== 0)
    throw new Error(`local/toolchain.sh --env failed (run npm run toolchain first): ${result.stderr}`);
  const env: NodeJS.ProcessEnv = {};
  for (const line of result.stdout.split("\n")) {
    const m = /^export ([A-Z_]+)="(.*)"$/.exec(line);
    if (m) env[m[1]] = m[2].replace("$PATH", process.env.PATH ?? "");
  }
  return env;
}

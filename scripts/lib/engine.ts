import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { ENGINE_SINCE } from "../../core/engine";
import type { Environment } from "../../environments";

/** The engine behind TERRAFORM_BINARY_NAME: OpenTofu or HashiCorp Terraform, and its version. */
export interface Engine {
  readonly binary: string;
  readonly name: "OpenTofu" | "Terraform";
  readonly version: string;
}

/** Reads the first line of `<binary> version`: "OpenTofu v1.12.6" or "Terraform v1.11.4". */
export function parseEngine(binary: string, versionOutput: string): Engine {
  const match = /^(OpenTofu|Terraform) v(\d+\.\d+\.\d+\S*)/m.exec(versionOutput);
  if (!match)
    throw new Error(
      `${binary} version printed neither "OpenTofu v..." nor "Terraform v...": ${versionOutput.split("\n")[0]}`,
    );
  return { binary, name: match[1] as Engine["name"], version: match[2] };
}

/** scripts/engine.sh: the engine, with a state lock the run collided with itself on released. */
export const ENGINE_GUARD = resolve(__dirname, "..", "engine.sh");

/** How to start `binary` through scripts/engine.sh (once: a binary that is the guard runs as is). */
export function guarded(binary: string): { command: string; env: NodeJS.ProcessEnv } {
  if (resolve(binary) === ENGINE_GUARD) return { command: binary, env: process.env };
  return { command: ENGINE_GUARD, env: { ...process.env, PLATFORM_ENGINE: binary } };
}

export function engineOf(binary = process.env.TERRAFORM_BINARY_NAME || "terraform"): Engine {
  // scripts/engine.sh runs the engine PLATFORM_ENGINE names: that one is reported.
  if (resolve(binary) === ENGINE_GUARD && process.env.PLATFORM_ENGINE) binary = process.env.PLATFORM_ENGINE;
  const result = spawnSync(binary, ["version"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  if (result.error || result.status !== 0)
    throw new Error(`cannot run ${binary} version: ${result.error?.message ?? result.stderr}`);
  return parseEngine(binary, result.stdout);
}

/** Whether a version (`1.12.6`, `v22.19.0`) is `major.minor` or later. */
export function atLeast(version: string, [major, minor]: readonly [number, number]): boolean {
  const [a, b] = version
    .replace(/^v/, "")
    .split(".")
    .map((n) => parseInt(n, 10));
  return a > major || (a === major && b >= minor);
}

/**
 * An engine older than every stack needs (core/engine.ts: ephemeral resources and write-only
 * arguments; S3 lock objects, which came in 1.10, are covered by the same floor).
 */
export function engineProblems(engine: Engine): string[] {
  if (atLeast(engine.version, ENGINE_SINCE)) return [];
  const since = ENGINE_SINCE.join(".");
  return [
    `${engine.name} ${engine.version} (${engine.binary}) is older than the stacks need: they use ephemeral resources and write-only arguments (generated secrets stay out of state and saved plans) and S3 lock objects, which need OpenTofu or Terraform ${since} or later; ` +
      `install one (the offline toolchain builds OpenTofu: bash local/toolchain.sh) or point TERRAFORM_BINARY_NAME at it`,
  ];
}

/**
 * Environments with S3 locks ("s3" or "both") on a state bucket without versioning: the lock object
 * shares the state's key space, and a state without versions cannot be restored. `versioning` gives
 * each checked bucket's status; undefined means the bucket does not exist yet (bootstrap creates it
 * versioned).
 */
export function versioningProblems(
  envs: readonly Environment[],
  versioning: ReadonlyMap<string, string | undefined>,
): string[] {
  return envs
    .filter(
      (env) =>
        env.state.locking !== "dynamodb" &&
        versioning.get(env.state.bucket) !== undefined &&
        versioning.get(env.state.bucket) !== "Enabled",
    )
    .map(
      (env) =>
        `environment ${env.name}: state.locking "${env.state.locking}" needs versioning on the state bucket ${env.state.bucket}, which is ${versioning.get(env.state.bucket)?.toLowerCase() || "not enabled"}; ` +
        `run npm run bootstrap -- ${env.name} (it enables versioning), or set state.locking to "dynamodb"`,
    );
}

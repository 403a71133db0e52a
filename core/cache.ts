// Where the platform keeps what it builds and runs on this machine, for the TypeScript side
// (local/paths.sh is the same for the shell scripts; a unit test holds the two together).
// PLATFORM_CACHE (default ~/.cache/cdktf-platform) moves all of it; the variables below move one
// directory each.
import { homedir } from "node:os";
import { join } from "node:path";

type Env = Readonly<Record<string, string | undefined>>;

/** The cache root: PLATFORM_CACHE, else ~/.cache/cdktf-platform. */
export function platformCache(env: Env = process.env): string {
  return env.PLATFORM_CACHE || join(env.HOME || homedir(), ".cache", "cdktf-platform");
}

/** The directories under it, each movable on its own. */
export function cacheDirs(env: Env = process.env) {
  const root = platformCache(env);
  return {
    toolchain: env.PLATFORM_TOOLCHAIN_DIR || join(root, "toolchain"),
    emulator: env.EMULATOR_DIR || join(root, "emulator"),
    localstack: env.PLATFORM_LOCALSTACK_DIR || join(root, "localstack"),
    cluster: env.CLUSTER_DIR || join(root, "cluster"),
    /** The e2e's own emulators and the CDK Terrain rehearsal's copy. */
    scratchEmulator: join(root, "emulator-scratch"),
    lockRepairEmulator: join(root, "emulator-lock-repair"),
    terrainRehearsal: join(root, "terrain-rehearsal"),
  };
}

import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cacheDirs, platformCache } from "../core/cache";

// The cache directories are worked out twice, once per language: local/paths.sh and core/cache.ts.
// Here the two must agree, with and without the variables that move them.

const ROOT = join(__dirname, "..");

function shell(env: Record<string, string>): Record<string, string> {
  const out = execFileSync(
    "bash",
    [
      "-c",
      'source local/paths.sh && printf "%s\\n" "$PLATFORM_CACHE" "$platform_toolchain_dir" "$platform_emulator_dir" "$platform_localstack_dir" "$platform_cluster_dir"',
    ],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8" },
  );
  const [root, toolchain, emulator, localstack, cluster] = out.trim().split("\n");
  return { root, toolchain, emulator, localstack, cluster };
}

function typescript(env: Record<string, string>): Record<string, string> {
  const { toolchain, emulator, localstack, cluster } = cacheDirs(env);
  return { root: platformCache(env), toolchain, emulator, localstack, cluster };
}

describe("cache paths", () => {
  test.each([
    [{ HOME: "/home/dev" }],
    [{ HOME: "/home/dev", PLATFORM_CACHE: "/var/cache/platform" }],
    [
      {
        HOME: "/home/dev",
        PLATFORM_TOOLCHAIN_DIR: "/opt/tc",
        EMULATOR_DIR: "/e",
        CLUSTER_DIR: "/c",
        PLATFORM_LOCALSTACK_DIR: "/l",
      },
    ],
  ])("local/paths.sh and core/cache.ts agree with %j", (env) => {
    expect(shell(env)).toEqual(typescript(env));
  });

  test("the default is ~/.cache/cdktf-platform", () => {
    expect(typescript({ HOME: "/home/dev" })).toEqual({
      root: "/home/dev/.cache/cdktf-platform",
      toolchain: "/home/dev/.cache/cdktf-platform/toolchain",
      emulator: "/home/dev/.cache/cdktf-platform/emulator",
      localstack: "/home/dev/.cache/cdktf-platform/localstack",
      cluster: "/home/dev/.cache/cdktf-platform/cluster",
    });
  });

  test("no script works the cache root out by itself", () => {
    const scripts = ["local", "scripts"].flatMap((dir) =>
      readdirSync(join(ROOT, dir))
        .filter((f) => f.endsWith(".sh") && f !== "paths.sh")
        .map((f) => join(dir, f)),
    );
    const own = scripts.filter((f) =>
      readFileSync(join(ROOT, f), "utf8")
        .split("\n")
        .some((line) => !line.trim().startsWith("#") && line.includes(".cache/cdktf-platform")),
    );
    expect(own).toEqual([]);
  });
});

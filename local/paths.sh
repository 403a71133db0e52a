# Sourced by the shell scripts: where the platform keeps what it builds and runs on this machine,
# worked out here only (core/cache.ts is the same for the TypeScript side; a unit test holds the two
# together). PLATFORM_CACHE (default ~/.cache/cdktf-platform) moves all of it; the variables below
# move one directory each.
PLATFORM_CACHE="${PLATFORM_CACHE:-$HOME/.cache/cdktf-platform}"
platform_toolchain_dir="${PLATFORM_TOOLCHAIN_DIR:-$PLATFORM_CACHE/toolchain}"
platform_emulator_dir="${EMULATOR_DIR:-$PLATFORM_CACHE/emulator}"
platform_localstack_dir="${PLATFORM_LOCALSTACK_DIR:-$PLATFORM_CACHE/localstack}"
platform_cluster_dir="${CLUSTER_DIR:-$PLATFORM_CACHE/cluster}"

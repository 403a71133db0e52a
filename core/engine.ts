/**
 * The oldest OpenTofu and Terraform release every stack runs on: 1.11. The stacks draw generated
 * passwords as ephemeral resources and hand them over in write-only arguments, so that no secret is
 * stored in state or a saved plan; ephemeral resources came in Terraform 1.10 and OpenTofu 1.11,
 * write-only arguments in 1.11 of both. Every stack says so in `terraform.required_version`, and the
 * preflight (scripts/lib/engine.ts) refuses an older engine before it runs, naming both versions.
 */
export const ENGINE_SINCE = [1, 11] as const;

/** `required_version` of every stack. */
export const REQUIRED_ENGINE_VERSION = `>= ${ENGINE_SINCE.join(".")}.0`;

/**
 * The same floor as the app's `targetVersions` context, which CDK Terrain checks the stacks' features
 * against (S3 lock objects, ephemeral resources...) at synth; cdktf ignores the key.
 */
export const TARGET_VERSIONS = {
  terraform: `>=${ENGINE_SINCE.join(".")}.0`,
  opentofu: `>=${ENGINE_SINCE.join(".")}.0`,
} as const;

import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";

/**
 * A password drawn from Secrets Manager's generator as an ephemeral resource: drawn again on every
 * plan and apply and never stored, in state or in a saved plan. Returns the HCL expression of the
 * value (`ephemeral.aws_secretsmanager_random_password.<name>.random_password`), which only a
 * write-only argument (`*_wo`) or another ephemeral block may take: put it inside `${...}`.
 *
 * cdktf 0.21 has no class for ephemeral blocks, so the block is written into the stack's JSON as an
 * override; its name is unique in the stack (derived from the construct path). Engines older than
 * core/engine.ts's ENGINE_SINCE refuse it.
 */
export function ephemeralRandomPassword(
  scope: Construct,
  id: string,
  config: { readonly length: number; readonly excludePunctuation: boolean },
): string {
  const stack = TerraformStack.of(scope);
  // The logical id the stack gives a construct (its path and a hash), as it names resources.
  const name = `${stack.getLogicalId(scope.node)}_${id}`;
  stack.addOverride(`ephemeral.aws_secretsmanager_random_password.${name}`, {
    password_length: config.length,
    exclude_punctuation: config.excludePunctuation,
    include_space: false,
  });
  return `ephemeral.aws_secretsmanager_random_password.${name}.random_password`;
}

import type { PolicyRule } from "../rule";
import { blocks } from "../stack-config";

/** Cost reports and ownership lookups group by these; the environment schema requires the same five. */
export const REQUIRED_TAGS = ["Project", "Environment", "Owner", "CostCenter", "ManagedBy"] as const;

export const requiredTags: PolicyRule = {
  id: "ACME-TAG-1",
  description: `The AWS provider's default_tags carry ${REQUIRED_TAGS.join(", ")}.`,
  fix: "Configure the provider with awsProvider(scope, env) (stacks/aws-provider.ts), which sets default_tags from the environment's tags.",
  check(stack) {
    const providers = stack.providers("aws");
    if (providers.length === 0) {
      return stack.hasResourcesOf("aws_")
        ? [{ path: stack.name, message: "stack has AWS resources but no aws provider with default_tags" }]
        : [];
    }
    return providers.flatMap((provider) => {
      const maps = blocks(provider.config.default_tags).map((b) => b.tags);
      if (maps.some((m) => typeof m !== "object" || m === null)) {
        return [
          {
            path: provider.path,
            message: "provider default_tags are not a literal map, so the required tags cannot be verified",
          },
        ];
      }
      const tags: Record<string, unknown> = Object.assign({}, ...maps);
      const missing = REQUIRED_TAGS.filter((key) => typeof tags[key] !== "string" || tags[key] === "");
      return missing.length > 0
        ? [{ path: provider.path, message: `provider default_tags lack ${missing.join(", ")}` }]
        : [];
    });
  },
};

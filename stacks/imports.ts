import { TerraformResource, type TerraformStack } from "cdktf";
import { ConfigError } from "../environments";

/**
 * Turns `imports` (construct path inside the stack -> cloud ID) into Terraform import blocks on those
 * resources. A path that names no resource is an error that lists the resources there are (those
 * under it when it names a construct that holds resources).
 */
export function adoptResources(stack: TerraformStack, imports: Readonly<Record<string, string>>, where: string): void {
  const byPath = new Map(stack.node.findAll().map((c) => [c.node.path.slice(stack.node.path.length + 1), c]));
  const paths = [...byPath].filter(([, c]) => c instanceof TerraformResource).map(([path]) => path);
  const errors: string[] = [];
  for (const [path, id] of Object.entries(imports)) {
    const found = byPath.get(path);
    if (found instanceof TerraformResource) {
      found.importFrom(id);
      continue;
    }
    const under = paths.filter((p) => p.startsWith(`${path}/`));
    errors.push(
      found && under.length > 0
        ? `${where}.${path}: is a construct, not one resource; import each of its resources that exists: ${under.join(", ")}`
        : `${where}.${path}: no resource at this path in stack ${stack.node.id}; its resources: ${paths.join(", ")}`,
    );
  }
  if (errors.length > 0) throw new ConfigError(errors.join("\n"));
}

/**
 * README's "Moving to CDK Terrain" rehearsal beside the main line; the main line's terrain step plans
 * the deployed stacks with the build it leaves in TERRAIN.
 */
import { join } from "node:path";
import { REPO, must } from "../run";

export const TERRAIN = join(REPO, ".e2e", "terrain");

/**
 * The rehearsal as a team runs it: on the current Node (the machine's may be older than cdktn needs),
 * with the toolchain's engine and provider mirror for `cdktn get`.
 */
export async function terrainRehearsal(tools: NodeJS.ProcessEnv): Promise<string> {
  const node = (await must("bash", [join(REPO, "local", "node.sh")], { log: "terrain.log" })).output
    .trim()
    .split("\n")
    .pop()!;
  const rehearsal = await must("npm", ["run", "--silent", "terrain-rehearsal", "--", "--out", TERRAIN], {
    env: { ...tools, PATH: `${node}:${tools.PATH ?? process.env.PATH}` },
    log: "terrain.log",
  });
  return rehearsal.output;
}

/** What the rehearsal reports: bindings generated, the moved copy type-checked, and what differs. */
export function expectMovedToTerrain(output: string): void {
  expect(output).toContain("[terrain] generated bindings with cdktn get: kubernetes 3.2.1, helm 3.2.0");
  expect(output).toContain("[terrain] the moved copy type-checks against cdktn");
  expect(output).toMatch(/\[terrain\] 24 stacks: 0 identical, 24 with differences;/);
  const differences = output
    .split("\n")
    .filter((l) => l.startsWith("  /"))
    .map((l) => l.replace(/\s+in .*$/, ""));
  expect(differences).toEqual([
    '  /"//"/metadata/version: "0.21.0" -> "0.24.0"',
    '  /terraform/required_providers/aws/source: "aws" -> "hashicorp/aws"',
    '  /terraform/required_providers/helm/source: "helm" -> "hashicorp/helm"',
    '  /terraform/required_providers/kubernetes/source: "kubernetes" -> "hashicorp/kubernetes"',
  ]);
}

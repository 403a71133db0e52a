/**
 * The deployed stacks through other builds than the project's wrappers: the CDK Terrain build of the
 * rehearsal beside the main line, and plain cdktf.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { TERRAIN } from "../beside/terrain";
import type { LocalPlatform } from "../local-platform";
import type { Lane, MainLine } from "../main-line";
import { REPO, must, run } from "../run";
import { ALL_STACKS, local } from "../stacks";

/** `terrain`: the CDK Terrain rehearsal beside the main line, whose build the first step plans with. */
export function otherBuildsPhase(main: MainLine, { tools }: LocalPlatform, terrain: Lane<string>): void {
  main.step("the CDK Terrain build plans the local stacks that the cdktf build deployed: no changes", async () => {
    await terrain.awaited();
    const queue = [...ALL_STACKS];
    const planned: Record<string, number> = {};
    const worker = async () => {
      for (let stack = queue.shift(); stack; stack = queue.shift()) {
        const cwd = join(TERRAIN, "cdktn.out", "stacks", stack);
        await must(tools.TERRAFORM_BINARY_NAME!, ["init", "-input=false", "-no-color"], {
          cwd,
          env: tools,
          log: "terrain-plan.log",
        });
        const plan = await run(
          tools.TERRAFORM_BINARY_NAME!,
          ["plan", "-input=false", "-no-color", "-lock-timeout=120s", "-detailed-exitcode"],
          { cwd, env: tools, log: "terrain-plan.log" },
        );
        planned[stack] = plan.code;
      }
    };
    await Promise.all([worker(), worker()]);
    expect(planned).toEqual(Object.fromEntries(ALL_STACKS.map((s) => [s, 0])));
  });

  main.step("plain cdktf without the project's wrappers, offline: npx cdktf list and diff, no error line", async () => {
    const plain = join(REPO, ".e2e", "plain-cdktf");
    const list = await must("npx", ["cdktf", "list", "--output", plain], { env: tools, log: "plain-cdktf.log" });
    expect(ALL_STACKS.filter((s) => !list.output.includes(s))).toEqual([]);
    // A fresh working directory: cdktf runs init, then `providers lock`, which the toolchain's engine
    // answers from the provider mirror instead of a registry.
    const diff = await must("npx", ["cdktf", "diff", local("file-processing"), "--output", plain], {
      env: tools,
      log: "plain-cdktf.log",
    });
    expect(diff.output).toMatch(/No changes/);
    expect(existsSync(join(plain, "stacks", local("file-processing"), ".terraform.lock.hcl"))).toBe(true);
    expect([list.output, diff.output].join("\n")).not.toMatch(/ERROR|ENOTFOUND|checkpoint/i);
  });
}

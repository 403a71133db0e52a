/**
 * The platform deployed and left alone: no secret value in any state, bootstrap refuses to go while
 * the other stacks' state is in its bucket, and every stack plans no changes.
 */
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { join } from "node:path";
import { BOOTSTRAP_STACK, FOUNDATION_STACK, stateKey } from "../../../core/naming";
import type { LocalPlatform } from "../local-platform";
import type { MainLine } from "../main-line";
import { REPO, run } from "../run";
import { secretValues, stateObjectsHolding } from "../secrets-in-state";
import { ALL_STACKS, LOCAL, MODULE_STACKS, local, noChangeStacks } from "../stacks";

export function steadyStatePhase(main: MainLine, { env, tools, aws, s3, bootstrap }: LocalPlatform): void {
  main.step(
    "no secret value in any state: every version of every object in the state bucket is searched for every value Secrets Manager holds",
    async () => {
      const values = await secretValues(aws);
      // The generated ones at least: two database passwords, the signing key, the cache user's password.
      expect(values.filter((v) => /^[A-Za-z0-9]{40,64}$/.test(v.value)).length).toBeGreaterThanOrEqual(4);
      const found = await stateObjectsHolding(aws, env.state.bucket, values);
      expect(found.objects).toBeGreaterThanOrEqual(ALL_STACKS.length);
      expect(found.holding).toEqual([]);
    },
  );

  main.step("bootstrap --destroy is refused while other stacks' state is in the bucket, naming them", async () => {
    const refused = await bootstrap(["--destroy"]);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(
      `refusing to destroy the bootstrap of "${LOCAL}": its bucket ${env.state.bucket} still holds the state of ${MODULE_STACKS.length + 1} other stack(s)`,
    );
    for (const stack of [local(FOUNDATION_STACK), ...MODULE_STACKS]) expect(refused.output).toContain(`  - ${stack}\n`);
    expect(refused.output).toContain("destroy refused; nothing was changed");
    await s3.send(new HeadObjectCommand({ Bucket: env.state.bucket, Key: stateKey(env, BOOTSTRAP_STACK) }));
  });

  main.step("npm run plan of every stack, in parallel: each block says no changes, exit 0", async () => {
    const out = join(REPO, ".e2e", "plans-all");
    const plan = await run("npm", ["run", "--silent", "plan", "--", `${LOCAL}-*`, "--out", out, "--parallelism", "2"], {
      env: tools,
      log: "plan-all.log",
    });
    expect({ code: plan.code, tail: plan.code === 0 ? "" : plan.output.slice(-3000) }).toEqual({ code: 0, tail: "" });
    // One block per stack, in the order selected, whatever order they finished in.
    const blocks = noChangeStacks(plan.output);
    expect(blocks).toEqual(ALL_STACKS);
  });
}

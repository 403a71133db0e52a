/**
 * Destroy in reverse layer order, then nothing left and the emulator and cluster stopped. The queue
 * stacks go first, beside the steps registered by `meanwhile`: the provider confirms a queue's
 * deletion with fifteen "gone" answers in a row (2m9s, on AWS too), so their destroy is the longest.
 */
import { join } from "node:path";
import { FOUNDATION_STACK } from "../../../core/naming";
import { kubernetesLeftovers } from "../kubernetes";
import { leftovers } from "../leftovers";
import { type LocalPlatform, TFLOCAL_DIR } from "../local-platform";
import type { Lane, MainLine } from "../main-line";
import { REPO, must, run } from "../run";
import { LOCK_STACK, local } from "../stacks";

/** The module stacks with SQS queues. */
const QUEUE_STACKS = [local("file-processing"), local("data-pipeline")];

export function destroyPhase(
  main: MainLine,
  { tools, aws, tflocalEnv, mustCdktf, bootstrap }: LocalPlatform,
  beside: {
    /** Registers the steps that run while the queue stacks are destroyed. */
    readonly meanwhile: () => void;
    /** The Kubernetes lane beside the main line, whose namespaces must be gone before the leftovers check. */
    readonly kubernetes: Lane<void>;
  },
): void {
  let queueStacksDestroyed: Lane<unknown> | undefined;

  main.step(
    "destroy begins with the queue stacks (the provider waits 2m9s per queue); the checks below use ml-platform beside it",
    async () => {
      // Its own output directory: the cdktf runs of the next steps synthesize into cdktf.out meanwhile.
      queueStacksDestroyed = main.alongside("destroy of the queue stacks (file-processing, data-pipeline)", () =>
        mustCdktf(
          [
            "destroy",
            ...QUEUE_STACKS,
            "--auto-approve",
            "--parallelism",
            "2",
            "--output",
            join(REPO, ".e2e", "destroy"),
          ],
          "destroy-modules.log",
        ),
      );
    },
  );

  beside.meanwhile();

  main.step(
    "destroy in reverse layer order: the module stacks (the queue stacks since the lock checks, cdktf and tflocal), foundation, bootstrap",
    async () => {
      if (!queueStacksDestroyed) throw new Error("the queue stacks' destroy never started (its step failed)");
      await Promise.all([
        queueStacksDestroyed.awaited(),
        must("tflocal", ["destroy", "-input=false", "-auto-approve"], {
          cwd: TFLOCAL_DIR,
          env: tflocalEnv,
          log: "destroy-tflocal.log",
        }),
        mustCdktf(["destroy", LOCK_STACK, "--auto-approve"], "destroy-ml-platform.log"),
      ]);
      // Its dependants are gone now; one stack by name goes without them (scripts/cdktf.ts).
      await mustCdktf(["destroy", local(FOUNDATION_STACK), "--auto-approve"], "destroy-foundation.log");
      const destroyed = await bootstrap(["--destroy"]);
      expect({ code: destroyed.code, tail: destroyed.code === 0 ? "" : destroyed.output.slice(-3000) }).toEqual({
        code: 0,
        tail: "",
      });
    },
  );

  main.step(
    "nothing the stacks created is left: buckets, tables, queues, streams, repositories, network, databases, caches, clusters, load balancers, distributions, certificates, secrets, IAM, logs, zones, keys, topics, alarms; no platform namespace in the cluster",
    async () => {
      // The API refusals beside the main line use the cluster too: their namespaces go first.
      await beside.kubernetes.awaited().catch(() => undefined);
      expect([...(await leftovers(aws)), ...(await kubernetesLeftovers(tools))]).toEqual([]);
    },
  );

  main.step("npm run local:down stops the emulator and the cluster, and leaves no process of either", async () => {
    // The main line's: the cluster's five processes and the emulator on 4566 (the scratch one may still serve work beside).
    const pattern = `^${tools.PLATFORM_TOOLCHAIN_DIR}/bin/(etcd|kube-apiserver|kube-controller-manager|kube-scheduler|kwok) |moto_server\\.py -H 127\\.0\\.0\\.1 -p 4566`;
    const ours = () =>
      run("bash", ["-c", 'ps -eo args= | grep -E "$0" | grep -v grep || true', pattern], { log: "cluster.log" });
    expect((await ours()).output).toMatch(/kube-apiserver/);
    await must("npm", ["run", "--silent", "local:down"], { env: tools, log: "cluster.log" });
    expect((await ours()).output.trim()).toBe("");
  });
}

/** The local environment's stack ids, built as the product builds them (core/naming.ts). */
import { formatStackId } from "../../core/naming";
import { stacksOfEnvironment } from "../helpers";

/** The environment the e2e deploys. */
export const LOCAL = "local";

/** The id of one stack of the local environment: `local("foundation")` is `local-foundation`. */
export const local = (stack: string): string => formatStackId({ env: LOCAL, stack });

/** In registry order (packages/index.ts), the order `local-*` selects them in. */
export const MODULE_STACKS = stacksOfEnvironment(LOCAL, "modules");
export const ALL_STACKS = stacksOfEnvironment(LOCAL);

/** One module goes through tflocal to prove the JSON works there too; cdktf deploys the others. */
export const TFLOCAL_STACK = local("order-tracking");

/** The module the lock and restore checks use while the queue stacks are destroyed. */
export const LOCK_MODULE = "ml-platform";
export const LOCK_STACK = local(LOCK_MODULE);

/** The local stacks a plan report says `no changes` of, in the order of its blocks. */
export function noChangeStacks(report: string): string[] {
  return [...report.matchAll(new RegExp(`^### \`(${LOCAL}-[a-z-]+)\`: no changes$`, "gm"))].map((m) => m[1]);
}

import type { Suppression } from "./suppression";

/**
 * Every exception to the policy pack, in one place. Each needs a reason; an entry that matches no
 * violation fails a full synth, so fixed resources drop out of this list. The README's table mirrors it.
 */
export const SUPPRESSIONS: readonly Suppression[] = [];

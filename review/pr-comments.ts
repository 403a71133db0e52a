/**
 * Keeps one pull-request comment per stack with its plan summary: found again by a hidden marker
 * and updated in place on re-runs (never duplicated), split into numbered parts when too long,
 * stacks without changes gathered in a single one-line comment, stale comments deleted.
 */
import { COMMENT_LIMIT, splitComment } from "./comments";
import { type GithubRepo, markerLine, type SyncResult, syncMarkedComments } from "./github";

export type { SyncResult } from "./github";

export interface StackPlan {
  readonly stack: string;
  readonly hasChanges: boolean;
  readonly markdown: string;
}

export interface GithubTarget extends GithubRepo {
  readonly pr: number;
}

const PREFIX = "cdktf-plan";

/** The comments that should exist, keyed by marker (bodies without the marker line). */
export function desiredComments(plans: StackPlan[], limit = COMMENT_LIMIT): Map<string, string> {
  const wanted = new Map<string, string>();
  for (const plan of [...plans].sort((a, b) => a.stack.localeCompare(b.stack))) {
    if (!plan.hasChanges) continue;
    // The marker line rides on every part, so the parts leave room for it.
    const room = limit - markerLine(PREFIX, `${plan.stack}:part-999`).length - 1;
    splitComment(plan.markdown, room).forEach((part, i) => wanted.set(`${plan.stack}:part-${i + 1}`, part));
  }
  const unchanged = plans
    .filter((p) => !p.hasChanges)
    .map((p) => `\`${p.stack}\``)
    .sort();
  if (unchanged.length > 0) wanted.set("no-changes", `No changes: ${unchanged.join(", ")}`);
  return wanted;
}

/**
 * Brings the pull request's plan comments in line with `plans`. A stack that now has no changes, or
 * needs fewer parts, loses the comments that would mislead; other stacks' comments stay.
 */
export async function syncComments(
  target: GithubTarget,
  plans: StackPlan[],
  limit = COMMENT_LIMIT,
): Promise<SyncResult> {
  const planned = new Set(plans.map((p) => p.stack));
  const owned = (key: string) => key === "no-changes" || planned.has(key.replace(/:part-\d+$/, ""));
  return syncMarkedComments(target, target.pr, PREFIX, desiredComments(plans, limit), owned);
}

/**
 * Keeps one pull-request comment per stack with its plan summary: found again by a hidden marker
 * and updated in place on re-runs (never duplicated), split into numbered parts when too long,
 * stacks without changes gathered in a single one-line comment, stale comments deleted.
 */
import { COMMENT_LIMIT, splitComment } from "./comments";

export interface StackPlan {
  readonly stack: string;
  readonly hasChanges: boolean;
  readonly markdown: string;
}

interface Comment {
  readonly id: number;
  readonly body: string;
}

export interface GithubTarget {
  /** API root, e.g. the value of GITHUB_API_URL. */
  readonly api: string;
  readonly repo: string;
  readonly pr: number;
  readonly token: string;
}

const MARKER = "<!-- cdktf-plan:";
const marker = (key: string) => `${MARKER}${key} -->`;

/** The comments that should exist, keyed by marker. */
export function desiredComments(plans: StackPlan[], limit = COMMENT_LIMIT): Map<string, string> {
  const wanted = new Map<string, string>();
  for (const plan of [...plans].sort((a, b) => a.stack.localeCompare(b.stack))) {
    if (!plan.hasChanges) continue;
    // The marker line rides on every part, so the parts leave room for it.
    const room = limit - marker(`${plan.stack}:part-999`).length - 1;
    splitComment(plan.markdown, room).forEach((part, i) => {
      const key = `${plan.stack}:part-${i + 1}`;
      wanted.set(key, `${marker(key)}\n${part}`);
    });
  }
  const unchanged = plans.filter((p) => !p.hasChanges).map((p) => `\`${p.stack}\``).sort();
  if (unchanged.length > 0) wanted.set("no-changes", `${marker("no-changes")}\nNo changes: ${unchanged.join(", ")}`);
  return wanted;
}

async function call(target: GithubTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${target.api.replace(/\/$/, "")}${path}`, {
    method,
    headers: {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${target.token}`,
      "x-github-api-version": "2022-11-28",
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

async function existingComments(target: GithubTarget): Promise<Map<string, Comment>> {
  const found = new Map<string, Comment>();
  for (let page = 1; ; page++) {
    const batch = (await call(target, "GET", `/repos/${target.repo}/issues/${target.pr}/comments?per_page=100&page=${page}`)) as Comment[];
    for (const c of batch) {
      const match = /^<!-- cdktf-plan:(\S+) -->/.exec(c.body);
      if (match && !found.has(match[1])) found.set(match[1], c);
      else if (match) await call(target, "DELETE", `/repos/${target.repo}/issues/comments/${c.id}`);
    }
    if (batch.length < 100) return found;
  }
}

export interface SyncResult {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

/** Brings the pull request's plan comments in line with `plans`. */
export async function syncComments(target: GithubTarget, plans: StackPlan[], limit = COMMENT_LIMIT): Promise<SyncResult> {
  const wanted = desiredComments(plans, limit);
  const existing = await existingComments(target);
  const result: SyncResult = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
  for (const [key, body] of wanted) {
    const current = existing.get(key);
    if (!current) {
      await call(target, "POST", `/repos/${target.repo}/issues/${target.pr}/comments`, { body });
      result.created++;
    } else if (current.body !== body) {
      await call(target, "PATCH", `/repos/${target.repo}/issues/comments/${current.id}`, { body });
      result.updated++;
    } else {
      result.unchanged++;
    }
  }
  // A stack that now has no changes, or needs fewer parts, leaves comments that would mislead.
  const planned = new Set(plans.map((p) => p.stack));
  for (const [key, comment] of existing) {
    const stack = key.replace(/:part-\d+$/, "");
    if (!wanted.has(key) && (planned.has(stack) || key === "no-changes")) {
      await call(target, "DELETE", `/repos/${target.repo}/issues/comments/${comment.id}`);
      result.deleted++;
    }
  }
  return result;
}

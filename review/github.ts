/**
 * The few GitHub REST calls the review tools make (issue comments, issues), and one way of keeping
 * comments of an issue or pull request in line with what they should say: each comment carries a
 * hidden marker line with its key, so a re-run finds and updates it instead of adding another.
 */

export interface GithubRepo {
  /** API root, e.g. the value of GITHUB_API_URL. */
  readonly api: string;
  /** owner/name */
  readonly repo: string;
  readonly token: string;
}

export async function githubCall(target: GithubRepo, method: string, path: string, body?: unknown): Promise<unknown> {
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

/** Every item of a paginated list (`path` without page parameters; it may have a query). */
export async function githubList<T>(target: GithubRepo, path: string): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; ; page++) {
    const batch = (await githubCall(
      target,
      "GET",
      `${path}${path.includes("?") ? "&" : "?"}per_page=100&page=${page}`,
    )) as T[];
    all.push(...batch);
    if (batch.length < 100) return all;
  }
}

/** `<!-- <prefix>:<key> -->`, the first line of every comment the tools own. */
export const markerLine = (prefix: string, key: string) => `<!-- ${prefix}:${key} -->`;

export interface SyncResult {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

/**
 * Brings the marked comments of issue (or pull request) `issue` in line with `wanted` (key -> body
 * without the marker): creates the missing, updates the changed, leaves equal ones alone, deletes
 * duplicates, and deletes the marked comments no longer wanted for which `owned(key)` holds (a run
 * that planned some stacks leaves other stacks' comments alone). Comments without the marker are
 * never touched.
 */
export async function syncMarkedComments(
  target: GithubRepo,
  issue: number,
  prefix: string,
  wanted: ReadonlyMap<string, string>,
  owned: (key: string) => boolean,
): Promise<SyncResult> {
  const pattern = new RegExp(`^<!-- ${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\S+) -->`);
  const existing = new Map<string, { id: number; body: string }>();
  for (const c of await githubList<{ id: number; body: string }>(
    target,
    `/repos/${target.repo}/issues/${issue}/comments`,
  )) {
    const match = pattern.exec(c.body);
    if (!match) continue;
    if (existing.has(match[1])) await githubCall(target, "DELETE", `/repos/${target.repo}/issues/comments/${c.id}`);
    else existing.set(match[1], c);
  }
  const result: SyncResult = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
  for (const [key, text] of wanted) {
    const body = `${markerLine(prefix, key)}\n${text}`;
    const current = existing.get(key);
    if (!current) {
      await githubCall(target, "POST", `/repos/${target.repo}/issues/${issue}/comments`, { body });
      result.created++;
    } else if (current.body !== body) {
      await githubCall(target, "PATCH", `/repos/${target.repo}/issues/comments/${current.id}`, { body });
      result.updated++;
    } else {
      result.unchanged++;
    }
  }
  for (const [key, comment] of existing) {
    if (!wanted.has(key) && owned(key)) {
      await githubCall(target, "DELETE", `/repos/${target.repo}/issues/comments/${comment.id}`);
      result.deleted++;
    }
  }
  return result;
}

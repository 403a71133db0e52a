/**
 * Keeps exactly one GitHub issue per environment about drift: opened on the first drift, updated in
 * place while it lasts (found again by the marker in its body), closed when a check finds none, and
 * reopened if drift comes back. A report too long for one issue body continues in marked comments.
 */
import { COMMENT_LIMIT, splitComment } from "./comments";
import { type DriftStatus, renderDrift, type StackDrift } from "./drift";
import { type GithubRepo, githubCall, githubList, markerLine, syncMarkedComments } from "./github";

const PREFIX = "cdktf-drift";

export interface DriftIssueResult {
  readonly env: string;
  readonly action: "created" | "updated" | "reopened" | "unchanged" | "closed" | "none";
  readonly issue?: number;
}

interface Issue {
  readonly number: number;
  readonly title: string;
  readonly body: string | null;
  readonly state: "open" | "closed";
}

/** The title, body (first part) and continuation parts of an environment's drift issue. */
export function driftIssueContent(env: string, reports: readonly StackDrift[], limit = COMMENT_LIMIT) {
  const count = (s: DriftStatus) => reports.filter((r) => r.status === s).length;
  const title = `Drift in ${env}: ${count("drift")} stack${count("drift") === 1 ? "" : "s"} changed outside Terraform`;
  const marker = markerLine(PREFIX, env);
  const room = limit - markerLine(PREFIX, `${env}:part-999`).length - 1;
  const parts = splitComment(renderDrift(reports, `Drift in ${env}`), room);
  return { title, body: `${marker}\n${parts[0]}`, rest: parts.slice(1) };
}

/** Opens, updates, reopens or closes one issue per environment in `reports`. */
export async function syncDriftIssues(
  target: GithubRepo,
  reports: readonly StackDrift[],
  label = "drift",
): Promise<DriftIssueResult[]> {
  const envs = [...new Set(reports.map((r) => r.env))].sort();
  const issues = await githubList<Issue>(
    target,
    `/repos/${target.repo}/issues?state=all&labels=${encodeURIComponent(label)}`,
  );
  const results: DriftIssueResult[] = [];
  for (const env of envs) {
    const mine = reports.filter((r) => r.env === env);
    const marker = markerLine(PREFIX, env);
    const found = issues.filter((i) => (i.body ?? "").startsWith(`${marker}\n`));
    const issue = found.find((i) => i.state === "open") ?? found.sort((a, b) => b.number - a.number)[0];
    const path = (n: number) => `/repos/${target.repo}/issues/${n}`;
    const owned = (key: string) => key.startsWith(`${env}:`);

    if (!mine.some((r) => r.status === "drift")) {
      if (issue?.state === "open") {
        const body = `${marker}\n## No drift in ${env}\n\nThe last check found every deployed stack of ${env} as its state says; closing.\n`;
        await githubCall(target, "PATCH", path(issue.number), { body, state: "closed" });
        await syncMarkedComments(target, issue.number, PREFIX, new Map(), owned);
        results.push({ env, action: "closed", issue: issue.number });
      } else {
        results.push({ env, action: "none", issue: issue?.number });
      }
      continue;
    }

    const { title, body, rest } = driftIssueContent(env, mine);
    let number: number;
    let action: DriftIssueResult["action"];
    if (!issue) {
      number = (
        (await githubCall(target, "POST", `/repos/${target.repo}/issues`, { title, body, labels: [label] })) as Issue
      ).number;
      action = "created";
    } else if (issue.state === "closed") {
      await githubCall(target, "PATCH", path(issue.number), { title, body, state: "open" });
      [number, action] = [issue.number, "reopened"];
    } else if (issue.body !== body || issue.title !== title) {
      await githubCall(target, "PATCH", path(issue.number), { title, body });
      [number, action] = [issue.number, "updated"];
    } else {
      [number, action] = [issue.number, "unchanged"];
    }
    const parts = new Map(rest.map((text, i) => [`${env}:part-${i + 2}`, text]));
    await syncMarkedComments(target, number, PREFIX, parts, owned);
    results.push({ env, action, issue: number });
  }
  return results;
}

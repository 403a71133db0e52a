// Keeps one GitHub issue per environment up to date from the reports `npm run drift` wrote:
//   npm run drift-issues -- --repo owner/name --dir .drift [--label drift]   (token in GITHUB_TOKEN)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { GithubRepo } from "../review/github";
import type { StackDrift } from "../review/drift";
import { syncDriftIssues } from "../review/drift-issues";
import { noPositionals, nonEmpty, parseCommandLine, required, runMain } from "./lib/cli";
import { githubRepo } from "./lib/github";

const USAGE = "usage: npm run drift-issues -- --repo owner/name --dir .drift [--label drift]";
const OPTIONS = { repo: { type: "string" }, dir: { type: "string" }, label: { type: "string" } } as const;

/** The command line (and GITHUB_TOKEN, GITHUB_API_URL) of `npm run drift-issues`; bad input is a UsageError. */
export function parseDriftIssuesArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): { target: GithubRepo; dir: string; label: string } {
  const { values, positionals } = parseCommandLine(argv, OPTIONS, USAGE);
  noPositionals(positionals, USAGE);
  const dir = required("dir", values.dir, USAGE);
  const repo = required("repo", values.repo, USAGE);
  const label = nonEmpty("label", values.label, USAGE) ?? "drift";
  return { target: githubRepo(repo, env, USAGE), dir, label };
}

async function main(): Promise<number> {
  const { target, dir, label } = parseDriftIssuesArgs(process.argv.slice(2));
  const reports: StackDrift[] = (existsSync(dir) ? readdirSync(dir) : [])
    .filter((f) => f.endsWith(".drift.json"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as StackDrift);
  if (reports.length === 0) {
    console.error(`no drift reports (*.drift.json) in ${dir}; nothing to do`);
    return 1;
  }
  try {
    const results = await syncDriftIssues(target, reports, label);
    for (const r of results) console.log(`drift issue ${r.env}: ${r.action}${r.issue ? ` (#${r.issue})` : ""}`);
    return 0;
  } catch (e) {
    console.error(`could not update the drift issues: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) runMain(main);

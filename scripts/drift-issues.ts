// Keeps one GitHub issue per environment up to date from the reports `npm run drift` wrote:
//   npm run drift-issues -- --repo owner/name --dir .drift [--label drift]   (token in GITHUB_TOKEN)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { StackDrift } from "../review/drift";
import { syncDriftIssues } from "../review/drift-issues";

const USAGE = "usage: npm run drift-issues -- --repo owner/name --dir .drift [--label drift]";

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : fallback;
  if (!value) {
    console.error(`--${name} is required\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

const dir = arg("dir");
const token = process.env.GITHUB_TOKEN;
if (!token) {
  console.error("GITHUB_TOKEN is not set");
  process.exit(2);
}
const reports: StackDrift[] = (existsSync(dir) ? readdirSync(dir) : [])
  .filter((f) => f.endsWith(".drift.json"))
  .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as StackDrift);
if (reports.length === 0) {
  console.error(`no drift reports (*.drift.json) in ${dir}; nothing to do`);
  process.exit(1);
}

syncDriftIssues(
  { api: process.env.GITHUB_API_URL || "https://api.github.com", repo: arg("repo"), token },
  reports,
  arg("label", "drift"),
).then(
  (results) => {
    for (const r of results) console.log(`drift issue ${r.env}: ${r.action}${r.issue ? ` (#${r.issue})` : ""}`);
  },
  (e) => {
    console.error(`could not update the drift issues: ${(e as Error).message}`);
    process.exit(1);
  },
);

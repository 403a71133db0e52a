// Posts or updates the plan comments of a pull request from the summaries `npm run plan` wrote:
// `npm run pr-comments -- --repo owner/name --pr 12 --dir .plans` (token in GITHUB_TOKEN).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type StackPlan, syncComments } from "../review/pr-comments";

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (!value) {
    console.error(`--${name} is required\nusage: npm run pr-comments -- --repo owner/name --pr N --dir .plans`);
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
const plans: StackPlan[] = (existsSync(dir) ? readdirSync(dir) : [])
  .filter((f) => f.endsWith(".summary.json"))
  .map((f) => {
    const summary = JSON.parse(readFileSync(join(dir, f), "utf8")) as { stack: string; hasChanges: boolean };
    return {
      stack: summary.stack,
      hasChanges: summary.hasChanges,
      markdown: readFileSync(join(dir, `${summary.stack}.md`), "utf8"),
    };
  });

syncComments(
  { api: process.env.GITHUB_API_URL || "https://api.github.com", repo: arg("repo"), pr: Number(arg("pr")), token },
  plans,
).then(
  (r) =>
    console.log(
      `plan comments: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.deleted} deleted (${plans.length} stacks)`,
    ),
  (e) => {
    console.error(`could not update plan comments: ${(e as Error).message}`);
    process.exit(1);
  },
);

// Posts or updates the plan comments of a pull request from the summaries `npm run plan` wrote:
// `npm run pr-comments -- --repo owner/name --pr 12 --dir .plans` (token in GITHUB_TOKEN).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type GithubTarget, type StackPlan, syncComments } from "../review/pr-comments";
import { noPositionals, parseCommandLine, required, runMain, wholeNumber } from "./lib/cli";
import { githubRepo } from "./lib/github";

const USAGE = "usage: npm run pr-comments -- --repo owner/name --pr N --dir .plans";
const OPTIONS = { repo: { type: "string" }, pr: { type: "string" }, dir: { type: "string" } } as const;

/** The command line (and GITHUB_TOKEN, GITHUB_API_URL) of `npm run pr-comments`; bad input is a UsageError. */
export function parsePrCommentsArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): { target: GithubTarget; dir: string } {
  const { values, positionals } = parseCommandLine(argv, OPTIONS, USAGE);
  noPositionals(positionals, USAGE);
  const dir = required("dir", values.dir, USAGE);
  const repo = required("repo", values.repo, USAGE);
  const pr = wholeNumber("pr", required("pr", values.pr, USAGE), 0, USAGE);
  return { target: { ...githubRepo(repo, env, USAGE), pr }, dir };
}

async function main(): Promise<number> {
  const { target, dir } = parsePrCommentsArgs(process.argv.slice(2));
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
  try {
    const r = await syncComments(target, plans);
    console.log(
      `plan comments: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.deleted} deleted (${plans.length} stacks)`,
    );
    return 0;
  } catch (e) {
    console.error(`could not update plan comments: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) runMain(main);

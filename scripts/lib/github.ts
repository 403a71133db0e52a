// What the scripts that write to GitHub (pr-comments, drift-issues) read from their command line and
// environment: the repository (--repo owner/name), the API root (GITHUB_API_URL) and the token.
import type { GithubRepo } from "../../review/github";
import { UsageError } from "./cli";

/** The repository of `--repo`, with the API and token of `env`; bad input is a UsageError. */
export function githubRepo(repo: string, env: NodeJS.ProcessEnv, usage: string): GithubRepo {
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new UsageError(`--repo takes owner/name, not ${repo}`, usage);
  const token = env.GITHUB_TOKEN;
  if (!token) throw new UsageError("GITHUB_TOKEN is not set: export the token to call the GitHub API with", usage);
  return { api: env.GITHUB_API_URL || "https://api.github.com", repo, token };
}

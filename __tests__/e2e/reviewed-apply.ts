/**
 * A rehearsal of the apply workflow's reviewed-plan apply (.github/workflows/apply-stack.yml): the
 * `run:` scripts of its plan job and apply job, in workspaces of a scratch repository at a real
 * commit, the way GitHub's runners run them (bash -e, GITHUB_SHA, GITHUB_STEP_SUMMARY), against the
 * emulator. The plan job runs with the planner role's credentials while the emulator enforces IAM.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { scratchRepository } from "../scratch-repo";
import { REPO, run, type RunResult } from "./run";

type Jobs = Record<string, { steps?: { name?: string; run?: string }[] }>;

export interface ReviewedApply {
  /** The commit of the scratch repository's main, and of a second commit made on top of it. */
  readonly commit: string;
  readonly nextCommit: string;
  /** The plan job's `plan` step for `stack` at `commit`: its result and the run summary it wrote. */
  plan(stack: string, env: NodeJS.ProcessEnv, commit?: string): Promise<RunResult & { summary: string }>;
  /** The apply job's `apply` step for `stack` at `commit`. */
  apply(stack: string, env: NodeJS.ProcessEnv, commit?: string): Promise<RunResult>;
  remove(): void;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-C", cwd, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

export function reviewedApply(log: string): ReviewedApply {
  const root = mkdtempSync(join(tmpdir(), "reviewed-apply-"));
  const repo = scratchRepository(REPO, join(root, "repo"));
  const commit = git(repo, "rev-parse", "HEAD");
  git(repo, "commit", "-q", "--allow-empty", "-m", "a later commit");
  const nextCommit = git(repo, "rev-parse", "HEAD");
  const jobs = (parse(readFileSync(join(repo, ".github", "workflows", "apply-stack.yml"), "utf8")) as { jobs: Jobs })
    .jobs;
  const script = (job: string, name: string) => {
    const body = jobs[job]?.steps?.find((s) => s.name === name)?.run;
    if (!body) throw new Error(`apply-stack.yml: job ${job} has no step ${name} with a run: script`);
    return body;
  };

  let workspaces = 0;
  /** A fresh runner workspace at `at` (actions/checkout of GITHUB_SHA), npm install done (linked). */
  const workspace = (at: string) => {
    const dir = join(root, `runner-${++workspaces}`);
    git(repo, "worktree", "add", "-q", "--detach", dir, at);
    symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
    return dir;
  };
  const step = async (job: string, name: string, stack: string, env: NodeJS.ProcessEnv, at: string) => {
    const cwd = workspace(at);
    const summary = join(cwd, ".github-summary");
    writeFileSync(summary, "");
    const result = await run("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script(job, name)], {
      cwd,
      env: { ...env, STACK: stack, GITHUB_SHA: at, GITHUB_STEP_SUMMARY: summary, CI: "true" },
      log,
    });
    return { ...result, summary: readFileSync(summary, "utf8") };
  };

  return {
    commit,
    nextCommit,
    plan: (stack, env, at = commit) => step("plan", "plan", stack, env, at),
    apply: (stack, env, at = commit) => step("apply", "apply", stack, env, at),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * A rehearsal of the apply workflow's reviewed-plan apply (.github/workflows/apply-stack.yml): the
 * `run:` scripts of its plan job and apply job, in workspaces of a scratch repository at a real
 * commit, the way GitHub's runners run them (bash -e, GITHUB_SHA, GITHUB_STEP_SUMMARY), against the
 * emulator. The plan job runs with the planner role's credentials while the emulator enforces IAM.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scratchRepository } from "../scratch-repo";
import { REPO, type RunResult } from "./run";
import { WorkflowRunner } from "./workflow-runner";

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
  const runner = new WorkflowRunner(repo, root, "apply-stack.yml");
  const step = async (job: string, name: string, stack: string, env: NodeJS.ProcessEnv, at: string) =>
    runner.step(runner.workspace(at), runner.script(job, name), { ...env, STACK: stack, GITHUB_SHA: at }, log);

  return {
    commit,
    nextCommit,
    plan: (stack, env, at = commit) => step("plan", "plan", stack, env, at),
    apply: (stack, env, at = commit) => step("apply", "apply", stack, env, at),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

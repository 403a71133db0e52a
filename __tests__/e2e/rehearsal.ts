/**
 * A rehearsal of the pull-request workflow: a real git change in a scratch copy of the repository,
 * then the `run:` scripts of .github/workflows/pull-request.yml in order, each in a workspace of
 * its own the way GitHub gives each job a runner (affected, one plan job per matrix entry, the
 * comment job with the plan artifacts), against the emulator and a GitHub API stub.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scratchRepository } from "../scratch-repo";
import { REPO, type RunResult } from "./run";
import { WorkflowRunner } from "./workflow-runner";

export interface Rehearsal {
  /** The scratch repository (branch `feature` checked out, main as origin/main). */
  readonly repo: string;
  /** Commits `edit` on the feature branch. */
  change(message: string, edit: (repo: string) => void): void;
  /** Runs the workflow's jobs for the current head; returns the matrix and every step's result. */
  runWorkflow(options: RunOptions): Promise<WorkflowRun>;
  remove(): void;
}

export interface RunOptions {
  /** Toolchain and credentials for the plan jobs (the plan role's, in the workflow). */
  readonly planEnv: NodeJS.ProcessEnv;
  /** Environment of every job (PLATFORM_ENVIRONMENTS, ...). */
  readonly env: NodeJS.ProcessEnv;
  readonly githubApi: string;
  readonly githubToken: string;
  readonly pr: number;
  /** Plan jobs at once, like GitHub's matrix. @default 2 */
  readonly parallelism?: number;
  readonly log: string;
}

export interface WorkflowRun {
  readonly matrix: { stacks: string[]; include: { stack: string; env: string; layer: string }[] };
  readonly plans: Map<string, RunResult & { readonly workspace: string }>;
  readonly comment: RunResult;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-C", cwd, "-c", "user.email=ci@example.com", "-c", "user.name=ci", ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });

/** A scratch repository holding the working tree as main, with a feature branch checked out. */
export function rehearsal(): Rehearsal {
  const root = mkdtempSync(join(tmpdir(), "pr-rehearsal-"));
  const repo = scratchRepository(REPO, join(root, "repo"));
  // actions/checkout with fetch-depth 0 leaves the base branch as origin/<base>.
  git(repo, "update-ref", "refs/remotes/origin/main", "HEAD");
  git(repo, "checkout", "-q", "-b", "feature");
  const runner = new WorkflowRunner(repo, root, "pull-request.yml");
  /** A fresh runner workspace: the repository at the feature head. */
  const workspace = () => runner.workspace();
  const script = (job: string, key: string) => runner.script(job, key);
  const step = (cwd: string, body: string, env: NodeJS.ProcessEnv, log: string) => runner.step(cwd, body, env, log);

  return {
    repo,
    change(message, edit) {
      edit(repo);
      git(repo, "add", "-A");
      git(repo, "commit", "-q", "-m", message);
    },
    async runWorkflow(options) {
      // affected: which stacks the change reaches.
      const affectedDir = workspace();
      const affected = await step(
        affectedDir,
        script("affected", "affected"),
        { ...options.env, BASE: "origin/main" },
        options.log,
      );
      if (affected.code !== 0) throw new Error(`affected step failed:\n${affected.output.slice(-2000)}`);
      const matrix = JSON.parse(affected.outputs.matrix) as WorkflowRun["matrix"];

      // plan: one job per stack, each in its own workspace, `parallelism` at a time.
      const plans = new Map<string, RunResult & { workspace: string }>();
      const queue = [...matrix.include];
      const worker = async () => {
        for (let entry = queue.shift(); entry; entry = queue.shift()) {
          const dir = workspace();
          const result = await step(
            dir,
            script("plan", "plan"),
            { ...options.env, ...options.planEnv, STACK: entry.stack },
            options.log,
          );
          plans.set(entry.stack, { ...result, workspace: dir });
        }
      };
      await Promise.all(Array.from({ length: options.parallelism ?? 2 }, worker));

      // comment: the plan jobs' artifacts (.plans/<stack>.md and .summary.json) downloaded into .plans.
      const commentDir = workspace();
      mkdirSync(join(commentDir, ".plans"), { recursive: true });
      for (const [stack, plan] of plans) {
        for (const file of [`${stack}.md`, `${stack}.summary.json`]) {
          try {
            cpSync(join(plan.workspace, ".plans", file), join(commentDir, ".plans", file));
          } catch {
            // A failed plan job uploads nothing; the comment job runs anyway (if: always()).
          }
        }
      }
      const comment = await step(
        commentDir,
        script("comment", "create or update one comment per stack"),
        {
          ...options.env,
          GITHUB_TOKEN: options.githubToken,
          GITHUB_API_URL: options.githubApi,
          PR: String(options.pr),
        },
        options.log,
      );
      return { matrix, plans, comment };
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * One workflow of .github/workflows run the way GitHub's runners run it, for the rehearsals
 * (rehearsal.ts: pull-request.yml; reviewed-apply.ts: apply-stack.yml): each job in a workspace of
 * its own (a worktree of a scratch repository at a commit, npm install done by linking), each `run:`
 * script with bash -e and pipefail, the GITHUB_* files and variables a step reads and writes.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO, run, type RunResult } from "./run";

interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly run?: string;
}
type Jobs = Record<string, { steps?: Step[] }>;

/** A step's result: the run, what it wrote to GITHUB_OUTPUT and to the run summary. */
export type StepResult = RunResult & { readonly outputs: Record<string, string>; readonly summary: string };

export class WorkflowRunner {
  private readonly jobs: Jobs;
  private workspaces = 0;

  /**
   * @param repo the scratch repository the workspaces check out
   * @param root where the workspaces go
   * @param workflow the file under .github/workflows
   */
  constructor(
    private readonly repo: string,
    private readonly root: string,
    private readonly workflow: string,
  ) {
    this.jobs = (parse(readFileSync(join(repo, ".github", "workflows", workflow), "utf8")) as { jobs: Jobs }).jobs;
  }

  /** The `run:` script of one step of a job, found by id or name. */
  script(job: string, key: string): string {
    const step = this.jobs[job]?.steps?.find((s) => s.id === key || s.name === key);
    if (!step?.run) throw new Error(`${this.workflow}: job ${job} has no step ${key} with a run: script`);
    return step.run;
  }

  /** A fresh runner workspace at `commit` (actions/checkout), npm install done (linked). */
  workspace(commit = "HEAD"): string {
    const dir = join(this.root, `runner-${++this.workspaces}`);
    execFileSync("git", ["-C", this.repo, "worktree", "add", "-q", "--detach", dir, commit], { stdio: "ignore" });
    symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
    return dir;
  }

  /** Runs one `run:` script in `cwd` the way the runner does. */
  async step(cwd: string, body: string, env: NodeJS.ProcessEnv, log: string): Promise<StepResult> {
    const output = join(cwd, ".github-output");
    const summary = join(cwd, ".github-summary");
    writeFileSync(output, "");
    writeFileSync(summary, "");
    const result = await run("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", body], {
      cwd,
      env: {
        ...env,
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_REPOSITORY: "acme/platform",
        CI: "true",
      },
      log,
    });
    const outputs = Object.fromEntries(
      readFileSync(output, "utf8")
        .split("\n")
        .filter((l) => l.includes("="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    return { ...result, outputs, summary: readFileSync(summary, "utf8") };
  }
}

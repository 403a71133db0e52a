import { validateWorkflow } from "@action-validator/core";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const dir = join(__dirname, "..", "..", ".github", "workflows");
const files = readdirSync(dir).filter((f) => f.endsWith(".yml"));
const text = (f: string) => readFileSync(join(dir, f), "utf8");
type Step = { id?: string; name?: string; if?: string; uses?: string; run?: string; with?: Record<string, unknown> };
type Job = {
  steps?: Step[];
  uses?: string;
  permissions?: Record<string, string>;
  environment?: string;
  needs?: string[] | string;
  strategy?: { matrix?: unknown };
};
const workflow = (f: string) =>
  parse(text(f)) as { on: unknown; permissions?: Record<string, string>; jobs: Record<string, Job> };

describe("GitHub workflows", () => {
  test("there are workflows for pull requests and for applying", () => {
    expect(files.sort()).toEqual(["apply-stack.yml", "apply.yml", "drift.yml", "pull-request.yml"]);
  });

  test.each(files)("%s passes the workflow schema (action-validator)", (f) => {
    const result = validateWorkflow(text(f));
    expect(result.errors).toEqual([]);
  });

  test.each(files)("%s pins every action to a full commit SHA with its version noted", (f) => {
    const uses = [...text(f).matchAll(/uses:\s*(\S+)(.*)$/gm)].map((m) => ({ ref: m[1], comment: m[2] }));
    expect(uses.length).toBeGreaterThan(0);
    for (const { ref, comment } of uses) {
      if (ref.startsWith("./")) continue;
      expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      expect(comment).toMatch(/# v\d+\.\d+\.\d+/);
    }
  });

  test.each(files)("%s grants read-only contents by default and writes only where a job needs it", (f) => {
    const wf = workflow(f);
    expect(wf.permissions).toEqual({ contents: "read" });
    for (const job of Object.values(wf.jobs)) {
      for (const [scope, level] of Object.entries(job.permissions ?? {})) {
        if (level === "write") expect(["id-token", "pull-requests", "issues"]).toContain(scope);
      }
    }
  });

  test("pull requests test, compute affected stacks, plan them in a matrix, then comment", () => {
    const jobs = workflow("pull-request.yml").jobs;
    expect(jobs.test.steps?.map((s) => s.run).filter(Boolean)).toEqual([
      "npm install --no-audit --no-fund",
      "npm test",
    ]);
    expect(jobs.affected.steps?.find((s) => s.id === "affected")?.run?.split("\n")).toEqual([
      'matrix=$(npm run --silent affected -- --base "$BASE" --json)',
      'echo "matrix=$matrix" >> "$GITHUB_OUTPUT"',
      'echo "any=$(echo "$matrix" | jq \'.stacks | length > 0\')" >> "$GITHUB_OUTPUT"',
      'npm run --silent affected -- --base "$BASE" >> "$GITHUB_STEP_SUMMARY"',
      "",
    ]);
    expect(
      jobs.plan.steps?.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"))?.with?.[
        "role-to-assume"
      ],
    ).toContain("AWS_PLAN_ROLE_ARN_");
    expect(jobs.plan.steps?.find((s) => s.run?.includes("npm run plan --"))?.run).toContain(
      "--mock-foundation=if-missing",
    );
    expect(jobs.comment.steps?.find((s) => s.run?.includes("pr-comments"))?.run).toBe(
      'npm run --silent pr-comments -- --repo "$GITHUB_REPOSITORY" --pr "$PR" --dir .plans',
    );
    expect(jobs.comment.needs).toEqual(["affected", "plan"]);
  });

  test("drift runs daily and on demand with the plan role, then keeps the issues", () => {
    const wf = workflow("drift.yml");
    expect(Object.keys(wf.on as object).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(
      wf.jobs.check.steps?.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"))?.with?.[
        "role-to-assume"
      ],
    ).toContain("AWS_PLAN_ROLE_ARN_");
    expect(wf.jobs.check.steps?.find((s) => s.run?.includes("npm run drift --"))?.run).toContain("|| [ $? -eq 2 ]");
    expect(wf.jobs.issues.permissions).toEqual({ contents: "read", issues: "write" });
    expect(wf.jobs.issues.steps?.find((s) => s.run?.includes("drift-issues"))?.run).toBe(
      'npm run --silent drift-issues -- --repo "$GITHUB_REPOSITORY" --dir .drift',
    );
  });

  test("main and tags apply in layer order with the apply role, behind each environment's GitHub environment", () => {
    const jobs = workflow("apply.yml").jobs;
    expect(jobs.foundation.needs).toEqual("affected");
    expect(jobs.modules.needs).toEqual(["affected", "foundation"]);
    // Bootstrap holds every stack's state: CI points an administrator at it and never applies it.
    expect(jobs.bootstrap.permissions).toBeUndefined();
    expect(jobs.bootstrap.uses).toBeUndefined();
    expect(jobs.bootstrap.steps?.map((s) => s.run).join("\n")).toContain(
      "an administrator runs: npm run bootstrap -- $env",
    );
    expect(text("apply-stack.yml")).not.toContain("npm run bootstrap");
    const apply = workflow("apply-stack.yml").jobs.apply;
    expect(apply.environment).toBe("${{ matrix.env }}");
    const steps = apply.steps ?? [];
    expect(
      steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"))?.with?.["role-to-assume"],
    ).toContain("AWS_APPLY_ROLE_ARN_");
    // After a module stack is applied, the platform writes the secret values it owes, with the apply role.
    const fill = steps.find((s) => s.run?.includes("npm run secrets-fill"));
    expect(fill).toMatchObject({ if: "matrix.layer == 'module'", run: 'npm run secrets-fill -- "$ENV_NAME" "$STACK"' });
    expect(steps.indexOf(fill!)).toBeGreaterThan(steps.findIndex((s) => s.name === "apply"));
    // Mock foundation outputs are for plans only.
    expect(text("apply-stack.yml")).not.toContain("--mock-foundation");
    expect(text("apply-stack.yml")).not.toContain("PLATFORM_MOCK_FOUNDATION");
  });

  test("every job runs the Node line CI tests besides the machine's (local/toolchain.versions), which package.json supports", () => {
    const pinned = /^NODE_CURRENT_VERSION=(\d+)\./m.exec(
      readFileSync(join(__dirname, "..", "..", "local", "toolchain.versions"), "utf8"),
    )![1];
    const versions = files.flatMap((f) =>
      Object.values(workflow(f).jobs).flatMap((job) =>
        (job.steps ?? [])
          .filter((s) => s.uses?.startsWith("actions/setup-node"))
          .map((s) => String(s.with?.["node-version"])),
      ),
    );
    expect(versions.length).toBeGreaterThan(5);
    expect(new Set(versions)).toEqual(new Set([pinned]));
    const engines = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")).engines.node;
    expect(engines).toBe("^20.19.0 || ^22.12.0 || ^24.0.0");
    expect(engines).toContain(`^${pinned}.`);
  });

  test("the apply job applies the plan its plan job saved, never a fresh one: plan in <env>-plan with the planner role, then approval", () => {
    const { plan, apply } = workflow("apply-stack.yml").jobs;
    expect(plan.environment).toBe("${{ matrix.env }}-plan");
    expect(apply.needs).toBe("plan");
    expect(plan.strategy?.matrix).toEqual(apply.strategy?.matrix);
    const role = (job: typeof plan) =>
      job.steps?.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"))?.with?.["role-to-assume"];
    expect(role(plan)).toContain("AWS_PLANNER_ROLE_ARN_");
    expect(plan.steps?.find((s) => s.name === "plan")?.run).toBe('npm run plan-save -- "$STACK"');
    expect(apply.steps?.find((s) => s.name === "apply")?.run).toBe('npm run plan-apply -- "$STACK"');
    // Nothing in the apply job plans or deploys on its own.
    const runs = (apply.steps ?? []).map((s) => s.run ?? "").join("\n");
    expect(runs).not.toMatch(/npm run (deploy|plan|plan-save)(\s|$)|--auto-approve/);
  });
});

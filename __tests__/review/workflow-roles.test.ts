import { readdirSync, readFileSync } from "node:fs";
import { platformInputs } from "../../packages";
import { join } from "node:path";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { loadEnvironments } from "../../environments";
import type { Environment } from "../../environments";
import { cloudEnvironments } from "../../review/affected";
import {
  checkWorkflowRoles,
  iamMatches,
  type RoleKind,
  type RoleTrust,
  triggersOf,
  trustOf,
  type Workflow,
} from "../../review/workflow-roles";
import { FoundationStack } from "../../stacks/foundation-stack";
import { resourcesOf, synthJson } from "../helpers";

const dir = join(__dirname, "..", "..", ".github", "workflows");
const readWorkflows = () =>
  new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith(".yml"))
      .map((f) => [f, parse(readFileSync(join(dir, f), "utf8")) as Workflow]),
  );
const envs = loadEnvironments(platformInputs({}), "");

/** The trust of each cloud environment's GitHub roles, read from its synthesized foundation. */
function trustPolicies(environments: Environment[] = envs) {
  const map = new Map<string, Record<RoleKind, RoleTrust>>();
  for (const env of cloudEnvironments(environments)) {
    const roles = Object.values(
      resourcesOf(synthJson(new FoundationStack(Testing.app(), { env, imageModules: [] })), "aws_iam_role"),
    );
    const find = (suffix: string) =>
      trustOf(String(roles.find((r) => String(r.name).endsWith(suffix))!.assume_role_policy));
    map.set(env.name, { plan: find("-github-plan"), planner: find("-github-planner"), apply: find("-github-apply") });
  }
  return map;
}
const trust = trustPolicies();

type Mutable = { jobs: Record<string, Record<string, unknown>> };

/** The workflows with one file changed by `edit`. */
function edited(file: string, edit: (wf: Mutable) => void) {
  const workflows = readWorkflows();
  const copy = structuredClone(workflows.get(file)!) as unknown as Mutable;
  edit(copy);
  workflows.set(file, copy as unknown as Workflow);
  return workflows;
}

describe("workflows against the roles they assume", () => {
  test("every job that asks for a token can assume its role for every trigger and environment it runs for", () => {
    const checked: string[] = [];
    expect(checkWorkflowRoles(readWorkflows(), envs, trust, (a) => checked.push(a))).toEqual([]);
    // What was checked: every token-requesting job, trigger and environment, with the subject GitHub sends.
    const repo = "repo:acme/platform";
    expect(checked.sort()).toEqual(
      [
        ...["foundation", "modules"].flatMap((layer) => [
          `apply.yml job "${layer}" > apply-stack.yml job "plan" on push of refs/heads/main: planner role of dev as ${repo}:environment:dev-plan`,
          `apply.yml job "${layer}" > apply-stack.yml job "plan" on push of refs/heads/main: planner role of staging as ${repo}:environment:staging-plan`,
          `apply.yml job "${layer}" > apply-stack.yml job "plan" on push of refs/tags/v1.0.0: planner role of prod as ${repo}:environment:prod-plan`,
          `apply.yml job "${layer}" > apply-stack.yml job "apply" on push of refs/heads/main: apply role of dev as ${repo}:environment:dev`,
          `apply.yml job "${layer}" > apply-stack.yml job "apply" on push of refs/heads/main: apply role of staging as ${repo}:environment:staging`,
          `apply.yml job "${layer}" > apply-stack.yml job "apply" on push of refs/tags/v1.0.0: apply role of prod as ${repo}:environment:prod`,
        ]),
        ...["dev", "staging", "prod"].flatMap((e) => [
          `drift.yml job "check" on schedule of refs/heads/main: plan role of ${e} as ${repo}:ref:refs/heads/main`,
          `drift.yml job "check" on workflow_dispatch of refs/heads/main: plan role of ${e} as ${repo}:ref:refs/heads/main`,
          `pull-request.yml job "plan" on pull_request of refs/pull/1/merge: plan role of ${e} as ${repo}:pull_request`,
        ]),
      ].sort(),
    );
  });

  test("GitHub's subject forms and the triggers the checks derive them from", () => {
    const apply = readWorkflows().get("apply.yml")!;
    expect(triggersOf(apply, "main")).toEqual([
      { event: "push", ref: "refs/heads/main" },
      { event: "push", ref: "refs/tags/v1.0.0" },
    ]);
    expect(triggersOf(readWorkflows().get("pull-request.yml")!, "main")).toEqual([
      { event: "pull_request", ref: "refs/pull/1/merge" },
    ]);
    expect(trust.get("prod")).toEqual({
      plan: {
        operator: "StringEquals",
        subjects: ["repo:acme/platform:pull_request", "repo:acme/platform:ref:refs/heads/main"],
      },
      planner: { operator: "StringEquals", subjects: ["repo:acme/platform:environment:prod-plan"] },
      apply: { operator: "StringEquals", subjects: ["repo:acme/platform:environment:prod"] },
    });
    expect(
      iamMatches("StringLike", "repo:acme/platform:ref:refs/tags/v*", "repo:acme/platform:ref:refs/tags/v1.0.0"),
    ).toBe(true);
    expect(
      iamMatches("StringEquals", "repo:acme/platform:ref:refs/tags/v*", "repo:acme/platform:ref:refs/tags/v1.0.0"),
    ).toBe(false);
  });

  test("an apply job outside its GitHub environment cannot assume the apply role", () => {
    const workflows = edited("apply-stack.yml", (wf) => delete wf.jobs.apply.environment);
    expect(checkWorkflowRoles(workflows, envs, trust)).toEqual(
      expect.arrayContaining([
        'apply.yml job "foundation" > apply-stack.yml job "apply" on push of refs/heads/main: cannot assume the apply role of dev: GitHub sends sub "repo:acme/platform:ref:refs/heads/main", the role admits StringEquals ["repo:acme/platform:environment:dev"]',
        'apply.yml job "foundation" > apply-stack.yml job "apply" on push of refs/tags/v1.0.0: cannot assume the apply role of prod: GitHub sends sub "repo:acme/platform:ref:refs/tags/v1.0.0", the role admits StringEquals ["repo:acme/platform:environment:prod"]',
      ]),
    );
  });

  test("a renamed GitHub environment is caught", () => {
    const workflows = edited("apply-stack.yml", (wf) => (wf.jobs.apply.environment = "deploy-${{ matrix.env }}"));
    expect(checkWorkflowRoles(workflows, envs, trust)).toContain(
      'apply.yml job "foundation" > apply-stack.yml job "apply" on push of refs/heads/main: cannot assume the apply role of staging: GitHub sends sub "repo:acme/platform:environment:deploy-staging", the role admits StringEquals ["repo:acme/platform:environment:staging"]',
    );
  });

  test("a pull request job that names an environment could reach a writing role", () => {
    const workflows = edited("pull-request.yml", (wf) => (wf.jobs.plan.environment = "${{ matrix.env }}"));
    const problems = checkWorkflowRoles(workflows, envs, trust);
    expect(problems).toContain(
      'pull-request.yml job "plan" on pull_request of refs/pull/1/merge: a pull request could assume the apply role of prod (sub "repo:acme/platform:environment:prod")',
    );
    // Nor may it save the plan an apply would apply.
    const planning = checkWorkflowRoles(
      edited("pull-request.yml", (wf) => (wf.jobs.plan.environment = "${{ matrix.env }}-plan")),
      envs,
      trust,
    );
    expect(planning).toContain(
      'pull-request.yml job "plan" on pull_request of refs/pull/1/merge: a pull request could assume the planner role of prod (sub "repo:acme/platform:environment:prod-plan")',
    );
    expect(planning).toContain(
      'pull-request.yml job "plan" on pull_request of refs/pull/1/merge: runs in GitHub environment prod-plan, whose deployment rule (github.deployRef refs/tags/v*) does not admit that ref',
    );
    expect(problems).toContain(
      'pull-request.yml job "plan" on pull_request of refs/pull/1/merge: cannot assume the plan role of dev: GitHub sends sub "repo:acme/platform:environment:dev", the role admits StringEquals ["repo:acme/platform:pull_request","repo:acme/platform:ref:refs/heads/main"]',
    );
  });

  test("roles trusting another repository are caught", () => {
    const moved = envs.map((e) => ({ ...e, github: { ...e.github, repository: "acme/other" } }));
    expect(checkWorkflowRoles(readWorkflows(), envs, trustPolicies(moved))).toContain(
      'pull-request.yml job "plan" on pull_request of refs/pull/1/merge: cannot assume the plan role of dev: GitHub sends sub "repo:acme/platform:pull_request", the role admits StringEquals ["repo:acme/other:pull_request","repo:acme/other:ref:refs/heads/main"]',
    );
  });

  test("prod's writing roles admit nothing but their own GitHub environment's subject", () => {
    const widened = new Map(trust);
    widened.set("prod", {
      ...trust.get("prod")!,
      apply: {
        operator: "StringLike",
        subjects: ["repo:acme/platform:environment:prod", "repo:acme/platform:ref:refs/tags/v*"],
      },
    });
    widened.set("prod", {
      ...widened.get("prod")!,
      planner: { operator: "StringEquals", subjects: ["repo:acme/platform:ref:refs/tags/v1.0.0"] },
    });
    expect(checkWorkflowRoles(readWorkflows(), envs, widened)).toEqual(
      expect.arrayContaining([
        'environment prod: its apply role must admit exactly "repo:acme/platform:environment:prod" (StringEquals), it admits StringLike ["repo:acme/platform:environment:prod","repo:acme/platform:ref:refs/tags/v*"]',
        'environment prod: its planner role must admit exactly "repo:acme/platform:environment:prod-plan" (StringEquals), it admits StringEquals ["repo:acme/platform:ref:refs/tags/v1.0.0"]',
      ]),
    );
  });

  test("a push to main that would deploy prod breaks prod's deployment rule", () => {
    const workflows = edited("apply.yml", (wf) => {
      const steps = wf.jobs.affected.steps as { id?: string; run?: string }[];
      const split = steps.find((s) => s.id === "split")!;
      split.run = split.run!.replace('--deploy-ref "$GITHUB_REF"', "--env dev,prod");
    });
    expect(checkWorkflowRoles(workflows, envs, trust)).toContain(
      'apply.yml job "foundation" > apply-stack.yml job "apply" on push of refs/heads/main: runs in GitHub environment prod, whose deployment rule (github.deployRef refs/tags/v*) does not admit that ref',
    );
  });

  test("a job whose role or matrix the checks cannot follow is reported, not passed", () => {
    const unknownRole = edited("apply-stack.yml", (wf) => {
      const steps = wf.jobs.apply.steps as { uses?: string; with?: Record<string, string> }[];
      steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"))!.with!["role-to-assume"] =
        "${{ vars.SOME_ROLE }}";
    });
    expect(checkWorkflowRoles(unknownRole, envs, trust)).toEqual(
      ["foundation", "modules"].map(
        (layer) =>
          `apply.yml job "${layer}" > apply-stack.yml job "apply": asks for an OIDC token but assumes no known role (role-to-assume from AWS_PLAN_ROLE_ARN_<env>, AWS_PLANNER_ROLE_ARN_<env> or AWS_APPLY_ROLE_ARN_<env>)`,
      ),
    );
    const untraced = edited(
      "pull-request.yml",
      (wf) => (wf.jobs.plan.strategy = { matrix: { stack: ["dev-foundation"], env: ["dev"] } }),
    );
    expect(checkWorkflowRoles(untraced, envs, trust)).toEqual([
      'pull-request.yml job "plan": its matrix does not come from an `npm run affected` or `npm run drift` command, so the environments it runs for are unknown',
    ]);
  });
});

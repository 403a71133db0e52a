/**
 * Checks the GitHub workflows against the IAM roles they assume, the way GitHub and AWS decide it:
 * for every job that asks for an OIDC token, the `sub` claim GitHub would send for each trigger and
 * environment, matched against the trust policy of the role the job names. Nothing here talks to
 * GitHub or AWS: the workflows are read from YAML, the trust policies from synthesized JSON.
 */
import { globMatches } from "../core/glob";
import { GITHUB_OIDC_ISSUER, githubSubject, planEnvironment } from "../core/github";
import { type CiEnvironment, cloudEnvironments, environmentsDeployedFrom } from "./affected";

/** The parts of a workflow file the checks read. */
export interface Workflow {
  readonly on?: unknown;
  readonly env?: Record<string, string>;
  readonly permissions?: Record<string, string> | string;
  readonly jobs: Record<string, WorkflowJob>;
}

export interface WorkflowJob {
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly needs?: string | string[];
  readonly environment?: string | { readonly name: string };
  readonly permissions?: Record<string, string> | string;
  readonly strategy?: { readonly matrix?: unknown };
  readonly steps?: readonly {
    readonly id?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, unknown>;
  }[];
}

export type RoleKind = "plan" | "planner" | "apply";

/** The `sub` values a role's trust policy admits, and how it compares them. */
export interface RoleTrust {
  readonly operator: "StringEquals" | "StringLike";
  readonly subjects: readonly string[];
}

/** The trust of every role the workflows may assume, by environment and kind. */
export type TrustPolicies = ReadonlyMap<string, Readonly<Record<RoleKind, RoleTrust>>>;

export interface CheckEnvironment extends CiEnvironment {
  readonly github: { readonly repository: string; readonly defaultBranch: string; readonly deployRef: string };
}

/** One way a workflow starts: the event and the ref its jobs run on. */
export interface Trigger {
  readonly event: string;
  readonly ref: string;
}

const ROLE_VARIABLES: Record<string, RoleKind> = {
  AWS_PLAN_ROLE_ARN_: "plan",
  AWS_PLANNER_ROLE_ARN_: "planner",
  AWS_APPLY_ROLE_ARN_: "apply",
};

/**
 * The roles that may write: apply changes resources, planner saves the plan an apply applies. Each
 * must admit only the subject of its own GitHub environment, and no pull request may reach one.
 */
const WRITING: readonly { kind: Exclude<RoleKind, "plan">; githubEnvironment: (env: string) => string }[] = [
  { kind: "apply", githubEnvironment: (env) => env },
  { kind: "planner", githubEnvironment: planEnvironment },
];

/** IAM's string comparison: StringLike takes `*` (any run) and `?` (one character). */
export function iamMatches(operator: RoleTrust["operator"], pattern: string, value: string): boolean {
  if (operator === "StringEquals") return pattern === value;
  const regex = [...pattern]
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${regex}$`).test(value);
}

/**
 * Reads the GitHub OIDC trust of a role from its synthesized `assume_role_policy`: the statement
 * that allows sts:AssumeRoleWithWebIdentity, its `sub` condition and operator.
 */
export function trustOf(assumeRolePolicy: string): RoleTrust {
  const doc = JSON.parse(assumeRolePolicy) as {
    Statement: { Effect: string; Action: string | string[]; Condition?: Record<string, Record<string, unknown>> }[];
  };
  const statements = doc.Statement.filter(
    (s) => s.Effect === "Allow" && [s.Action].flat().includes("sts:AssumeRoleWithWebIdentity"),
  );
  if (statements.length !== 1)
    throw new Error(`expected one web-identity statement in the trust policy, found ${statements.length}`);
  const key = `${GITHUB_OIDC_ISSUER}:sub`;
  const found = Object.entries(statements[0].Condition ?? {}).filter(([, conditions]) => key in conditions);
  if (found.length !== 1) throw new Error(`the trust policy must name ${key} under exactly one operator`);
  const [operator, conditions] = found[0];
  if (operator !== "StringEquals" && operator !== "StringLike")
    throw new Error(`unsupported operator ${operator} on ${key}`);
  return { operator, subjects: [conditions[key]].flat() as string[] };
}

/** The refs each trigger of a workflow runs on; globs in branch or tag filters get a sample name. */
export function triggersOf(workflow: Workflow, defaultBranch: string): Trigger[] {
  const on = workflow.on;
  const events: Record<string, unknown> =
    typeof on === "string"
      ? { [on]: null }
      : Array.isArray(on)
        ? Object.fromEntries(on.map((e) => [e, null]))
        : ((on ?? {}) as Record<string, unknown>);
  const sample = (pattern: string) => pattern.replace(/\*+/g, "1.0.0");
  const triggers: Trigger[] = [];
  for (const [event, filters] of Object.entries(events)) {
    const f = (filters ?? {}) as { branches?: string[]; tags?: string[] };
    if (event === "pull_request" || event === "pull_request_target") triggers.push({ event, ref: "refs/pull/1/merge" });
    else if (event === "push") {
      for (const b of f.branches ?? (f.tags ? [] : [defaultBranch]))
        triggers.push({ event, ref: `refs/heads/${sample(b)}` });
      for (const t of f.tags ?? []) triggers.push({ event, ref: `refs/tags/${sample(t)}` });
    } else if (event === "schedule" || event === "workflow_dispatch")
      triggers.push({ event, ref: `refs/heads/${defaultBranch}` });
  }
  return triggers;
}

const requestsToken = (permissions: WorkflowJob["permissions"]) =>
  permissions === "write-all" || (typeof permissions === "object" && permissions["id-token"] === "write");

/** The role a job assumes, from the repository variable its configure-aws-credentials step reads. */
function roleOf(job: WorkflowJob): RoleKind | undefined {
  const step = (job.steps ?? []).find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
  const expression = String(step?.with?.["role-to-assume"] ?? "");
  return Object.entries(ROLE_VARIABLES).find(([prefix]) => expression.includes(prefix))?.[1];
}

/**
 * The environments whose stacks a job works on, from the `npm run affected` (or `npm run drift`)
 * command that produced its matrix: `--env a,b`, `--deploy-ref "$GITHUB_REF"`, or every cloud
 * environment. Undefined when the job's matrix cannot be traced to such a command.
 */
function environmentsOf<E extends CheckEnvironment>(
  command: string | undefined,
  envs: readonly E[],
  trigger: Trigger,
): E[] | undefined {
  if (!command) return undefined;
  const list = /--env[= ]"?([a-z0-9,]+)"?/.exec(command);
  if (list) return envs.filter((e) => list[1].split(",").includes(e.name));
  if (/--deploy-ref[= ]"?\$\{?GITHUB_REF\}?"?/.test(command)) return environmentsDeployedFrom(envs, trigger.ref);
  return cloudEnvironments(envs);
}

/** The command line that selects stacks in a job: `npm run ... affected` or `npm run ... drift`. */
function selectionCommand(job: WorkflowJob | undefined): string | undefined {
  for (const step of job?.steps ?? []) {
    const line = (step.run ?? "").split("\n").find((l) => /npm run (--silent )?(affected|drift)\b/.test(l));
    if (line) return line;
  }
  return undefined;
}

interface Scope {
  readonly file: string;
  readonly workflow: Workflow;
  /** How the workflow was reached: `apply.yml job "modules" > ` for a called one, else empty. */
  readonly via: string;
  /** For a called workflow: its caller's job and workflow, to trace `inputs.*` back. */
  readonly caller?: { readonly job: WorkflowJob; readonly scope: Scope };
}

/** Follows a job's matrix (`fromJSON(needs.x.outputs.y)` or `fromJSON(inputs.z)`) to the job that computed it. */
function matrixSource(job: WorkflowJob, scope: Scope): WorkflowJob | undefined {
  const matrix = String(job.strategy?.matrix ?? "");
  const fromNeeds = /needs\.([\w-]+)\.outputs/.exec(matrix);
  if (fromNeeds) return scope.workflow.jobs[fromNeeds[1]];
  const fromInput = /inputs\.([\w-]+)/.exec(matrix);
  if (fromInput && scope.caller) {
    const passed = String(scope.caller.job.with?.[fromInput[1]] ?? "");
    const upstream = /needs\.([\w-]+)\.outputs/.exec(passed);
    if (upstream) return scope.caller.scope.workflow.jobs[upstream[1]];
  }
  return undefined;
}

/** The GitHub environment a job runs in, for the platform environment `env` of its matrix. */
function githubEnvironmentOf(job: WorkflowJob, env: string): string | undefined {
  const value = typeof job.environment === "object" ? job.environment.name : job.environment;
  if (value === undefined) return undefined;
  return value.replace(/\$\{\{\s*matrix\.env\s*\}\}/g, env);
}

/**
 * Every problem the checks find; empty when each job can assume the role it uses for every trigger
 * and environment it runs for, no pull request can reach a writing role, and each environment's
 * writing role admits nothing but the subject of its own GitHub environment.
 */
export function checkWorkflowRoles<E extends CheckEnvironment>(
  workflows: ReadonlyMap<string, Workflow>,
  envs: readonly E[],
  trust: TrustPolicies,
  /** Told every assumption checked: `<file> job "<name>" on <event> of <ref>: <kind> role of <env> as <sub>`. */
  checked: (assumption: string) => void = () => undefined,
): string[] {
  const problems: string[] = [];
  const cloud = cloudEnvironments(envs);
  const repository = cloud[0]?.github.repository ?? "";
  const defaultBranch = cloud[0]?.github.defaultBranch ?? "main";
  const admits = (role: RoleTrust, sub: string) => role.subjects.some((p) => iamMatches(role.operator, p, sub));

  for (const env of cloud) {
    const roles = trust.get(env.name);
    if (!roles) {
      problems.push(`environment ${env.name}: no trust policies were given for its roles`);
      continue;
    }
    for (const { kind, githubEnvironment } of WRITING) {
      const own = githubSubject.environment(env.github.repository, githubEnvironment(env.name));
      const role = roles[kind];
      if (role.operator !== "StringEquals" || role.subjects.length !== 1 || role.subjects[0] !== own) {
        problems.push(
          `environment ${env.name}: its ${kind} role must admit exactly "${own}" (StringEquals), it admits ${role.operator} ${JSON.stringify(role.subjects)}`,
        );
      }
    }
  }

  const visit = (scope: Scope, triggers: readonly Trigger[]) => {
    for (const [name, job] of Object.entries(scope.workflow.jobs)) {
      const where = `${scope.via}${scope.file} job "${name}"`;
      if (job.uses?.startsWith("./.github/workflows/")) {
        const file = job.uses.slice("./.github/workflows/".length);
        const called = workflows.get(file);
        if (!called) problems.push(`${where}: calls ${job.uses}, which does not exist`);
        else visit({ file, workflow: called, via: `${where} > `, caller: { job, scope } }, triggers);
        continue;
      }
      if (!requestsToken(job.permissions ?? scope.workflow.permissions)) continue;
      const kind = roleOf(job);
      if (!kind) {
        problems.push(
          `${where}: asks for an OIDC token but assumes no known role (role-to-assume from AWS_PLAN_ROLE_ARN_<env>, AWS_PLANNER_ROLE_ARN_<env> or AWS_APPLY_ROLE_ARN_<env>)`,
        );
        continue;
      }
      const command = selectionCommand(matrixSource(job, scope));
      for (const trigger of triggers) {
        const targets = environmentsOf(command, envs, trigger);
        if (!targets) {
          problems.push(
            `${where}: its matrix does not come from an \`npm run affected\` or \`npm run drift\` command, so the environments it runs for are unknown`,
          );
          break;
        }
        for (const env of targets) {
          const githubEnv = githubEnvironmentOf(job, env.name);
          const sub = githubEnv
            ? githubSubject.environment(repository, githubEnv)
            : trigger.event.startsWith("pull_request")
              ? githubSubject.pullRequest(repository)
              : githubSubject.ref(repository, trigger.ref);
          const on = `on ${trigger.event} of ${trigger.ref}`;
          if (githubEnv) {
            // <env>-plan has the deployment rule of <env> (README, Setting up GitHub).
            const ruled = envs.find((e) => e.name === githubEnv || planEnvironment(e.name) === githubEnv);
            if (ruled && !globMatches(ruled.github.deployRef, trigger.ref)) {
              problems.push(
                `${where} ${on}: runs in GitHub environment ${githubEnv}, whose deployment rule (github.deployRef ${ruled.github.deployRef}) does not admit that ref`,
              );
            }
          }
          checked(`${where} ${on}: ${kind} role of ${env.name} as ${sub}`);
          const role = trust.get(env.name)?.[kind];
          if (role && !admits(role, sub)) {
            problems.push(
              `${where} ${on}: cannot assume the ${kind} role of ${env.name}: GitHub sends sub "${sub}", the role admits ${role.operator} ${JSON.stringify(role.subjects)}`,
            );
          }
          if (trigger.event.startsWith("pull_request")) {
            for (const [other, roles] of trust) {
              for (const { kind: writing } of WRITING) {
                if (admits(roles[writing], sub))
                  problems.push(
                    `${where} ${on}: a pull request could assume the ${writing} role of ${other} (sub "${sub}")`,
                  );
              }
            }
          }
        }
      }
    }
  };

  for (const [file, workflow] of workflows) {
    const triggers = triggersOf(workflow, defaultBranch);
    if (triggers.length > 0) visit({ file, workflow, via: "" }, triggers);
  }
  return [...new Set(problems)];
}

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { driftExitCode, driftOf, renderDrift, type StackDrift } from "../../review/drift";
import { driftIssueContent, syncDriftIssues } from "../../review/drift-issues";
import type { PlanJson } from "../../review/plan-summary";
import { type GithubStub, startGithubStub } from "../github-stub";

/**
 * A real OpenTofu plan (refresh on, `show -json`) of a configuration applied against the emulator and
 * then changed on both sides: in the cloud, a queue's visibility timeout raised, a queue deleted and a
 * SecureString parameter overwritten; in the code, a new queue and a shorter retention on the first
 * queue. An S3 bucket with a separate versioning resource adds the refresh noise every such bucket has.
 */
const plan = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "drift-plan.json"), "utf8")) as PlanJson;

describe("drift reports", () => {
  const report = driftOf("dev-file-processing", "dev", plan);

  test("reports every resource changed or deleted outside Terraform, attribute by attribute, sensitive values masked", () => {
    expect(report.status).toBe("drift");
    expect(report.drifted).toEqual([
      { address: "aws_sqs_queue.gone", type: "aws_sqs_queue", action: "delete", attributes: [] },
      {
        address: "aws_sqs_queue.q",
        type: "aws_sqs_queue",
        action: "update",
        attributes: ["~ visibility_timeout_seconds: 60 -> 300"],
      },
      {
        address: "aws_ssm_parameter.token",
        type: "aws_ssm_parameter",
        action: "update",
        attributes: ["~ value: (sensitive value) -> (sensitive value)", "~ version: 1 -> 2"],
      },
    ]);
    expect(JSON.stringify(report)).not.toMatch(/changed-in-console|fixture-sensitive/);
  });

  test("refresh differences in attributes the code does not set are not drift", () => {
    expect(report.refreshOnly).toEqual(["aws_s3_bucket.b"]);
    expect(renderDrift([report])).toContain(
      "Refresh also found changes in attributes the code does not set (not drift, an apply leaves them): `aws_s3_bucket.b`",
    );
  });

  test("tells drift (the cloud changed) from pending changes (the code changed), also on one resource", () => {
    expect(report.pending).toEqual([
      { address: "aws_sqs_queue.new", action: "create" },
      { address: "aws_sqs_queue.q", action: "update" },
    ]);
    const markdown = renderDrift([report]);
    expect(markdown).toContain("### `dev-file-processing`: drift: changed outside Terraform");
    expect(markdown).toContain("| `aws_sqs_queue.gone` | 🗑️ deleted |");
    expect(markdown).toContain("~ visibility_timeout_seconds: 60 -> 300");
    expect(markdown).toContain(
      "Pending (the code changed, not applied yet; not drift): `aws_sqs_queue.new` (create), `aws_sqs_queue.q` (update)",
    );
    expect(markdown).toContain("`npm run deploy -- dev-file-processing` puts it back");
  });

  test("no drift, a stack never deployed, and a stack that could not be checked each say so; the exit code follows", () => {
    const clean = driftOf("dev-data-pipeline", "dev", { resource_drift: [], resource_changes: [] });
    const never: StackDrift = {
      stack: "dev-order-tracking",
      env: "dev",
      status: "not-deployed",
      drifted: [],
      pending: [],
    };
    const broken: StackDrift = {
      stack: "dev-foundation",
      env: "dev",
      status: "error",
      drifted: [],
      pending: [],
      error: "cannot read the state object: access denied",
    };
    expect(clean.status).toBe("in-sync");
    expect(renderDrift([clean, never])).toContain(
      "### `dev-order-tracking`: not deployed (no state yet), nothing to compare",
    );
    expect(renderDrift([clean, never, broken])).toContain(
      "0 of 3 stack(s) drifted, 1 could not be checked, 1 not deployed.",
    );
    expect(driftExitCode([clean, never])).toBe(0);
    expect(driftExitCode([clean, report])).toBe(2);
    expect(driftExitCode([report, broken])).toBe(1);
  });

  /**
   * A real OpenTofu plan (provider source addresses left out) of queues, a role and two role policies
   * applied against the emulator, then: a queue that one policy names deleted by hand; in the code, the
   * role's description changed and the other policy moved to a new queue.
   */
  const recreate = driftOf(
    "dev-data-pipeline",
    "dev",
    JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "drift-recreate-plan.json"), "utf8")) as PlanJson,
  );

  test("what refers to a resource the drift deleted follows from the drift: neither drift nor pending", () => {
    expect(recreate.drifted.map((d) => [d.address, d.action])).toEqual([["aws_sqs_queue.gone", "delete"]]);
    // The policy naming the deleted queue's ARN changes only because the apply creates the queue again.
    expect(recreate.followsFromDrift).toEqual(["aws_iam_role_policy.reads"]);
    // A code change stays pending, known (the description) or not (the policy naming a new queue).
    expect(recreate.pending).toEqual([
      { address: "aws_iam_role.r", action: "update" },
      { address: "aws_iam_role_policy.other", action: "update" },
      { address: "aws_sqs_queue.new", action: "create" },
    ]);
    expect(renderDrift([recreate])).toContain(
      "The re-apply also updates what refers to a resource it creates again (not drift, not pending): `aws_iam_role_policy.reads`",
    );
    expect(report.followsFromDrift).toBeUndefined();
  });
});

describe("one drift issue per environment", () => {
  let gh: GithubStub;
  const target = () => ({ api: gh.url, repo: "acme/platform", token: "t" });
  beforeEach(async () => (gh = await startGithubStub("acme/platform", "t")));
  afterEach(() => gh.close());

  const drifted = driftOf("dev-file-processing", "dev", plan);
  const clean = driftOf("dev-file-processing", "dev", { resource_drift: [], resource_changes: [] });
  const prodClean = driftOf("prod-file-processing", "prod", { resource_drift: [], resource_changes: [] });

  test("created on the first drift, updated in place, closed when the drift is gone, reopened when it returns", async () => {
    expect(await syncDriftIssues(target(), [drifted, prodClean])).toEqual([
      { env: "dev", action: "created", issue: 1 },
      { env: "prod", action: "none", issue: undefined },
    ]);
    const issue = gh.issues.get(1)!;
    expect(issue).toMatchObject({
      title: "Drift in dev: 1 stack changed outside Terraform",
      state: "open",
      labels: ["drift"],
    });
    expect(issue.body.startsWith("<!-- cdktf-drift:dev -->\n## Drift in dev")).toBe(true);

    expect(await syncDriftIssues(target(), [drifted])).toEqual([{ env: "dev", action: "unchanged", issue: 1 }]);
    const more = driftOf("dev-data-pipeline", "dev", plan);
    expect(await syncDriftIssues(target(), [drifted, more])).toEqual([{ env: "dev", action: "updated", issue: 1 }]);
    expect(gh.issues.get(1)!.title).toBe("Drift in dev: 2 stacks changed outside Terraform");

    expect(await syncDriftIssues(target(), [clean])).toEqual([{ env: "dev", action: "closed", issue: 1 }]);
    expect(gh.issues.get(1)!.state).toBe("closed");
    expect(await syncDriftIssues(target(), [clean])).toEqual([{ env: "dev", action: "none", issue: 1 }]);

    expect(await syncDriftIssues(target(), [drifted])).toEqual([{ env: "dev", action: "reopened", issue: 1 }]);
    expect(gh.issues.size).toBe(1);
    expect(gh.calls.filter((c) => c === "POST /repos/acme/platform/issues")).toHaveLength(1);
  });

  test("a report too long for one issue continues in marked comments, without breaking its Markdown", () => {
    const many = driftOf("dev-file-processing", "dev", {
      resource_drift: Array.from({ length: 300 }, (_, i) => ({
        address: `aws_sqs_queue.q${i}`,
        type: "aws_sqs_queue",
        change: {
          actions: ["update"],
          before: { visibility_timeout_seconds: 60 },
          after: { visibility_timeout_seconds: 300 + i },
        },
      })),
      resource_changes: Array.from({ length: 300 }, (_, i) => ({
        address: `aws_sqs_queue.q${i}`,
        type: "aws_sqs_queue",
        change: {
          actions: ["update"],
          before: { visibility_timeout_seconds: 300 + i },
          after: { visibility_timeout_seconds: 60 },
        },
      })),
    });
    const { body, rest } = driftIssueContent("dev", [many], 4000);
    expect(body.length).toBeLessThanOrEqual(4000);
    expect(rest.length).toBeGreaterThan(1);
    for (const part of [body, ...rest]) expect((part.match(/^```/gm) ?? []).length % 2).toBe(0);
  });

  test("issues of other environments and issues without the marker are left alone", async () => {
    gh.issues.set(50, {
      number: 50,
      title: "Drift?",
      body: "someone asked about drift",
      state: "open",
      labels: ["drift"],
    });
    await syncDriftIssues(target(), [drifted]);
    expect(gh.issues.get(50)).toMatchObject({ body: "someone asked about drift", state: "open" });
    expect(gh.issues.size).toBe(2);
  });
});

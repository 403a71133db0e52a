import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { App, TerraformStack } from "cdktf";
import {
  type CheckovFinding,
  type CheckovScan,
  checkCheckovSuppressions,
  checkovExecutable,
  checkovFindings,
  checkovReadable,
  describeTriage,
  pinnedCheckovVersion,
  scanWithCheckov,
  triageCheckov,
} from "../../policies/checkov";
import { CHECKOV_SUPPRESSIONS } from "../../policies/checkov-suppressions";
import { thrownMessage } from "../helpers";

const repo = join(__dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "checkov-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A stack directory as cdktf writes it, holding the given resources. */
function stackDir(root: string, stack: string, resource: Record<string, Record<string, unknown>>): void {
  mkdirSync(join(root, stack), { recursive: true });
  writeFileSync(join(root, stack, "cdk.tf.json"), JSON.stringify({ resource }));
}

describe("Checkov report handling", () => {
  const root = join(scratch, "fixture");
  stackDir(root, "dev-foundation", {
    aws_s3_bucket: {
      logs_bucket_5A22438C: { "//": { metadata: { path: "dev-foundation/logs/bucket" } }, bucket: "x" },
    },
    aws_cloudwatch_log_group: {
      "platform-logs": { "//": { metadata: { path: "dev-foundation/platform-logs" } }, name: "y" },
    },
  });
  const report = {
    check_type: "terraform_json",
    results: {
      failed_checks: [
        {
          check_id: "CKV_AWS_18",
          check_name: "access logging",
          file_path: "/dev-foundation/cdk.tf.json",
          resource: "aws_s3_bucket.logs_bucket_5A22438C",
        },
        // Checkov names resources it checks one by one `resource.<logical id>`.
        {
          check_id: "CKV_AWS_338",
          check_name: "log retention",
          file_path: "/dev-foundation/cdk.tf.json",
          resource: "resource.platform-logs",
        },
      ],
    },
    summary: { passed: 3, failed: 2, checkov_version: "test" },
  };

  test("findings resolve to stack, Terraform address and construct path, whichever way Checkov names them", () => {
    expect(checkovFindings(report, root)).toEqual([
      {
        check: "CKV_AWS_18",
        name: "access logging",
        stack: "dev-foundation",
        address: "aws_s3_bucket.logs_bucket_5A22438C",
        path: "dev-foundation/logs/bucket",
      },
      {
        check: "CKV_AWS_338",
        name: "log retention",
        stack: "dev-foundation",
        address: "aws_cloudwatch_log_group.platform-logs",
        path: "dev-foundation/platform-logs",
      },
    ]);
  });

  test("a suppression covers only its check on matching paths; unmatched findings fail, unused entries are named", () => {
    const findings = checkovFindings(report, root);
    const triage = triageCheckov(findings, [
      { check: "CKV_AWS_18", path: "*-foundation/logs/bucket", reason: "log target" },
      { check: "CKV_AWS_338", path: "prod-*", reason: "does not match dev" },
    ]);
    expect(triage.suppressed.map((f) => f.check)).toEqual(["CKV_AWS_18"]);
    expect(triage.failing.map((f) => `${f.check} ${f.path}`)).toEqual(["CKV_AWS_338 dev-foundation/platform-logs"]);
    expect(triage.unused.map((s) => s.path)).toEqual(["prod-*"]);
    const message = describeTriage(triage);
    expect(message).toContain(
      "CKV_AWS_338 log retention\n      dev-foundation/platform-logs (dev-foundation: aws_cloudwatch_log_group.platform-logs)",
    );
    expect(message).toContain("policies/checkov-suppressions.ts");
    expect(message).toContain('suppression CKV_AWS_338 on "prod-*" matches no failed check');
  });

  test("a finding on a resource the stack does not hold is an error, not a silent pass", () => {
    const broken = {
      results: { failed_checks: [{ ...report.results.failed_checks[0], resource: "aws_s3_bucket.gone" }] },
    };
    expect(thrownMessage(() => checkovFindings(broken, root))).toContain(
      "CKV_AWS_18 on aws_s3_bucket.gone in dev-foundation",
    );
  });

  test("suppressions need a check id, a path and a reason, once each", () => {
    const message = thrownMessage(() =>
      checkCheckovSuppressions([
        { check: "S3-REPLICATION", path: "*", reason: "x" },
        { check: "CKV_AWS_18", path: "", reason: "x" },
        { check: "CKV_AWS_145", path: "*/bucket", reason: " " },
        { check: "CKV_AWS_145", path: "*/bucket", reason: "again" },
      ]),
    );
    expect(message).toContain('entry 1 (S3-REPLICATION on "*"): check must be a Checkov id');
    expect(message).toContain('entry 2 (CKV_AWS_18 on ""): path is required');
    expect(message).toContain('entry 3 (CKV_AWS_145 on "*/bucket"): reason is required');
    expect(message).toContain('entry 4 (CKV_AWS_145 on "*/bucket"): listed twice');
    expect(() => checkCheckovSuppressions(CHECKOV_SUPPRESSIONS)).not.toThrow();
  });
});

describe("Checkov over every synthesized stack", () => {
  const exe = checkovExecutable(pinnedCheckovVersion(repo));
  const UNSAFE = "unsafe";
  let scan: CheckovScan;
  let unsafeFindings: CheckovFinding[];

  beforeAll(async () => {
    // The platform as synth wrote it for this run (unit.setup.ts), copied so a stack can be added.
    const outdir = join(scratch, "platform");
    cpSync(join(process.env.PLATFORM_UNIT_SYNTH!, "stacks"), join(outdir, "stacks"), { recursive: true });
    // One more stack beside the platform's, with a bare bucket: proof that the scan can fail.
    const unsafe = new App({ outdir });
    const stack = new TerraformStack(unsafe, UNSAFE);
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new S3Bucket(stack, "bare", { bucket: "unsafe-bare" });
    unsafe.synth();
    const all = await scanWithCheckov(exe, join(outdir, "stacks"));
    scan = { ...all, findings: all.findings.filter((f) => f.stack !== UNSAFE) };
    unsafeFindings = all.findings.filter((f) => f.stack === UNSAFE);
  }, 180_000);

  test("a file Checkov cannot parse fails the scan, naming it; the stacks' required_version is no such file", async () => {
    const root = join(scratch, "unparsable");
    stackDir(root, "dev-broken", { aws_s3_bucket: "not a block" as unknown as Record<string, unknown> });
    const message = await scanWithCheckov(exe, root).then(
      () => "no error",
      (e: Error) => e.message,
    );
    expect(message).toBe(
      "checkov could not parse dev-broken/cdk.tf.json; their resources would go unchecked (run checkov on one of them to see why)",
    );
    const stack = { terraform: { required_version: ">= 1.11.0", backend: { s3: {} } }, resource: {} };
    expect(checkovReadable(stack)).toEqual({ terraform: { backend: { s3: {} } }, resource: {} });
  }, 60_000);

  test("runs the pinned version and checks every stack", () => {
    expect(scan.version).toBe(pinnedCheckovVersion(repo));
    expect(new Set(scan.findings.map((f) => f.stack)).size).toBeGreaterThan(10);
    expect(scan.passed).toBeGreaterThan(1000);
  });

  test("no failed check other than the documented suppressions, and no stale suppression", () => {
    const triage = triageCheckov(scan.findings, CHECKOV_SUPPRESSIONS);
    expect(describeTriage(triage)).toBe("");
    expect(triage.suppressed).toHaveLength(scan.findings.length);
  });

  test("what the checks found on the platform was fixed, not suppressed", () => {
    const failedChecks = new Set(scan.findings.map((f) => f.check));
    // Default security group closed, state key policy stated, RDS logs/insights/monitoring, HTTPS + WAF on the ALB.
    for (const fixed of [
      "CKV2_AWS_12",
      "CKV2_AWS_64",
      "CKV_AWS_353",
      "CKV_AWS_118",
      "CKV_AWS_129",
      "CKV2_AWS_30",
      "CKV_AWS_2",
      "CKV_AWS_103",
      "CKV2_AWS_20",
      "CKV2_AWS_28",
    ]) {
      expect({ check: fixed, failed: failedChecks.has(fixed) }).toEqual({ check: fixed, failed: false });
    }
    // Production keeps a year of logs and runs the database Multi-AZ with deletion protection.
    expect(
      scan.findings.filter(
        (f) =>
          f.stack.startsWith("prod-") && ["CKV_AWS_338", "CKV_AWS_157", "CKV_AWS_293", "CKV_AWS_150"].includes(f.check),
      ),
    ).toEqual([]);
  });

  test("an unsafe resource fails the scan", () => {
    const failing = triageCheckov(unsafeFindings, CHECKOV_SUPPRESSIONS).failing.map((f) => `${f.check} ${f.path}`);
    expect(failing).toEqual(expect.arrayContaining(["CKV_AWS_18 unsafe/bare", "CKV_AWS_145 unsafe/bare"]));
  });
});

import { platformCache } from "../core/cache";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { globMatches } from "../core/glob";
import { applySuppressions, checkSuppressionList } from "./suppression";

/** Permission for resources to fail one Checkov check, and why. */
export interface CheckovSuppression {
  /** Checkov check id, e.g. CKV_AWS_144. */
  readonly check: string;
  /** Construct path, exact or with `*` for any run of characters, e.g. `*-foundation/logs/bucket`. */
  readonly path: string;
  /** Why these resources may fail the check; required, shown in the README. */
  readonly reason: string;
}

/** One failed check on one resource of one synthesized stack. */
export interface CheckovFinding {
  readonly check: string;
  readonly name: string;
  readonly stack: string;
  /** Terraform address in the stack, `type.logical_id`. */
  readonly address: string;
  /** Construct path of the resource, the form suppressions use. */
  readonly path: string;
}

export interface CheckovTriage {
  /** Findings no suppression covers: these fail. */
  readonly failing: CheckovFinding[];
  readonly suppressed: CheckovFinding[];
  /** Suppressions that cover nothing: stale entries, which also fail. */
  readonly unused: CheckovSuppression[];
}

const CHECK_ID = /^CKV2?_[A-Z0-9]+_\d+$/;

/** Refuses entries without a valid check id, path or reason, and entries listed twice. */
export function checkCheckovSuppressions(suppressions: readonly CheckovSuppression[]): void {
  checkSuppressionList(
    "policies/checkov-suppressions.ts",
    "these resources may fail the check",
    suppressions.map((s) => ({ ...s, id: s.check })),
    (s) => (CHECK_ID.test(s.id ?? "") ? undefined : "check must be a Checkov id such as CKV_AWS_144 or CKV2_AWS_62"),
  );
}

interface FailedCheck {
  check_id: string;
  check_name: string;
  file_path: string;
  resource: string;
}

type StackResources = Record<string, Record<string, { "//"?: { metadata?: { path?: string } } }>>;

/**
 * Failed checks of a Checkov JSON report (`-o json`) over `<stacksDir>/<stack>/cdk.tf.json`, each
 * resolved to its stack, Terraform address and construct path. Checkov names some resources
 * `type.logical_id` and others `resource.logical_id`; both resolve through the stack's JSON.
 */
export function checkovFindings(report: unknown, stacksDir: string): CheckovFinding[] {
  const reports = (Array.isArray(report) ? report : [report]) as { results?: { failed_checks?: FailedCheck[] } }[];
  const stacks = new Map<string, StackResources>();
  const resourcesOf = (stack: string): StackResources => {
    if (!stacks.has(stack)) {
      const json = JSON.parse(readFileSync(join(stacksDir, stack, "cdk.tf.json"), "utf8")) as {
        resource?: StackResources;
      };
      stacks.set(stack, json.resource ?? {});
    }
    return stacks.get(stack)!;
  };
  return reports.flatMap((r) =>
    (r.results?.failed_checks ?? []).map((f) => {
      const stack = f.file_path.split("/").filter(Boolean)[0];
      const resources = resourcesOf(stack);
      const dot = f.resource.indexOf(".");
      const [prefix, logicalId] = [f.resource.slice(0, dot), f.resource.slice(dot + 1)];
      const type = prefix in resources ? prefix : Object.keys(resources).find((t) => logicalId in resources[t]);
      const path = type ? resources[type][logicalId]?.["//"]?.metadata?.path : undefined;
      if (!type || !path)
        throw new Error(
          `Checkov reported ${f.check_id} on ${f.resource} in ${stack}, which its cdk.tf.json does not hold`,
        );
      return { check: f.check_id, name: f.check_name, stack, address: `${type}.${logicalId}`, path };
    }),
  );
}

/** Splits findings into failing and suppressed, and names suppressions that matched nothing. */
export function triageCheckov(
  findings: readonly CheckovFinding[],
  suppressions: readonly CheckovSuppression[],
): CheckovTriage {
  const { open, suppressed, unused } = applySuppressions(
    findings,
    suppressions,
    (s, f) => s.check === f.check && globMatches(s.path, f.path),
  );
  return { failing: open, suppressed, unused };
}

/** What to print: failing findings with where to fix or suppress them, then stale suppressions. */
export function describeTriage(triage: CheckovTriage): string {
  const lines: string[] = [];
  for (const f of triage.failing) lines.push(`  - ${f.check} ${f.name}\n      ${f.path} (${f.stack}: ${f.address})`);
  if (triage.failing.length > 0) {
    lines.push(
      "  Fix the resource, or add an entry with the check id, construct path and reason to policies/checkov-suppressions.ts.",
    );
  }
  for (const s of triage.unused)
    lines.push(
      `  - suppression ${s.check} on "${s.path}" matches no failed check: remove it from policies/checkov-suppressions.ts`,
    );
  return lines.join("\n");
}

/** The Checkov executable: $PLATFORM_CHECKOV, else where local/checkov.sh installs it. */
export function checkovExecutable(version: string): string {
  const exe =
    process.env.PLATFORM_CHECKOV ||
    join(process.env.PLATFORM_CHECKOV_DIR || join(platformCache(), `checkov-${version}`), "bin", "checkov");
  if (!existsSync(exe))
    throw new Error(
      `Checkov ${version} is not installed at ${exe}: run bash local/checkov.sh (npm test does this first)`,
    );
  return exe;
}

/** The pinned Checkov version, from local/toolchain.versions. */
export function pinnedCheckovVersion(repo: string): string {
  const match = /^CHECKOV_VERSION=(\S+)$/m.exec(readFileSync(join(repo, "local", "toolchain.versions"), "utf8"));
  if (!match) throw new Error("local/toolchain.versions has no CHECKOV_VERSION line");
  return match[1];
}

export interface CheckovScan {
  readonly version: string;
  readonly passed: number;
  readonly failed: number;
  readonly findings: CheckovFinding[];
}

/**
 * A stack's JSON as Checkov 3.3's Terraform JSON parser can read it: that parser takes every member of
 * the `terraform` block for a nested block and fails the whole file on a plain value
 * (`required_version`), and it checks nothing there.
 */
export function checkovReadable(stack: Record<string, unknown>): Record<string, unknown> {
  const terraform = stack.terraform as Record<string, unknown> | undefined;
  if (!terraform) return stack;
  return {
    ...stack,
    terraform: Object.fromEntries(Object.entries(terraform).filter(([, v]) => typeof v === "object" && v !== null)),
  };
}

/**
 * Runs Checkov over every `<stack>/cdk.tf.json` under `stacksDir` (Terraform JSON framework), read
 * through `checkovReadable`. A file Checkov cannot parse fails the scan, naming it: its resources
 * would otherwise pass unchecked.
 */
export async function scanWithCheckov(exe: string, stacksDir: string): Promise<CheckovScan> {
  const readable = mkdtempSync(join(tmpdir(), "checkov-input-"));
  try {
    for (const stack of readdirSync(stacksDir)) {
      const file = join(stacksDir, stack, "cdk.tf.json");
      if (!existsSync(file)) continue;
      mkdirSync(join(readable, stack));
      writeFileSync(
        join(readable, stack, "cdk.tf.json"),
        JSON.stringify(checkovReadable(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>), null, 2),
      );
    }
    return await scanReadable(exe, readable);
  } finally {
    rmSync(readable, { recursive: true, force: true });
  }
}

async function scanReadable(exe: string, stacksDir: string): Promise<CheckovScan> {
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    // Exit code 1 only means "some check failed"; the JSON says which.
    execFile(
      exe,
      ["-d", stacksDir, "--framework", "terraform_json", "-o", "json", "--quiet", "--compact", "--skip-download"],
      { maxBuffer: 256 * 1024 * 1024, env: { ...process.env, BC_SKIP_MAPPING: "TRUE" } },
      (error, out, err) => {
        if (error && error.code !== 1) reject(new Error(`checkov failed (exit ${error.code}):\n${err}`));
        else resolve({ stdout: out, stderr: err });
      },
    );
  });
  type Report = {
    summary: { passed: number; failed: number; parsing_errors?: number; checkov_version: string };
  };
  const report = JSON.parse(stdout) as Report | Report[];
  const reports = Array.isArray(report) ? report : [report];
  if (reports.some((r) => (r.summary.parsing_errors ?? 0) > 0)) {
    // The report only counts them; Checkov's log names each file.
    const unparsed = [...stderr.matchAll(/Failed to parse template: (\S+)/g)].map((m) =>
      m[1].replace(`${stacksDir}/`, ""),
    );
    throw new Error(
      `checkov could not parse ${unparsed.join(", ") || "some files"}; their resources would go unchecked (run checkov on one of them to see why)`,
    );
  }
  const summaries = reports.map((r) => r.summary);
  return {
    version: summaries[0]?.checkov_version ?? "unknown",
    passed: summaries.reduce((n, s) => n + s.passed, 0),
    failed: summaries.reduce((n, s) => n + s.failed, 0),
    findings: checkovFindings(report, stacksDir),
  };
}

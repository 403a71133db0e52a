import { globMatches } from "../core/glob";
import { ConfigError } from "../core/errors";
import type { PolicyRule } from "./rule";

/** Permission for one resource (or a glob of them) to break one rule, and why. */
export interface Suppression {
  /** Rule id, e.g. ACME-DEL-1. */
  readonly id: string;
  /** Construct path, exact or with `*` for any run of characters (`/` included), e.g. `*-foundation/key`. */
  readonly path: string;
  /** Why this resource may break the rule; required, shown in the README. */
  readonly reason: string;
}

/** Findings split by a list of suppressions: those none covers, those covered, and entries that cover nothing. */
export function applySuppressions<F, S>(
  findings: readonly F[],
  suppressions: readonly S[],
  covers: (suppression: S, finding: F) => boolean,
): { open: F[]; suppressed: F[]; unused: S[] } {
  return {
    open: findings.filter((f) => !suppressions.some((s) => covers(s, f))),
    suppressed: findings.filter((f) => suppressions.some((s) => covers(s, f))),
    unused: suppressions.filter((s) => !findings.some((f) => covers(s, f))),
  };
}

/** Whether a suppression's path pattern covers a construct path. */
export function suppressionMatches(suppression: Pick<Suppression, "path">, path: string): boolean {
  return globMatches(suppression.path, path);
}

/** One line that names a suppression in messages. */
export function describeSuppression(s: Suppression): string {
  return `${s.id} on "${s.path}"`;
}

/**
 * Refuses entries without a reason, for rules that do not exist, without a path, or listed twice,
 * before any stack is synthesized.
 */
export function checkSuppressions(suppressions: readonly Suppression[], rules: readonly PolicyRule[]): void {
  const ids = rules.map((r) => r.id);
  checkSuppressionList("policies/suppressions.ts", "this resource may break the rule", suppressions, (s) =>
    ids.includes(s.id) ? undefined : `unknown rule id; known ids: ${ids.join(", ")}`,
  );
}

/**
 * The checks every suppression list shares: `badId` judges the entry's id; a path and a reason are
 * required; an id and path may appear once. Throws one ConfigError naming `file` and every bad entry.
 */
export function checkSuppressionList<T extends { readonly id: string; readonly path: string; readonly reason: string }>(
  file: string,
  reasonFor: string,
  entries: readonly T[],
  badId: (entry: T) => string | undefined,
): void {
  const seen = new Set<string>();
  const errors: string[] = [];
  entries.forEach((s, i) => {
    const entry = `entry ${i + 1} (${s.id} on "${s.path}")`;
    const idError = badId(s);
    if (idError) errors.push(`${entry}: ${idError}`);
    if (typeof s.path !== "string" || s.path.trim() === "")
      errors.push(`${entry}: path is required: the construct path it applies to`);
    if (typeof s.reason !== "string" || s.reason.trim() === "")
      errors.push(`${entry}: reason is required: say why ${reasonFor}`);
    const key = `${s.id} ${s.path}`;
    if (seen.has(key)) errors.push(`${entry}: listed twice`);
    seen.add(key);
  });
  if (errors.length > 0) throw new ConfigError(`${file} is invalid:\n${errors.map((e) => `  - ${e}`).join("\n")}`);
}

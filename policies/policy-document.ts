import { strings } from "./stack-config";

/** One statement of an IAM policy document. */
export type PolicyStatement = Readonly<Record<string, unknown>>;

/**
 * A policy argument: a JSON document (references inside strings are fine, `"${aws_s3_bucket.x.arn}"`),
 * a Terraform expression whose value is only known at apply time, or neither.
 */
export type ParsedPolicy =
  | { readonly kind: "document"; readonly statements: PolicyStatement[] }
  | { readonly kind: "expression" }
  | { readonly kind: "invalid" };

export function parsePolicy(value: unknown): ParsedPolicy {
  if (typeof value !== "string") return { kind: "expression" };
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch {
    return value.trim().startsWith("${") ? { kind: "expression" } : { kind: "invalid" };
  }
  if (typeof doc !== "object" || doc === null) return { kind: "invalid" };
  const raw = (doc as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return {
    kind: "document",
    statements: list.filter((s): s is PolicyStatement => typeof s === "object" && s !== null),
  };
}

/** The statement's label in messages: its Sid, else its position. */
export function statementLabel(statement: PolicyStatement, index: number): string {
  return typeof statement.Sid === "string" && statement.Sid ? `"${statement.Sid}"` : `#${index + 1}`;
}

/** Action, Resource or Principal values of a statement as a list (`"*"` and `{ AWS: "*" }` included). */
export function statementValues(value: unknown): string[] {
  if (typeof value === "object" && value !== null && !Array.isArray(value))
    return Object.values(value).flatMap(strings);
  return strings(value);
}

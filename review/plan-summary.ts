/**
 * Renders `tofu show -json <plan>` as a Markdown summary for pull-request review: counts per action,
 * destroys and replacements called out first, a table of resources by action, changed outputs, and
 * attribute diffs collapsed. Values the plan marks sensitive are never printed.
 */

type Action = "create" | "update" | "replace" | "destroy" | "read" | "no-op";

export interface Change {
  readonly actions: string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
  /** Attribute paths that force a replacement. */
  readonly replace_paths?: (string | number)[][];
}

export interface ResourceChange {
  readonly address: string;
  readonly mode?: string;
  readonly type: string;
  readonly change: Change;
  readonly action_reason?: string;
}

/** The subset of OpenTofu's JSON plan format this renderer reads. */
export interface PlanJson {
  readonly format_version?: string;
  readonly resource_changes?: ResourceChange[];
  /** Changes made outside Terraform that refresh found (a refresh-only plan reports only these). */
  readonly resource_drift?: ResourceChange[];
  readonly output_changes?: Record<string, Change>;
  readonly errored?: boolean;
  /** The configuration planned: per resource of the root module, its expressions and what they refer to. */
  readonly configuration?: { readonly root_module?: { readonly resources?: ConfiguredResource[] } };
}

export interface ConfiguredResource {
  readonly address: string;
  /** Argument expressions, nested as the blocks are; each may list the `references` it reads. */
  readonly expressions?: unknown;
}

export interface PlanSummary {
  readonly stack: string;
  readonly counts: Record<"create" | "update" | "replace" | "destroy", number>;
  readonly hasChanges: boolean;
  readonly markdown: string;
}

export const SENSITIVE = "(sensitive value)";
export const KNOWN_AFTER_APPLY = "(known after apply)";
/** Diffs longer than this many lines are collapsed behind a <details> toggle. */
const LONG_DIFF_LINES = 12;
const MAX_VALUE_LENGTH = 120;

export function actionOf(actions: string[]): Action {
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  if (actions.includes("create")) return "create";
  if (actions.includes("delete")) return "destroy";
  if (actions.includes("update")) return "update";
  if (actions.includes("read")) return "read";
  return "no-op";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Whether a mark structure (true, or nested objects/arrays of marks) marks this path or below it. */
function markedAt(marks: unknown, path: (string | number)[]): boolean {
  let node = marks;
  for (const key of path) {
    if (node === true) return true;
    if (Array.isArray(node) && typeof key === "number") node = node[key];
    else if (isObject(node)) node = node[String(key)];
    else return false;
  }
  return node === true || (node !== undefined && node !== false && containsTrue(node));
}

function containsTrue(marks: unknown): boolean {
  if (marks === true) return true;
  if (Array.isArray(marks)) return marks.some(containsTrue);
  if (isObject(marks)) return Object.values(marks).some(containsTrue);
  return false;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "object" && Object.keys(value).length === 0);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return "null";
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

/** Flattens a value to leaf paths: `tags.Name`, `rule[0].id`. */
function leaves(
  value: unknown,
  path: (string | number)[] = [],
  out = new Map<string, { path: (string | number)[]; value: unknown }>(),
) {
  if (Array.isArray(value) && value.length > 0) value.forEach((v, i) => leaves(v, [...path, i], out));
  else if (isObject(value) && Object.keys(value).length > 0)
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out);
  else out.set(pathText(path), { path, value });
  return out;
}

function pathText(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** Attribute-level diff lines of one change, sensitive values masked. */
export function attributeDiff(change: Change): string[] {
  const before = leaves(change.before ?? {});
  const after = leaves(change.after ?? {});
  const unknown = leaves(change.after_unknown ?? {});
  const replacing = change.actions.includes("delete") && change.actions.includes("create");
  const forcing = new Set((change.replace_paths ?? []).map((p) => pathText(p)));
  const keys = [
    ...new Set([
      ...before.keys(),
      ...after.keys(),
      ...[...unknown.entries()].filter(([, v]) => v.value === true).map(([k]) => k),
    ]),
  ].sort();
  const lines: string[] = [];
  for (const key of keys) {
    const b = before.get(key);
    const a = after.get(key);
    const path = (a ?? b ?? unknown.get(key))!.path;
    const afterUnknown = markedAt(change.after_unknown, path);
    const hadValue = !isEmpty(b?.value);
    const hasValue = !isEmpty(a?.value);
    // Compare the real values; masking happens only when printing. Empty and absent are the same.
    if (!afterUnknown && (hadValue || hasValue ? JSON.stringify(b?.value) === JSON.stringify(a?.value) : true))
      continue;
    // A replacement recomputes every attribute; only those that force it are worth a line.
    if (afterUnknown && replacing && !forcing.has(key)) continue;
    const beforeText = markedAt(change.before_sensitive, path) ? SENSITIVE : show(b?.value);
    const afterText = afterUnknown
      ? KNOWN_AFTER_APPLY
      : markedAt(change.after_sensitive, path)
        ? SENSITIVE
        : show(a?.value);
    if (!hadValue && (hasValue || afterUnknown)) lines.push(`+ ${key} = ${afterText}`);
    else if (hadValue && !hasValue && !afterUnknown) lines.push(`- ${key} = ${beforeText}`);
    else if (hadValue) lines.push(`~ ${key}: ${beforeText} -> ${afterText}`);
  }
  return lines;
}

function outputValue(change: Change, side: "before" | "after"): string {
  if (side === "after" && change.after_unknown === true) return KNOWN_AFTER_APPLY;
  const marks = side === "before" ? change.before_sensitive : change.after_sensitive;
  if (containsTrue(marks)) return SENSITIVE;
  const value = change[side];
  return value === undefined || value === null ? "—" : `\`${show(value).replace(/`/g, "'")}\``;
}

const ORDER: Action[] = ["destroy", "replace", "update", "create"];
const LABEL: Record<Action, string> = {
  destroy: "🗑️ destroy",
  replace: "♻️ replace",
  update: "✏️ update",
  create: "➕ create",
  read: "read",
  "no-op": "no-op",
};

/** Builds the Markdown summary of one stack's plan. */
export function summarizePlan(stack: string, plan: PlanJson): PlanSummary {
  const changes = (plan.resource_changes ?? [])
    .filter((r) => r.mode !== "data")
    .map((r) => ({ ...r, action: actionOf(r.change.actions) }))
    .filter((r) => ORDER.includes(r.action));
  const counts = { create: 0, update: 0, replace: 0, destroy: 0 };
  for (const r of changes) counts[r.action as keyof typeof counts]++;
  const outputs = Object.entries(plan.output_changes ?? {}).filter(([, c]) => actionOf(c.actions) !== "no-op");
  const hasChanges = changes.length > 0 || outputs.length > 0;

  const lines: string[] = [];
  const countText = `${counts.create} to create, ${counts.update} to update, ${counts.replace} to replace, ${counts.destroy} to destroy`;
  lines.push(`### \`${stack}\`: ${hasChanges ? countText : "no changes"}`);
  lines.push("");
  const dangerous = changes.filter((r) => r.action === "destroy" || r.action === "replace");
  if (dangerous.length > 0) {
    lines.push(`> [!CAUTION]`);
    lines.push(`> This plan destroys or replaces ${dangerous.length} resource${dangerous.length === 1 ? "" : "s"}:`);
    for (const r of dangerous)
      lines.push(
        `> - ${r.action === "destroy" ? "destroy" : "replace"} \`${r.address}\`${r.action_reason ? ` (${r.action_reason})` : ""}`,
      );
    lines.push("");
  }
  if (changes.length > 0) {
    lines.push("| action | resource | type |");
    lines.push("|---|---|---|");
    for (const action of ORDER) {
      for (const r of changes.filter((c) => c.action === action))
        lines.push(`| ${LABEL[action]} | \`${r.address}\` | \`${r.type}\` |`);
    }
    lines.push("");
  }
  if (outputs.length > 0) {
    lines.push("**Outputs**");
    lines.push("");
    lines.push("| output | action | before | after |");
    lines.push("|---|---|---|---|");
    for (const [name, c] of outputs)
      lines.push(`| \`${name}\` | ${actionOf(c.actions)} | ${outputValue(c, "before")} | ${outputValue(c, "after")} |`);
    lines.push("");
  }
  for (const r of changes.filter((c) => c.action === "update" || c.action === "replace")) {
    const diff = attributeDiff(r.change);
    if (diff.length === 0) continue;
    const block = ["```diff", ...diff, "```"];
    if (diff.length > LONG_DIFF_LINES) {
      lines.push(
        `<details><summary>\`${r.address}\`: ${diff.length} attributes change</summary>`,
        "",
        ...block,
        "",
        "</details>",
        "",
      );
    } else {
      lines.push(`\`${r.address}\``, "", ...block, "");
    }
  }
  return { stack, counts, hasChanges, markdown: lines.join("\n").trimEnd() + "\n" };
}

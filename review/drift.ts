/**
 * Drift reports: what changed in the cloud behind Terraform's back, told apart from what the code
 * would change, per stack, as Markdown for people and JSON for machines. Values the provider marks
 * sensitive are masked.
 */
import { actionOf, attributeDiff, KNOWN_AFTER_APPLY, type PlanJson } from "./plan-summary";

/** A resource changed or deleted outside Terraform. */
export interface DriftedResource {
  readonly address: string;
  readonly type: string;
  /** `update`: attributes differ from state; `delete`: the object is gone. */
  readonly action: "update" | "delete";
  /** Attribute lines, state value -> cloud value (`~ a: before -> after`, `- a = before`, `+ a = after`). */
  readonly attributes: string[];
}

/** A change the code asks for that is not applied yet. */
export interface PendingChange {
  readonly address: string;
  readonly action: string;
}

export type DriftStatus = "in-sync" | "drift" | "not-deployed" | "error";

export interface StackDrift {
  readonly stack: string;
  readonly env: string;
  readonly status: DriftStatus;
  readonly drifted: DriftedResource[];
  readonly pending: PendingChange[];
  /** Resources whose refresh changed only attributes the code does not set: not drift. */
  readonly refreshOnly?: string[];
  /**
   * Resources the re-apply changes only because they refer to one the drift deleted, which it creates
   * again (a policy naming a table's ARN): neither drift nor pending.
   */
  readonly followsFromDrift?: string[];
  /** Why the stack could not be checked (status `error`). */
  readonly error?: string;
}

/** The attribute path of one attributeDiff line (`~ a.b: x -> y`, `+ a = x`, `- a = x`). */
function pathOfLine(line: string): string {
  return /^[~+-] (.+?)(?:: | = )/.exec(line)?.[1] ?? line;
}

/** Per resource of the root module, the resources its configuration refers to. */
function referencesOf(plan: PlanJson): Map<string, Set<string>> {
  const resources = plan.configuration?.root_module?.resources ?? [];
  const addresses = new Set(resources.map((r) => r.address));
  const collect = (node: unknown, into: Set<string>): Set<string> => {
    if (Array.isArray(node)) node.forEach((n) => collect(n, into));
    else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        // A reference names the resource and, separately, each attribute read: keep the resources.
        if (key === "references" && Array.isArray(value))
          value.filter((v): v is string => addresses.has(v)).forEach((v) => into.add(v));
        else collect(value, into);
      }
    }
    return into;
  };
  return new Map(resources.map((r) => [r.address, collect(r.expressions, new Set())]));
}

/**
 * Reads drift and pending changes from one plan of a stack (refresh on, the lock not taken). Its
 * `resource_drift` is what the refresh found changed outside Terraform, the same list a refresh-only
 * plan reports; its `resource_changes` is what an apply would do. Drift is what both name: an
 * attribute that changed in the cloud and that the code sets, so a re-apply would put it back, or a
 * resource deleted outside Terraform. A refresh difference in an attribute the code does not set (an
 * S3 bucket's mirror of a versioning or logging resource, say) changes nothing on apply: it is
 * listed as `refreshOnly`, not as drift. Pending changes are what the apply would do that drift does
 * not explain: the code changed. A resource drift deleted is created again by the apply, with new
 * IDs and ARNs, so what refers to it is updated (or replaced) with values known only after apply:
 * that follows from the drift (`followsFromDrift`) and is not pending. A code change to the same
 * attribute in the same plan is unknown until the apply too, and cannot be told apart from it.
 * Data sources are read, never drifted: they are left out.
 */
export function driftOf(stack: string, env: string, plan: PlanJson): StackDrift {
  const managed = <T extends { mode?: string }>(list: readonly T[] | undefined) =>
    (list ?? []).filter((r) => r.mode !== "data");
  const planned = new Map(
    managed(plan.resource_changes)
      .filter((r) => !["no-op", "read"].includes(actionOf(r.change.actions)))
      .map((r) => {
        const lines = attributeDiff(r.change);
        const unknownOnly = lines.length > 0 && lines.every((l) => l.endsWith(KNOWN_AFTER_APPLY));
        return [
          r.address,
          { action: actionOf(r.change.actions) as string, paths: new Set(lines.map(pathOfLine)), unknownOnly },
        ];
      }),
  );
  const drifted: DriftedResource[] = [];
  const refreshOnly: string[] = [];
  const explained = new Map<string, Set<string>>();
  for (const r of managed(plan.resource_drift)) {
    const change = planned.get(r.address);
    if (actionOf(r.change.actions) === "destroy") {
      drifted.push({ address: r.address, type: r.type, action: "delete", attributes: [] });
      explained.set(r.address, change?.paths ?? new Set());
      continue;
    }
    const attributes = attributeDiff(r.change).filter((line) => change?.paths.has(pathOfLine(line)));
    if (attributes.length === 0) {
      refreshOnly.push(r.address);
      continue;
    }
    drifted.push({ address: r.address, type: r.type, action: "update", attributes });
    explained.set(r.address, new Set(attributes.map(pathOfLine)));
  }
  const followsFromDrift = consequences(planned, explained, referencesOf(plan), drifted);
  const pending = [...planned]
    .filter(([address, change]) => {
      const cause = explained.get(address);
      return !cause || (change.action === "update" && [...change.paths].some((p) => !cause.has(p)));
    })
    .map(([address, change]) => ({ address, action: change.action }));
  return {
    stack,
    env,
    status: drifted.length > 0 ? "drift" : "in-sync",
    drifted,
    pending,
    refreshOnly,
    ...(followsFromDrift.length > 0 ? { followsFromDrift } : {}),
  };
}

/**
 * The planned updates and replacements that follow from re-creating what the drift deleted: every
 * change known only after apply, in a resource referring to one being created again (a replacement
 * found so is created again too). Each is marked explained; their addresses are returned.
 */
function consequences(
  planned: Map<string, { action: string; paths: Set<string>; unknownOnly: boolean }>,
  explained: Map<string, Set<string>>,
  references: Map<string, Set<string>>,
  drifted: readonly DriftedResource[],
): string[] {
  // Configuration addresses carry no instance key (count, for_each).
  const configured = (address: string) => address.replace(/\[[^\]]*\]$/, "");
  const recreated = new Set(drifted.filter((d) => d.action === "delete").map((d) => configured(d.address)));
  const found: string[] = [];
  for (let grew = true; grew;) {
    grew = false;
    for (const [address, change] of planned) {
      if (explained.has(address) || !change.unknownOnly || !["update", "replace"].includes(change.action)) continue;
      if (![...(references.get(configured(address)) ?? [])].some((r) => recreated.has(r))) continue;
      explained.set(address, change.paths);
      found.push(address);
      if (change.action === "replace") recreated.add(configured(address));
      grew = true;
    }
  }
  return found.sort();
}

const STATUS_TEXT: Record<DriftStatus, string> = {
  drift: "drift: changed outside Terraform",
  "in-sync": "no drift",
  "not-deployed": "not deployed (no state yet), nothing to compare",
  error: "could not be checked",
};

/** Markdown of one stack's report. */
export function renderStackDrift(report: StackDrift): string {
  const lines = [`### \`${report.stack}\`: ${STATUS_TEXT[report.status]}`, ""];
  if (report.error) lines.push("```", report.error.trim(), "```", "");
  if (report.drifted.length > 0) {
    lines.push("| resource | changed outside Terraform |", "|---|---|");
    for (const r of report.drifted)
      lines.push(
        `| \`${r.address}\` | ${r.action === "delete" ? "🗑️ deleted" : `✏️ ${r.attributes.length} attribute${r.attributes.length === 1 ? "" : "s"}`} |`,
      );
    lines.push("");
    for (const r of report.drifted.filter((d) => d.attributes.length > 0)) {
      lines.push(`\`${r.address}\` (state -> cloud)`, "", "```diff", ...r.attributes, "```", "");
    }
    lines.push(
      "Drift means the cloud changed, not the code: `npm run deploy -- " +
        report.stack +
        "` puts it back as the code says; if the change outside Terraform was right, change the code to match instead.",
      "",
    );
  }
  if ((report.refreshOnly ?? []).length > 0) {
    lines.push(
      `Refresh also found changes in attributes the code does not set (not drift, an apply leaves them): ${report.refreshOnly!.map((a) => `\`${a}\``).join(", ")}`,
      "",
    );
  }
  if ((report.followsFromDrift ?? []).length > 0) {
    lines.push(
      `The re-apply also updates what refers to a resource it creates again (not drift, not pending): ${report.followsFromDrift!.map((a) => `\`${a}\``).join(", ")}`,
      "",
    );
  }
  if (report.pending.length > 0) {
    lines.push(
      `Pending (the code changed, not applied yet; not drift): ${report.pending.map((p) => `\`${p.address}\` (${p.action})`).join(", ")}`,
      "",
    );
  }
  return lines.join("\n");
}

/** Markdown of a whole run: a one-line verdict, then one block per stack in the order given. */
export function renderDrift(reports: readonly StackDrift[], title = "Drift report"): string {
  const count = (s: DriftStatus) => reports.filter((r) => r.status === s).length;
  const verdict = [
    `${count("drift")} of ${reports.length} stack(s) drifted`,
    count("error") > 0 ? `${count("error")} could not be checked` : "",
    count("not-deployed") > 0 ? `${count("not-deployed")} not deployed` : "",
  ]
    .filter(Boolean)
    .join(", ");
  return [`## ${title}`, "", `${verdict}.`, "", ...reports.map(renderStackDrift)].join("\n").trimEnd() + "\n";
}

/** The exit code of a run: 1 when a stack could not be checked, else 2 when any drifted, else 0. */
export function driftExitCode(reports: readonly StackDrift[]): number {
  if (reports.some((r) => r.status === "error")) return 1;
  return reports.some((r) => r.status === "drift") ? 2 : 0;
}

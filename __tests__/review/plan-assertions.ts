import { type PlanJson, SENSITIVE, summarizePlan } from "../../review/plan-summary";

/** What the summary of the fixture plan (create, update, replace, destroy, sensitive) must show. */
export function expectRenderedPlan(plan: PlanJson): void {
  const summary = summarizePlan("local-fixture", plan);
  expect(summary.counts).toEqual({ create: 1, update: 2, replace: 1, destroy: 1 });
  expect(summary.hasChanges).toBe(true);
  const md = summary.markdown;
  expect(md.split("\n")[0]).toBe("### `local-fixture`: 1 to create, 2 to update, 1 to replace, 1 to destroy");
  // Destroys and replacements come first, before the table.
  const caution = md.indexOf("> [!CAUTION]");
  expect(caution).toBeGreaterThan(0);
  expect(caution).toBeLessThan(md.indexOf("| action | resource | type |"));
  expect(md).toContain("> - destroy `aws_sqs_queue.destroyed`");
  expect(md).toMatch(/> - replace `aws_s3_bucket\.replaced`/);
  expect(md).toContain("| ➕ create | `aws_sqs_queue.created` | `aws_sqs_queue` |");
  expect(md).toContain("~ visibility_timeout_seconds: 30 -> 60");
  expect(md).toContain('~ bucket: "fx-replaced-a" -> "fx-replaced-b"');
  // Sensitive values: masked in the attribute diff and in the outputs, never printed.
  expect(md).not.toContain("fixture-sensitive");
  expect(md).toContain(`~ value: ${SENSITIVE} -> ${SENSITIVE}`);
  expect(md).toMatch(
    new RegExp(`\\| \`token\` \\| update \\| \\${SENSITIVE.slice(0, -1)}\\) \\| \\${SENSITIVE.slice(0, -1)}\\) \\|`),
  );
  expect(md).toMatch(/\| `queue_url` \| update \| `"http/);
}

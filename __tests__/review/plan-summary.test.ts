import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type PlanJson, SENSITIVE, summarizePlan } from "../../review/plan-summary";
import { expectRenderedPlan } from "./plan-assertions";

/** A real `tofu show -json` plan made against the emulator (see __tests__/e2e/plan-fixture.ts). */
const real = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "plan.json"), "utf8")) as PlanJson;

describe("plan summary", () => {
  test("renders a real OpenTofu plan: counts, destroy/replace first, table, diffs, outputs, secrets masked", () => {
    expectRenderedPlan(real);
  });

  test("a plan without changes says so in one line", () => {
    const none: PlanJson = {
      resource_changes: [{ address: "aws_sqs_queue.q", type: "aws_sqs_queue", change: { actions: ["no-op"] } }],
    };
    const summary = summarizePlan("dev-x", none);
    expect(summary.hasChanges).toBe(false);
    expect(summary.markdown).toBe("### `dev-x`: no changes\n");
  });

  test("long attribute diffs are collapsed", () => {
    const before = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`attr_${i}`, "a"]));
    const after = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`attr_${i}`, "b"]));
    const plan: PlanJson = {
      resource_changes: [{ address: "aws_x.y", type: "aws_x", change: { actions: ["update"], before, after } }],
    };
    const md = summarizePlan("dev-x", plan).markdown;
    expect(md).toContain("<details><summary>`aws_x.y`: 20 attributes change</summary>");
    expect(md).toContain("</details>");
  });

  test("a value marked sensitive deep inside a block is masked, its neighbours are not", () => {
    const plan: PlanJson = {
      resource_changes: [
        {
          address: "aws_x.y",
          type: "aws_x",
          change: {
            actions: ["update"],
            before: { config: [{ password: "old-pw", user: "a" }] },
            after: { config: [{ password: "new-pw", user: "b" }] },
            before_sensitive: { config: [{ password: true }] },
            after_sensitive: { config: [{ password: true }] },
          },
        },
      ],
    };
    const md = summarizePlan("dev-x", plan).markdown;
    expect(md).toContain(`~ config[0].password: ${SENSITIVE} -> ${SENSITIVE}`);
    expect(md).toContain('~ config[0].user: "a" -> "b"');
    expect(md).not.toMatch(/old-pw|new-pw/);
  });
});

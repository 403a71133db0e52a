import { ConfigError } from "../environments";
import { savedPlanKey, savedPlansOf, savedPlansPrefix } from "../core/naming";
import { UsageError } from "../scripts/lib/cli";
import { commitOf, parseSavedPlanArgs, savedPlanProblem } from "../scripts/saved-plan";
import { env, thrownMessage } from "./helpers";

const A = "a".repeat(40);
const B = "b".repeat(40);

describe("saved plans (npm run plan-save / plan-apply)", () => {
  test("live in the state bucket outside the state keys, per stack and commit", () => {
    const prod = env("prod");
    expect(savedPlansPrefix(prod)).toBe("saved-plans/acme/prod/");
    expect(savedPlansOf(prod, "ml-platform")).toBe("saved-plans/acme/prod/prod-ml-platform/");
    expect(savedPlanKey(prod, "ml-platform", A)).toBe(`saved-plans/acme/prod/prod-ml-platform/${A}.tfplan`);
  });

  test("a plan applies only to the stack and commit it records, with the digest of its bytes", () => {
    const where = "the saved plan s3://b/k";
    const wanted = { stack: "prod-ml-platform", commit: A };
    expect(savedPlanProblem(wanted, { ...wanted, sha256: "d" }, "d", where)).toBeUndefined();
    expect(savedPlanProblem(wanted, { stack: "prod-data-pipeline", commit: A, sha256: "d" }, "d", where)).toBe(
      `the saved plan s3://b/k was saved for prod-data-pipeline at commit ${A}, not prod-ml-platform at ${A}: a plan applies only to the stack and commit it was made for; plan again: npm run plan-save -- prod-ml-platform`,
    );
    expect(savedPlanProblem(wanted, { stack: "prod-ml-platform", commit: B, sha256: "d" }, "d", where)).toContain(
      `was saved for prod-ml-platform at commit ${B}, not prod-ml-platform at ${A}`,
    );
    // A plan copied in from elsewhere records nothing.
    expect(savedPlanProblem(wanted, {}, "d", where)).toContain("was saved for no stack at commit none");
    expect(savedPlanProblem(wanted, { ...wanted, sha256: "d" }, "e", where)).toBe(
      "the saved plan s3://b/k is not the plan that was saved (its digest differs from the one recorded): plan again: npm run plan-save -- prod-ml-platform",
    );
  });

  test("the commit: --commit, else GITHUB_SHA, else HEAD; the checkout must be at it", () => {
    expect(commitOf(undefined, A, undefined)).toBe(A);
    expect(commitOf(undefined, A, A)).toBe(A);
    expect(commitOf(A, A, B)).toBe(A);
    expect(thrownMessage(() => commitOf(undefined, A, B), ConfigError)).toBe(
      `the checkout is at ${A}, not at ${B}: a plan is made and applied from the commit it is for (git checkout ${B})`,
    );
    expect(thrownMessage(() => commitOf("abc123", A, undefined), ConfigError)).toBe(
      '--commit takes a full 40-character commit id, not "abc123"',
    );
  });

  const USAGE = "usage: npm run plan-save|plan-apply -- <stack> [--commit SHA]";

  test("the command line: package.json's save or apply, the callers' stack (apply-stack.yml), --commit", () => {
    expect(parseSavedPlanArgs(["save", "prod-ml-platform"])).toEqual({
      command: "save",
      stack: "prod-ml-platform",
      commit: undefined,
    });
    expect(parseSavedPlanArgs(["apply", "--commit", A, "prod-ml-platform"])).toEqual({
      command: "apply",
      stack: "prod-ml-platform",
      commit: A,
    });
    expect(parseSavedPlanArgs(["save", "prod-ml-platform", `--commit=${B}`])).toEqual({
      command: "save",
      stack: "prod-ml-platform",
      commit: B,
    });
  });

  test.each([
    [["save"], "name the stack to plan or apply"],
    [["save", "prod-ml-platform", "prod-data-pipeline"], "one stack at a time (prod-ml-platform, prod-data-pipeline)"],
    [["save", "prod-*"], "one stack by its name, not a selection: prod-*"],
    [
      ["apply", "prod-foundation,prod-ml-platform"],
      "one stack by its name, not a selection: prod-foundation,prod-ml-platform",
    ],
    [["save", "prod-ml-platform", "--commit"], "Option '--commit <value>' argument missing"],
    [["save", "prod-ml-platform", "--auto-approve"], "Unknown option '--auto-approve'"],
    [["deploy", "prod-ml-platform"], "the command is save or apply (npm run plan-save, plan-apply), not deploy"],
    [[], "the command is save or apply (npm run plan-save, plan-apply), not none"],
  ])("refuses %j", (argv, message) => {
    expect(thrownMessage(() => parseSavedPlanArgs(argv), UsageError)).toBe(`${message}\n${USAGE}`);
  });
});

import { splitComment } from "../../review/comments";
import { desiredComments, type GithubTarget, syncComments } from "../../review/pr-comments";
import { type GithubStub, startGithubStub } from "../github-stub";

let gh: GithubStub;
let target: GithubTarget;
const bodies = () => [...gh.comments.values()].map((c) => c.body);

beforeEach(async () => {
  gh = await startGithubStub("acme/platform", "test-token");
  target = { api: gh.url, repo: "acme/platform", pr: 7, token: "test-token" };
});
afterEach(() => gh.close());

const plan = (stack: string, hasChanges: boolean, markdown = `### \`${stack}\`: 1 to create\n`) => ({
  stack,
  hasChanges,
  markdown,
});

describe("pull-request plan comments", () => {
  test("one comment per changed stack, unchanged stacks in one line", async () => {
    const result = await syncComments(target, [plan("dev-a", true), plan("dev-b", false), plan("dev-c", false)]);
    expect(result).toEqual({ created: 2, updated: 0, unchanged: 0, deleted: 0 });
    expect(bodies()).toContain("<!-- cdktf-plan:no-changes -->\nNo changes: `dev-b`, `dev-c`");
    expect(bodies().filter((b) => b.includes("dev-a"))).toHaveLength(1);
  });

  test("a re-run updates in place and never duplicates", async () => {
    await syncComments(target, [plan("dev-a", true), plan("dev-b", false)]);
    const again = await syncComments(target, [plan("dev-a", true, "### `dev-a`: 2 to create\n"), plan("dev-b", false)]);
    expect(again).toEqual({ created: 0, updated: 1, unchanged: 1, deleted: 0 });
    expect(gh.comments.size).toBe(2);
    expect(gh.calls.filter((c) => c.startsWith("POST"))).toHaveLength(2);
    const third = await syncComments(target, [plan("dev-a", true, "### `dev-a`: 2 to create\n"), plan("dev-b", false)]);
    expect(third).toEqual({ created: 0, updated: 0, unchanged: 2, deleted: 0 });
  });

  test("a stack whose changes went away loses its comment and joins the no-change line", async () => {
    await syncComments(target, [plan("dev-a", true), plan("dev-b", true)]);
    const result = await syncComments(target, [plan("dev-a", true), plan("dev-b", false)]);
    expect(result.deleted).toBe(1);
    expect(bodies().sort()).toEqual([
      "<!-- cdktf-plan:dev-a:part-1 -->\n### `dev-a`: 1 to create\n",
      "<!-- cdktf-plan:no-changes -->\nNo changes: `dev-b`",
    ]);
  });

  test("comments of other tools and people are left alone", async () => {
    gh.comments.set(100, { id: 100, issue: 7, body: "Looks good to me" });
    await syncComments(target, [plan("dev-a", false)]);
    expect(gh.comments.get(100)?.body).toBe("Looks good to me");
  });

  test("a long summary is split into parts, each under the limit with balanced fences", () => {
    const diff = Array.from({ length: 400 }, (_, i) => `~ attribute_${i}: "old" -> "new"`);
    const markdown = [
      "### `dev-a`: 0 to create, 1 to update",
      "",
      "<details><summary>diff</summary>",
      "",
      "```diff",
      ...diff,
      "```",
      "",
      "</details>",
      "",
    ].join("\n");
    const wanted = desiredComments([{ stack: "dev-a", hasChanges: true, markdown }], 4000);
    expect(wanted.size).toBeGreaterThan(3);
    for (const body of wanted.values()) {
      expect(body.length).toBeLessThanOrEqual(4000);
      expect((body.match(/^```/gm) ?? []).length % 2).toBe(0);
      expect((body.match(/<details>/g) ?? []).length).toBe((body.match(/<\/details>/g) ?? []).length);
    }
    const joined = [...wanted.values()].join("\n");
    for (const line of diff) expect(joined).toContain(line);
  });

  test("splitting leaves a short summary whole", () => {
    expect(splitComment("### `x`: no changes\n", 1000)).toEqual(["### `x`: no changes\n"]);
  });
});

import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { splitComment } from "../../review/comments";
import { desiredComments, type GithubTarget, syncComments } from "../../review/pr-comments";

/** A loopback stand-in for the GitHub issue-comments API, keeping comments in memory. */
function fakeGithub() {
  const comments = new Map<number, string>();
  const calls: string[] = [];
  let next = 1;
  const read = (req: IncomingMessage) =>
    new Promise<{ body: string }>((resolve) => {
      let data = "";
      req.on("data", (c) => (data += c));
      req.on("end", () => resolve(data ? JSON.parse(data) : { body: "" }));
    });
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url!, "http://127.0.0.1");
    calls.push(`${req.method} ${url.pathname}`);
    if (req.headers.authorization !== "Bearer test-token") return void res.writeHead(401).end();
    const list = /^\/repos\/acme\/platform\/issues\/7\/comments$/.test(url.pathname);
    const one = /^\/repos\/acme\/platform\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (list && req.method === "GET") {
      const page = Number(url.searchParams.get("page"));
      const per = Number(url.searchParams.get("per_page"));
      const all = [...comments].map(([id, body]) => ({ id, body }));
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(all.slice((page - 1) * per, page * per)));
    }
    if (list && req.method === "POST") {
      const id = next++;
      comments.set(id, (await read(req)).body);
      return void res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id }));
    }
    if (one && req.method === "PATCH") {
      comments.set(Number(one[1]), (await read(req)).body);
      return void res.writeHead(200, { "content-type": "application/json" }).end("{}");
    }
    if (one && req.method === "DELETE") {
      comments.delete(Number(one[1]));
      return void res.writeHead(204).end();
    }
    res.writeHead(404).end();
  });
  return { server, comments, calls };
}

let gh: ReturnType<typeof fakeGithub>;
let target: GithubTarget;

beforeEach(async () => {
  gh = fakeGithub();
  await new Promise<void>((r) => gh.server.listen(0, "127.0.0.1", r));
  target = { api: `http://127.0.0.1:${(gh.server.address() as AddressInfo).port}`, repo: "acme/platform", pr: 7, token: "test-token" };
});
afterEach(() => new Promise<void>((r) => gh.server.close(() => r())));

const plan = (stack: string, hasChanges: boolean, markdown = `### \`${stack}\`: 1 to create\n`) => ({ stack, hasChanges, markdown });

describe("pull-request plan comments", () => {
  test("one comment per changed stack, unchanged stacks in one line", async () => {
    const result = await syncComments(target, [plan("dev-a", true), plan("dev-b", false), plan("dev-c", false)]);
    expect(result).toEqual({ created: 2, updated: 0, unchanged: 0, deleted: 0 });
    const bodies = [...gh.comments.values()];
    expect(bodies).toContain("<!-- cdktf-plan:no-changes -->\nNo changes: `dev-b`, `dev-c`");
    expect(bodies.filter((b) => b.includes("dev-a"))).toHaveLength(1);
  });

  test("a re-run updates in place and never duplicates", async () => {
    await syncComments(target, [plan("dev-a", true), plan("dev-b", false)]);
    const again = await syncComments(target, [plan("dev-a", true, "### `dev-a`: 2 to create\n"), plan("dev-b", false)]);
    expect(again).toEqual({ created: 0, updated: 1, unchanged: 1, deleted: 0 });
    expect(gh.comments.size).toBe(2);
    const third = await syncComments(target, [plan("dev-a", true, "### `dev-a`: 2 to create\n"), plan("dev-b", false)]);
    expect(third).toEqual({ created: 0, updated: 0, unchanged: 2, deleted: 0 });
  });

  test("a stack whose changes went away loses its comment and joins the no-change line", async () => {
    await syncComments(target, [plan("dev-a", true), plan("dev-b", true)]);
    const result = await syncComments(target, [plan("dev-a", true), plan("dev-b", false)]);
    expect(result.deleted).toBe(1);
    expect([...gh.comments.values()].sort()).toEqual([
      "<!-- cdktf-plan:dev-a:part-1 -->\n### `dev-a`: 1 to create\n",
      "<!-- cdktf-plan:no-changes -->\nNo changes: `dev-b`",
    ]);
  });

  test("comments of other tools and people are left alone", async () => {
    gh.comments.set(100, "Looks good to me");
    await syncComments(target, [plan("dev-a", false)]);
    expect(gh.comments.get(100)).toBe("Looks good to me");
  });

  test("a long summary is split into parts, each under the limit with balanced fences", () => {
    const diff = Array.from({ length: 400 }, (_, i) => `~ attribute_${i}: "old" -> "new"`);
    const markdown = ["### `dev-a`: 0 to create, 1 to update", "", "<details><summary>diff</summary>", "", "```diff", ...diff, "```", "", "</details>", ""].join("\n");
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

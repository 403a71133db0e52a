/**
 * A loopback stand-in for the parts of GitHub's REST API the project calls: issue comments (plan
 * summaries on pull requests) and issues (drift reports). Keeps everything in memory and records
 * every request, so tests can check what was created, updated and closed, and how.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface StubComment {
  readonly id: number;
  readonly issue: number;
  body: string;
}

export interface StubIssue {
  readonly number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: string[];
}

export interface GithubStub {
  /** API root to pass as GITHUB_API_URL. */
  readonly url: string;
  readonly comments: Map<number, StubComment>;
  readonly issues: Map<number, StubIssue>;
  /** `METHOD /path` of every request, in order. */
  readonly calls: string[];
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let data = "";
  for await (const chunk of req) data += chunk;
  return data ? (JSON.parse(data) as Record<string, unknown>) : {};
}

/** Starts the stub on 127.0.0.1 (a free port unless given); requests need `Bearer <token>`. */
export async function startGithubStub(repo: string, token: string, port = 0): Promise<GithubStub> {
  const comments = new Map<number, StubComment>();
  const issues = new Map<number, StubIssue>();
  const calls: string[] = [];
  let nextComment = 1;
  let nextIssue = 1;
  const base = `/repos/${repo}`;

  const send = (res: ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) return void res.writeHead(status).end();
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
  const page = <T>(url: URL, items: T[]) => {
    const per = Number(url.searchParams.get("per_page") ?? 30);
    const n = Number(url.searchParams.get("page") ?? 1);
    return items.slice((n - 1) * per, n * per);
  };
  const issueJson = (i: StubIssue) => ({
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    labels: i.labels.map((name) => ({ name })),
  });

  const server = createServer(async (req, res) => {
    const url = new URL(req.url!, "http://127.0.0.1");
    const path = url.pathname;
    calls.push(`${req.method} ${path}`);
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { message: "Bad credentials" });
    if (!path.startsWith(`${base}/`)) return send(res, 404, { message: "Not Found" });
    const rest = path.slice(base.length);
    let m: RegExpExecArray | null;

    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = Number(m[1]);
      if (req.method === "GET")
        return send(
          res,
          200,
          page(
            url,
            [...comments.values()].filter((c) => c.issue === issue),
          ),
        );
      if (req.method === "POST") {
        const comment = { id: nextComment++, issue, body: String((await readJson(req)).body ?? "") };
        comments.set(comment.id, comment);
        return send(res, 201, comment);
      }
    }
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
      const comment = comments.get(Number(m[1]));
      if (!comment) return send(res, 404, { message: "Not Found" });
      if (req.method === "PATCH") {
        comment.body = String((await readJson(req)).body ?? "");
        return send(res, 200, comment);
      }
      if (req.method === "DELETE") {
        comments.delete(comment.id);
        return send(res, 204);
      }
    }
    if (rest === "/issues") {
      if (req.method === "GET") {
        const state = url.searchParams.get("state") ?? "open";
        const labels = (url.searchParams.get("labels") ?? "").split(",").filter(Boolean);
        const found = [...issues.values()].filter(
          (i) => (state === "all" || i.state === state) && labels.every((l) => i.labels.includes(l)),
        );
        return send(res, 200, page(url, found).map(issueJson));
      }
      if (req.method === "POST") {
        const body = await readJson(req);
        const issue: StubIssue = {
          number: nextIssue++,
          title: String(body.title),
          body: String(body.body ?? ""),
          state: "open",
          labels: (body.labels as string[]) ?? [],
        };
        issues.set(issue.number, issue);
        return send(res, 201, issueJson(issue));
      }
    }
    if ((m = /^\/issues\/(\d+)$/.exec(rest))) {
      const issue = issues.get(Number(m[1]));
      if (!issue) return send(res, 404, { message: "Not Found" });
      if (req.method === "GET") return send(res, 200, issueJson(issue));
      if (req.method === "PATCH") {
        const body = await readJson(req);
        if (typeof body.title === "string") issue.title = body.title;
        if (typeof body.body === "string") issue.body = body.body;
        if (body.state === "open" || body.state === "closed") issue.state = body.state;
        return send(res, 200, issueJson(issue));
      }
    }
    send(res, 404, { message: "Not Found" });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    comments,
    issues,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

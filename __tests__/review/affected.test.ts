import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { planPlatform } from "../../app";
import { loadEnvironments } from "../../environments";
import { MODULES, platformInputs } from "../../packages";
import {
  AffectedError,
  affectedStacks,
  changedFiles,
  inLayerOrder,
  platformStacks,
  resolveBase,
} from "../../review/affected";
import { scratchRepository } from "../scratch-repo";

const source = join(__dirname, "..", "..");
const plans = planPlatform(loadEnvironments(platformInputs({}), undefined), MODULES);
// The modules whose imports the expectations below know: a module added later changes nothing here.
const KNOWN = ["file-processing", "data-pipeline", "order-tracking", "ml-platform"];
const stacks = platformStacks(
  plans.map((p) => ({
    name: p.env.name,
    modules: p.modules.map((m) => m.module.name).filter((m) => KNOWN.includes(m)),
  })),
);
let repo: string;

const git = (...args: string[]) =>
  execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** Commits an edit to each file on a new branch from main and returns the affected stack names, sorted. */
function affectedBy(files: string[]): string[] {
  git("checkout", "-q", "-B", `change-${Math.random().toString(36).slice(2)}`, "main");
  for (const f of files) {
    mkdirSync(dirname(join(repo, f)), { recursive: true });
    appendFileSync(join(repo, f), "\n// edited\n");
  }
  git("add", "-A");
  git("commit", "-q", "-m", `edit ${files.join(" ")}`);
  return affectedStacks(repo, stacks, changedFiles(repo, "main"))
    .map((a) => a.stack)
    .sort();
}

beforeAll(() => {
  // A real history: the project's working tree committed as main in a scratch repository.
  repo = scratchRepository(source, mkdtempSync(join(tmpdir(), "affected-")));
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

const envs = ["dev", "local", "prod", "staging"];
const all = (stack: string) => envs.map((e) => `${e}-${stack}`);

describe("affected stacks from real git history", () => {
  test("a module's code affects that module's stacks in every environment", () => {
    expect(affectedBy(["packages/data-pipeline/index.ts"])).toEqual(all("data-pipeline"));
  });

  test("a module's chart affects its stacks; its README affects nothing", () => {
    expect(affectedBy(["packages/file-processing/chart/values.yaml"])).toEqual(all("file-processing"));
    expect(affectedBy(["packages/file-processing/README.md"])).toEqual([]);
    expect(affectedBy(["packages/file-processing/file-processing.test.ts"])).toEqual([]);
    expect(affectedBy(["packages/ml-platform/resources.ts"])).toEqual(all("ml-platform"));
  });

  test("an environment file affects that environment's stacks only", () => {
    expect(affectedBy(["environments/dev.ts"])).toEqual([
      "dev-bootstrap",
      "dev-data-pipeline",
      "dev-file-processing",
      "dev-foundation",
      "dev-ml-platform",
      "dev-order-tracking",
    ]);
  });

  test("a module's settings file affects the module and every foundation (its ECR repository)", () => {
    expect(affectedBy(["packages/order-tracking/environments.ts"])).toEqual(
      [...all("foundation"), ...all("order-tracking")].sort(),
    );
  });

  test("a shared construct affects exactly the stacks whose code imports it", () => {
    // PrivateBucket: the state bucket, the log bucket, and the modules that keep buckets (order-tracking through StaticSite).
    expect(affectedBy(["constructs/private-bucket.ts"])).toEqual(
      [
        ...all("bootstrap"),
        ...all("foundation"),
        ...all("data-pipeline"),
        ...all("file-processing"),
        ...all("ml-platform"),
        ...all("order-tracking"),
      ].sort(),
    );
    // QueueWithDeadLetter: the modules with queues, neither bootstrap nor foundation.
    expect(affectedBy(["constructs/queue.ts"])).toEqual([...all("data-pipeline"), ...all("file-processing")].sort());
    // The module stack class: every module stack, neither bootstrap nor foundation.
    expect(affectedBy(["stacks/module-stack.ts"])).toEqual(
      [...all("data-pipeline"), ...all("file-processing"), ...all("ml-platform"), ...all("order-tracking")].sort(),
    );
    // RedisCache: ml-platform alone.
    expect(affectedBy(["constructs/redis-cache.ts"])).toEqual(all("ml-platform"));
    // MskServerless: order-tracking alone.
    expect(affectedBy(["constructs/msk-serverless.ts"])).toEqual(all("order-tracking"));
  });

  test("the foundation stack affects foundations only; the backend config affects everything", () => {
    expect(affectedBy(["stacks/foundation-stack.ts"])).toEqual(all("foundation"));
    expect(affectedBy(["stacks/state.ts"])).toHaveLength(24);
  });

  test("base values, dependencies and the composition root affect every stack", () => {
    expect(affectedBy(["environments/base.ts"])).toHaveLength(24);
    expect(affectedBy(["package-lock.json"])).toHaveLength(24);
  });

  test("docs, tests and local tooling affect nothing", () => {
    expect(affectedBy(["README.md", "__tests__/contract.test.ts", "local/emulator.sh"])).toEqual([]);
  });

  test("results come in layer order with the files that caused them", () => {
    git("checkout", "-q", "-B", "two-layers", "main");
    appendFileSync(join(repo, "stacks/bootstrap-stack.ts"), "\n// edited\n");
    appendFileSync(join(repo, "packages/order-tracking/index.ts"), "\n// edited\n");
    git("commit", "-qam", "two layers");
    const result = inLayerOrder(affectedStacks(repo, stacks, changedFiles(repo, "main")));
    expect(result.map((r) => r.layer)).toEqual([
      "bootstrap",
      "bootstrap",
      "bootstrap",
      "bootstrap",
      "module",
      "module",
      "module",
      "module",
    ]);
    expect(result[0].because).toEqual(["stacks/bootstrap-stack.ts"]);
  });
});

describe("the base a push is compared with", () => {
  const commit = (message: string) => {
    appendFileSync(join(repo, "README.md"), `\n${message}\n`);
    git("commit", "-qam", message);
    return git("rev-parse", "HEAD").trim();
  };

  test("GitHub's all-zero `before` (new branch or tag, first push) means every stack, with the reason", () => {
    expect(resolveBase(repo, { base: "0".repeat(40) })).toEqual({
      everything: expect.stringContaining("all-zero SHA"),
    });
  });

  test("a base that does not exist is an error naming it, or every stack when asked", () => {
    const missing = "1234567890abcdef1234567890abcdef12345678";
    expect(() => resolveBase(repo, { base: missing })).toThrow(AffectedError);
    expect(() => resolveBase(repo, { base: missing })).toThrow(`base "${missing}" does not exist in this repository`);
    expect(resolveBase(repo, { base: "no-such-branch", missingBase: "all" })).toEqual({
      everything: expect.stringContaining("no-such-branch is not in this repository"),
    });
  });

  test("an existing branch, tag or commit resolves to its commit", () => {
    git("checkout", "-q", "-B", "base-test", "main");
    expect(resolveBase(repo, { base: "main" })).toEqual({ commit: git("rev-parse", "main").trim(), label: "main" });
  });

  test("a release compares with the previous release tag; the first release with everything", () => {
    git("checkout", "-q", "-B", "releases", "main");
    const first = commit("release one");
    git("tag", "v1.0.0", first);
    expect(resolveBase(repo, { sinceTag: "v*" })).toEqual({ everything: 'no tag matching "v*" before HEAD' });
    commit("between releases");
    const second = commit("release two");
    git("tag", "v1.1.0", second);
    git("tag", "other-1", second);
    expect(resolveBase(repo, { sinceTag: "v*" })).toEqual({ commit: first, label: "tag v1.0.0" });
  });
});

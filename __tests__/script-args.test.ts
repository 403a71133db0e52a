import { spawnSync } from "node:child_process";
import { parseArgs as parseBenchArgs } from "../tools/bench/options";
// The command lines of the scripts, each parsed by scripts/lib/cli.ts: what every caller
// (package.json, the workflows, the e2e, tools/bench) passes still parses, and bad input is refused
// with what is wrong and the usage line.
import { join, resolve } from "node:path";
import { parseAffectedArgs } from "../scripts/affected";
import { parseCheckovArgs } from "../scripts/checkov";
import { parseDriftArgs } from "../scripts/drift";
import { parseDriftIssuesArgs } from "../scripts/drift-issues";
import { UsageError } from "../scripts/lib/cli";
import { parsePlanArgs } from "../scripts/plan";
import { parsePrCommentsArgs } from "../scripts/pr-comments";
import { parseStateArgs } from "../scripts/state";
import { thrownMessage } from "./helpers";

const repo = join(__dirname, "..");

describe("npm run plan (scripts/plan.ts)", () => {
  const USAGE =
    "usage: npm run plan -- <stack or glob>[,...] [--mock-foundation | --mock-foundation=if-missing] [--out DIR] [--parallelism N]";

  test("a selection; by default no mock foundation, .plans, one stack per core", () => {
    expect(parsePlanArgs(["dev-file-processing"], 4)).toEqual({
      selection: "dev-file-processing",
      mock: "never",
      out: join(repo, ".plans"),
      parallelism: 4,
    });
  });

  test("the callers' command lines: pull-request.yml, the e2e, tools/bench", () => {
    expect(parsePlanArgs(["dev-data-pipeline", "--mock-foundation=if-missing"], 2)).toEqual({
      selection: "dev-data-pipeline",
      mock: "if-missing",
      out: join(repo, ".plans"),
      parallelism: 2,
    });
    expect(parsePlanArgs(["local-*", "--out", "/tmp/plans", "--parallelism", "2"], 8)).toEqual({
      selection: "local-*",
      mock: "never",
      out: "/tmp/plans",
      parallelism: 2,
    });
    expect(parsePlanArgs(["--mock-foundation", "dev-*", "--out", "rel"], 1)).toEqual({
      selection: "dev-*",
      mock: "always",
      out: resolve("rel"),
      parallelism: 1,
    });
  });

  test.each([
    [["dev-*", "--bogus"], "Unknown option '--bogus'"],
    [["dev-*", "--out"], "Option '--out <value>' argument missing"],
    [["dev-*", "--out", ""], "--out needs a value, not an empty string"],
    [["dev-*", "--parallelism", "0"], "--parallelism takes a whole number from 1, not 0"],
    [["dev-*", "--mock-foundation=always"], "--mock-foundation stands alone or takes =if-missing, not =always"],
    [["dev-*", "dev-foundation"], "one selection only (use commas): dev-foundation"],
    [["--out", "x"], "name the stacks to plan"],
    [["-x"], "Unknown option '-x'"],
  ])("refuses %j", (argv, message) => {
    expect(thrownMessage(() => parsePlanArgs(argv, 2), UsageError)).toBe(`${message}\n${USAGE}`);
  });
});

describe("npm run drift (scripts/drift.ts)", () => {
  const USAGE =
    "usage: npm run drift -- <stack or glob>[,...] [--out DIR] [--json] [--parallelism N] | --list-environments";

  test("a selection; by default .drift, Markdown, one stack per core", () => {
    expect(parseDriftArgs(["dev-*"], 4)).toEqual({
      list: false,
      selection: "dev-*",
      out: join(repo, ".drift"),
      json: false,
      parallelism: 4,
    });
  });

  test("the callers' command lines: drift.yml, the e2e", () => {
    expect(parseDriftArgs(["--list-environments"], 4)).toEqual({ list: true });
    expect(parseDriftArgs(["prod-*", "--out", ".drift"], 4)).toEqual({
      list: false,
      selection: "prod-*",
      out: resolve(".drift"),
      json: false,
      parallelism: 4,
    });
    expect(parseDriftArgs(["local-*", "--out", "/tmp/d", "--parallelism", "2", "--json"], 4)).toEqual({
      list: false,
      selection: "local-*",
      out: "/tmp/d",
      json: true,
      parallelism: 2,
    });
  });

  test.each([
    [["dev-*", "--bogus"], "Unknown option '--bogus'"],
    [["dev-*", "--out"], "Option '--out <value>' argument missing"],
    [["dev-*", "--out", ""], "--out needs a value, not an empty string"],
    [["dev-*", "--json=yes"], "Option '--json' does not take an argument"],
    [["dev-*", "--parallelism", "1.5"], "--parallelism takes a whole number from 1, not 1.5"],
    [["dev-*", "prod-*"], "one selection only (use commas): prod-*"],
    [["--json"], "name the stacks to check"],
    [
      ["--list-environments", "dev-*", "--json"],
      "--list-environments stands alone (it prints the cloud environments as a CI matrix), not with --json dev-*",
    ],
  ])("refuses %j", (argv, message) => {
    expect(thrownMessage(() => parseDriftArgs(argv, 2), UsageError)).toBe(`${message}\n${USAGE}`);
  });
});

describe("npm run affected (scripts/affected.ts)", () => {
  const USAGE =
    "usage: npm run affected -- (--base <git ref> | --since-tag <glob>) [--env <env,...> | --deploy-ref <ref>] [--missing-base error|all] [--json] [--working-tree]";
  const DEFAULTS = {
    base: undefined,
    sinceTag: undefined,
    env: undefined,
    deployRef: undefined,
    missingBase: "error",
    json: false,
    workingTree: false,
  };

  test("the callers' command lines: pull-request.yml, apply.yml (a branch push, a tag)", () => {
    expect(parseAffectedArgs(["--base", "origin/main", "--json"])).toEqual({
      ...DEFAULTS,
      base: "origin/main",
      json: true,
    });
    expect(parseAffectedArgs(["--base", "origin/main"])).toEqual({ ...DEFAULTS, base: "origin/main" });
    expect(
      parseAffectedArgs(["--deploy-ref", "refs/heads/main", "--base", "0123abc", "--missing-base", "all", "--json"]),
    ).toEqual({ ...DEFAULTS, base: "0123abc", deployRef: "refs/heads/main", missingBase: "all", json: true });
    expect(parseAffectedArgs(["--deploy-ref", "refs/tags/v1.2.0", "--since-tag", "v*", "--json"])).toEqual({
      ...DEFAULTS,
      sinceTag: "v*",
      deployRef: "refs/tags/v1.2.0",
      json: true,
    });
  });

  test("--env is read as a comma list, blanks dropped; --working-tree", () => {
    expect(parseAffectedArgs(["--base", "HEAD~1", "--env", "dev, local,", "--working-tree"])).toEqual({
      ...DEFAULTS,
      base: "HEAD~1",
      env: ["dev", "local"],
      workingTree: true,
    });
  });

  test.each([
    [["--base", "main", "--bogus"], "Unknown option '--bogus'"],
    [["--base"], "Option '--base <value>' argument missing"],
    [
      ["--base", "--json"],
      "Option '--base' argument is ambiguous.\nDid you forget to specify the option argument for '--base'?\nTo specify an option argument starting with a dash use '--base=-XYZ'.",
    ],
    [["--base", "main", "stray"], "unexpected argument stray: this command takes options only"],
    [["--json"], "give exactly one of --base <git ref> and --since-tag <glob>"],
    [["--base", "main", "--since-tag", "v*"], "give exactly one of --base <git ref> and --since-tag <glob>"],
    [["--since-tag", ""], "--since-tag needs a value, not an empty string"],
    [
      ["--base", "main", "--env", "dev", "--deploy-ref", "refs/heads/main"],
      "give at most one of --env and --deploy-ref",
    ],
    [["--base", "main", "--missing-base", "some"], "--missing-base takes error or all, not some"],
    [["--base", "main", "--env", " , "], "--env names no environment: give a comma list such as dev,staging"],
  ])("refuses %j", (argv, message) => {
    expect(thrownMessage(() => parseAffectedArgs(argv), UsageError)).toBe(`${message}\n${USAGE}`);
  });
});

describe("npm run pr-comments (scripts/pr-comments.ts)", () => {
  const USAGE = "usage: npm run pr-comments -- --repo owner/name --pr N --dir .plans";
  const ENV = { GITHUB_TOKEN: "t0ken" };

  test("the caller's command line: pull-request.yml; the API from GITHUB_API_URL, else GitHub's", () => {
    expect(parsePrCommentsArgs(["--repo", "acme/platform", "--pr", "12", "--dir", ".plans"], ENV)).toEqual({
      target: { api: "https://api.github.com", repo: "acme/platform", token: "t0ken", pr: 12 },
      dir: ".plans",
    });
    expect(
      parsePrCommentsArgs(["--dir=out", "--pr=3", "--repo=acme/platform"], {
        ...ENV,
        GITHUB_API_URL: "http://127.0.0.1:8080",
      }),
    ).toEqual({
      target: { api: "http://127.0.0.1:8080", repo: "acme/platform", token: "t0ken", pr: 3 },
      dir: "out",
    });
  });

  test.each([
    [["--repo", "acme/platform", "--pr", "12"], "--dir is required"],
    [["--pr", "12", "--dir", ".plans"], "--repo is required"],
    [["--repo", "acme/platform", "--dir", ".plans"], "--pr is required"],
    [["--repo", "acme/platform", "--pr", "twelve", "--dir", ".plans"], "--pr takes a whole number from 1, not twelve"],
    [["--repo", "acme", "--pr", "12", "--dir", ".plans"], "--repo takes owner/name, not acme"],
    [["--repo", "acme/platform", "--pr", "12", "--dir", ""], "--dir needs a value, not an empty string"],
    [["--repo", "acme/platform", "--pr", "12", "--dir", ".plans", "--bogus"], "Unknown option '--bogus'"],
    [
      ["--repo", "acme/platform", "--pr", "12", ".plans"],
      "unexpected argument .plans: this command takes options only",
    ],
  ])("refuses %j", (argv, message) => {
    expect(thrownMessage(() => parsePrCommentsArgs(argv, ENV), UsageError)).toBe(`${message}\n${USAGE}`);
  });

  test("refuses to run without GITHUB_TOKEN", () => {
    expect(
      thrownMessage(
        () => parsePrCommentsArgs(["--repo", "acme/platform", "--pr", "12", "--dir", ".plans"], {}),
        UsageError,
      ),
    ).toBe(`GITHUB_TOKEN is not set: export the token to call the GitHub API with\n${USAGE}`);
  });
});

describe("npm run drift-issues (scripts/drift-issues.ts)", () => {
  const USAGE = "usage: npm run drift-issues -- --repo owner/name --dir .drift [--label drift]";
  const ENV = { GITHUB_TOKEN: "t0ken" };

  test("the callers' command line: drift.yml, the e2e; the label defaults to drift", () => {
    expect(parseDriftIssuesArgs(["--repo", "acme/platform", "--dir", ".drift"], ENV)).toEqual({
      target: { api: "https://api.github.com", repo: "acme/platform", token: "t0ken" },
      dir: ".drift",
      label: "drift",
    });
    expect(
      parseDriftIssuesArgs(["--dir", "/tmp/d", "--label", "cloud-drift", "--repo", "acme/platform"], {
        ...ENV,
        GITHUB_API_URL: "http://127.0.0.1:8080",
      }),
    ).toEqual({
      target: { api: "http://127.0.0.1:8080", repo: "acme/platform", token: "t0ken" },
      dir: "/tmp/d",
      label: "cloud-drift",
    });
  });

  test.each([
    [["--repo", "acme/platform"], "--dir is required"],
    [["--dir", ".drift"], "--repo is required"],
    [
      ["--dir", "--repo", "acme/platform"],
      "Option '--dir' argument is ambiguous.\nDid you forget to specify the option argument for '--dir'?\nTo specify an option argument starting with a dash use '--dir=-XYZ'.",
    ],
    [["--repo", "acme/platform", "--dir", ".drift", "--label"], "Option '--label <value>' argument missing"],
    [["--repo", "acme/platform", "--dir", ".drift", "--label", ""], "--label needs a value, not an empty string"],
    [
      ["--repo", "https://github.com/acme/platform", "--dir", ".drift"],
      "--repo takes owner/name, not https://github.com/acme/platform",
    ],
    [["--repo", "acme/platform", "--dir", ".drift", "--pr", "1"], "Unknown option '--pr'"],
    [["--repo", "acme/platform", ".drift"], "unexpected argument .drift: this command takes options only"],
  ])("refuses %j", (argv, message) => {
    expect(thrownMessage(() => parseDriftIssuesArgs(argv, ENV), UsageError)).toBe(`${message}\n${USAGE}`);
  });

  test("refuses to run without GITHUB_TOKEN", () => {
    expect(
      thrownMessage(() => parseDriftIssuesArgs(["--repo", "acme/platform", "--dir", ".drift"], {}), UsageError),
    ).toBe(`GITHUB_TOKEN is not set: export the token to call the GitHub API with\n${USAGE}`);
  });
});

describe("npm run checkov (scripts/checkov.ts)", () => {
  const USAGE = "usage: npm run checkov [-- --dir <directory with one folder per stack>]";

  test("nothing: synthesize every stack and scan that; --dir: scan a synth output", () => {
    expect(parseCheckovArgs([])).toEqual({ dir: undefined });
    expect(parseCheckovArgs(["--dir", "cdktf.out/stacks"])).toEqual({ dir: "cdktf.out/stacks" });
  });

  test.each([
    [["cdktf.out/stacks"], "unexpected argument cdktf.out/stacks: a directory to scan is given as --dir <directory>"],
    [["--dir"], "Option '--dir <value>' argument missing"],
    [["--dir", ""], "--dir needs a value, not an empty string"],
    [["--dir", "x", "--quiet"], "Unknown option '--quiet'"],
  ])("refuses %j", (argv, message) => {
    expect(thrownMessage(() => parseCheckovArgs(argv), UsageError)).toBe(`${message}\n${USAGE}`);
  });
});

describe("state.ts (scripts/bootstrap.sh)", () => {
  const USAGE =
    "usage: state.ts exists <environment> <stack> | destroy-check <environment> | preflight <environment,...> | locking <environment> | stack-name <environment> bootstrap|foundation";

  test("the callers' command lines", () => {
    expect(parseStateArgs(["exists", "dev", "bootstrap"])).toEqual({
      command: "exists",
      env: "dev",
      stack: "bootstrap",
    });
    expect(parseStateArgs(["stack-name", "dev", "bootstrap"])).toEqual({
      command: "stack-name",
      env: "dev",
      stack: "bootstrap",
    });
    expect(parseStateArgs(["destroy-check", "dev"])).toEqual({ command: "destroy-check", env: "dev" });
    expect(parseStateArgs(["locking", "staging"])).toEqual({ command: "locking", env: "staging" });
    expect(parseStateArgs(["preflight", "dev"])).toEqual({ command: "preflight", envs: ["dev"] });
    expect(parseStateArgs(["preflight", "dev, local"])).toEqual({ command: "preflight", envs: ["dev", "local"] });
  });

  test.each([
    [[], "name a command"],
    [["status", "dev"], "unknown command status"],
    [["exists", "dev"], 'exists takes <environment> <stack>, not "dev"'],
    [["locking"], "locking takes <environment>"],
    [["locking", "dev", "extra"], 'locking takes <environment>, not "dev" "extra"'],
    [["destroy-check", ""], 'destroy-check takes <environment>, not ""'],
    [["preflight-stacks", "dev-foundation"], "unknown command preflight-stacks"],
    [["preflight", ","], 'preflight names no environment: ","'],
    [["stack-name", "dev", "ml-platform"], "stack-name takes bootstrap or foundation, not ml-platform"],
    [["locking", "dev", "--json"], "Unknown option '--json'"],
  ])("refuses %j", (argv, message) => {
    expect(thrownMessage(() => parseStateArgs(argv), UsageError)).toBe(`${message}\n${USAGE}`);
  });
});

describe("bench (tools/bench/options.ts)", () => {
  const USAGE =
    "usage: npm run bench -- [--runs N] [--scale 10,50,200] [--large-runs N] [--quick] [--keep] [--no-plans] [--no-unit]";

  test("defaults, --quick's smaller defaults, and what is given winning over them", () => {
    expect(parseBenchArgs([])).toEqual({
      runs: 5,
      largeRuns: 3,
      scale: [10, 50, 200],
      quick: false,
      keep: false,
      plans: true,
      unit: true,
    });
    expect(parseBenchArgs(["--quick"])).toEqual({
      runs: 1,
      largeRuns: 1,
      scale: [2, 5],
      quick: true,
      keep: false,
      plans: true,
      unit: true,
    });
    expect(parseBenchArgs(["--runs=2", "--scale", "5,2,5", "--no-plans", "--no-unit", "--keep"])).toEqual({
      runs: 2,
      largeRuns: 3,
      scale: [2, 5],
      quick: false,
      keep: true,
      plans: false,
      unit: false,
    });
  });

  test.each([
    [["--runs", "0"], "--runs takes a whole number from 1, not 0"],
    [["--scale", "10,x"], "--scale takes a whole number from 1, not x"],
    [["--bogus"], "Unknown option '--bogus'"],
    [["plans"], "unexpected argument plans: this command takes options only"],
  ])("refuses %j", (argv, message) => {
    expect(thrownMessage(() => parseBenchArgs(argv), UsageError)).toBe(`${message}\n${USAGE}`);
  });
});

describe("seed, secrets-fill and the CDK Terrain rehearsal refuse a bad command line before they do anything", () => {
  const script = (file: string, ...args: string[]) =>
    spawnSync(process.execPath, ["-r", "./scripts/register.js", file, ...args], {
      cwd: join(__dirname, ".."),
      encoding: "utf8",
    });

  test.each([
    [["scripts/seed.ts", "--all"], "Unknown option '--all'\nusage: npm run seed [-- <module> ...]\n"],
    [
      ["scripts/secrets-fill.ts"],
      "secrets-fill: name the environment\nusage: npm run secrets-fill -- <env> [<module>|<env>-<module> ...]\n",
    ],
    [
      ["scripts/terrain-rehearsal.ts", "--out"],
      "terrain-rehearsal: Option '--out <value>' argument missing\nusage: npm run terrain-rehearsal [-- --out DIR]\n",
    ],
  ])("%j", (argv, stderr) => {
    const result = script(...(argv as [string, ...string[]]));
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 64, stderr });
  });
});

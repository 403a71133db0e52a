// The command lines of the scripts, each parsed by scripts/lib/cli.ts: what every caller
// (package.json, the workflows, the e2e, tools/bench) passes still parses, and bad input is refused
// with what is wrong and the usage line.
import { join, resolve } from "node:path";
import { UsageError } from "../scripts/lib/cli";
import { parseDriftArgs } from "../scripts/drift";
import { parsePlanArgs } from "../scripts/plan";
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
      out: join(process.cwd(), ".drift"),
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

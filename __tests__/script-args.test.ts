// The command lines of the scripts, each parsed by scripts/lib/cli.ts: what every caller
// (package.json, the workflows, the e2e, tools/bench) passes still parses, and bad input is refused
// with what is wrong and the usage line.
import { join, resolve } from "node:path";
import { UsageError } from "../scripts/lib/cli";
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

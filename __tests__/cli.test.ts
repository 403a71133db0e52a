import { parseCommandLine, UsageError, wholeNumber } from "../scripts/lib/cli";
import { ConfigError } from "../core/errors";

const USAGE = "usage: tool <stack> [--out DIR] [--json]";
const OPTIONS = { out: { type: "string" }, json: { type: "boolean" } } as const;

describe("parseCommandLine", () => {
  it("returns option values and positionals", () => {
    expect(parseCommandLine(["dev-*", "--out", "x", "--json"], OPTIONS, USAGE)).toEqual({
      values: { out: "x", json: true },
      positionals: ["dev-*"],
    });
    expect(parseCommandLine(["--out=y", "a", "b"], OPTIONS, USAGE)).toEqual({
      values: { out: "y" },
      positionals: ["a", "b"],
    });
  });

  it("refuses an unknown option naming it, then the usage line", () => {
    let error: unknown;
    try {
      parseCommandLine(["--nope"], OPTIONS, USAGE);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(`Unknown option '--nope'\n${USAGE}`);
  });

  it("refuses an option missing its value", () => {
    expect(() => parseCommandLine(["--out"], OPTIONS, USAGE)).toThrow(
      new UsageError("Option '--out <value>' argument missing", USAGE),
    );
  });
});

describe("wholeNumber", () => {
  it("takes whole numbers from 1 and the default when absent", () => {
    expect(wholeNumber("parallelism", "3", 2, USAGE)).toBe(3);
    expect(wholeNumber("parallelism", undefined, 2, USAGE)).toBe(2);
  });

  it.each(["0", "-1", "1.5", "two", ""])("refuses %j", (value) => {
    expect(() => wholeNumber("parallelism", value, 2, USAGE)).toThrow(
      new UsageError(`--parallelism takes a whole number from 1, not ${value}`, USAGE),
    );
  });
});

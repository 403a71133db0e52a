import {
  noPositionals,
  nonEmpty,
  optionalValue,
  parseCommandLine,
  required,
  stackSelection,
  UsageError,
  wholeNumber,
} from "../scripts/lib/cli";
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

describe("optionalValue", () => {
  const MOCK = ["if-missing"] as const;

  it("reads the option alone or with one of its values, the last one counting, and leaves the rest", () => {
    expect(optionalValue(["dev-*", "--mock", "--out", "x"], "mock", MOCK, USAGE)).toEqual({
      value: true,
      rest: ["dev-*", "--out", "x"],
    });
    expect(optionalValue(["--mock", "dev-*", "--mock=if-missing"], "mock", MOCK, USAGE)).toEqual({
      value: "if-missing",
      rest: ["dev-*"],
    });
    expect(optionalValue(["dev-*", "--mocked"], "mock", MOCK, USAGE)).toEqual({
      value: undefined,
      rest: ["dev-*", "--mocked"],
    });
  });

  it("leaves what follows -- as it is", () => {
    expect(optionalValue(["a", "--", "--mock", "--mock=x"], "mock", MOCK, USAGE)).toEqual({
      value: undefined,
      rest: ["a", "--", "--mock", "--mock=x"],
    });
  });

  it.each(["--mock=", "--mock=always"])("refuses %s, naming the values it takes", (arg) => {
    expect(() => optionalValue([arg], "mock", MOCK, USAGE)).toThrow(
      new UsageError(`--mock stands alone or takes =if-missing, not =${arg.slice("--mock=".length)}`, USAGE),
    );
  });
});

describe("nonEmpty, required, stackSelection and noPositionals", () => {
  it("returns an option's value, undefined when absent; refuses it empty", () => {
    expect(nonEmpty("out", "x", USAGE)).toBe("x");
    expect(nonEmpty("out", undefined, USAGE)).toBeUndefined();
    expect(() => nonEmpty("out", "", USAGE)).toThrow(new UsageError("--out needs a value, not an empty string", USAGE));
  });

  it("returns a required option's value; refuses it absent or empty", () => {
    expect(required("repo", "acme/platform", USAGE)).toBe("acme/platform");
    expect(() => required("repo", undefined, USAGE)).toThrow(new UsageError("--repo is required", USAGE));
    expect(() => required("repo", "", USAGE)).toThrow(
      new UsageError("--repo needs a value, not an empty string", USAGE),
    );
  });

  it("takes one stack selection; refuses none, and a second naming it", () => {
    expect(stackSelection(["dev-*"], "plan", USAGE)).toBe("dev-*");
    expect(() => stackSelection([], "plan", USAGE)).toThrow(new UsageError("name the stacks to plan", USAGE));
    expect(() => stackSelection(["dev-a", "dev-b", "dev-c"], "plan", USAGE)).toThrow(
      new UsageError("one selection only (use commas): dev-b", USAGE),
    );
  });

  it("refuses a positional argument, naming the first", () => {
    expect(noPositionals([], USAGE)).toBeUndefined();
    expect(() => noPositionals(["x", "y"], USAGE)).toThrow(
      new UsageError("unexpected argument x: this command takes options only", USAGE),
    );
  });
});

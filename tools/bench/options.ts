import { noPositionals, parseCommandLine, wholeNumber } from "../../scripts/lib/cli";

/** Flags of npm run bench; see tools/bench/index.ts. */
export interface Options {
  runs: number;
  largeRuns: number;
  scale: number[];
  quick: boolean;
  keep: boolean;
  /** The no-change plan comparison against an emulator (bench-plans.ts); --no-plans skips it. */
  plans: boolean;
  /** The unit tier (npm test) without its caches, then again; --no-unit skips it. */
  unit: boolean;
}

const USAGE =
  "usage: npm run bench -- [--runs N] [--scale 10,50,200] [--large-runs N] [--quick] [--keep] [--no-plans] [--no-unit]";

/** The flags of npm run bench; bad input is a UsageError. `--help` prints the usage and exits. */
export function parseArgs(argv: string[]): Options {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      runs: { type: "string" },
      "large-runs": { type: "string" },
      scale: { type: "string" },
      quick: { type: "boolean" },
      keep: { type: "boolean" },
      "no-plans": { type: "boolean" },
      "no-unit": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    USAGE,
  );
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  noPositionals(positionals, USAGE);
  const quick = values.quick ?? false;
  const runs = wholeNumber("runs", values.runs, quick ? 1 : 5, USAGE);
  const scale =
    values.scale === undefined
      ? quick
        ? [2, 5]
        : [10, 50, 200]
      : values.scale
          .split(",")
          .filter(Boolean)
          .map((v) => wholeNumber("scale", v, 0, USAGE));
  const largeRuns = wholeNumber("large-runs", values["large-runs"], 3, USAGE);
  return {
    runs,
    largeRuns: quick ? Math.min(largeRuns, runs) : largeRuns,
    scale: [...new Set(scale)].sort((a, b) => a - b),
    quick,
    keep: values.keep ?? false,
    plans: !values["no-plans"],
    unit: !values["no-unit"],
  };
}

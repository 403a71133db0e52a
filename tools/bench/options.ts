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

export function parseArgs(argv: string[]): Options {
  const opts: Options = {
    runs: 5,
    largeRuns: 3,
    scale: [10, 50, 200],
    quick: false,
    keep: false,
    plans: true,
    unit: true,
  };
  const positive = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got "${value ?? ""}"`);
    return n;
  };
  let scaleGiven = false;
  let runsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--runs":
        opts.runs = positive(flag, value());
        runsGiven = true;
        break;
      case "--large-runs":
        opts.largeRuns = positive(flag, value());
        break;
      case "--scale":
        opts.scale = (value() ?? "")
          .split(",")
          .filter(Boolean)
          .map((v) => positive(flag, v));
        scaleGiven = true;
        break;
      case "--quick":
        opts.quick = true;
        break;
      case "--keep":
        opts.keep = true;
        break;
      case "--no-plans":
        opts.plans = false;
        break;
      case "--no-unit":
        opts.unit = false;
        break;
      case "--help":
      case "-h":
        console.log(
          "usage: npm run bench -- [--runs N] [--scale 10,50,200] [--large-runs N] [--quick] [--keep] [--no-plans] [--no-unit]",
        );
        process.exit(0);
      // falls through (process.exit never returns)
      default:
        throw new Error(`unknown flag "${arg}"; try --help`);
    }
  }
  if (opts.quick) {
    if (!runsGiven) opts.runs = 1;
    if (!scaleGiven) opts.scale = [2, 5];
    opts.largeRuns = Math.min(opts.largeRuns, opts.runs);
  }
  opts.scale = [...new Set(opts.scale)].sort((a, b) => a - b);
  return opts;
}

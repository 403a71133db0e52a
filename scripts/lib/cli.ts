// The command line of every script, on Node's own util.parseArgs: one way to declare options, one
// wording for bad input (what is wrong, then the usage line), one exit code for it (2).
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError } from "../../core/errors";

/** Bad command-line input: the message names what is wrong; `usage` says how to call the script. */
export class UsageError extends ConfigError {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(`${message}\n${usage}`);
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** What parseArgs gives for these options: strings, booleans and (with `multiple`) their lists. */
export type Values<O extends Options> = {
  [K in keyof O]?: O[K] extends { type: "boolean" }
    ? O[K] extends { multiple: true }
      ? boolean[]
      : boolean
    : O[K] extends { multiple: true }
      ? string[]
      : string;
};

/**
 * Parses `argv` against `options` (strict: an unknown option or a missing value is refused) and
 * returns the option values and the positional arguments. parseArgs' own messages are kept, with
 * the usage line after them.
 */
export function parseCommandLine<O extends Options>(
  argv: readonly string[],
  options: O,
  usage: string,
): { values: Values<O>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: values as Values<O>, positionals };
  } catch (e) {
    const message = (e as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new UsageError(message, usage);
  }
}

/** A whole number from 1 (`--parallelism`), or the default when the option is absent. */
export function wholeNumber(name: string, value: string | undefined, fallback: number, usage: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} takes a whole number from 1, not ${value}`, usage);
  return n;
}

/**
 * Runs a script's main and exits with its code. A ConfigError (bad input, a refused selection) is
 * printed without a stack trace: exit 2 for usage errors, 1 otherwise. Anything else is a defect
 * and keeps its trace.
 */
export function runMain(main: () => Promise<number> | number): void {
  Promise.resolve()
    .then(main)
    .then(
      (code) => process.exit(code),
      (e: unknown) => {
        if (e instanceof UsageError) {
          console.error(e.message);
          process.exit(2);
        }
        if (e instanceof ConfigError) {
          console.error(e.message);
          process.exit(1);
        }
        console.error(e);
        process.exit(1);
      },
    );
}

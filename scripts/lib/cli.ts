// The command line of every script, on Node's own util.parseArgs: one way to declare options, one
// wording for bad input (what is wrong, then the usage line), one exit code for it (2).
import { basename } from "node:path";
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

/**
 * An option that stands alone or carries a value after `=` (`--mock-foundation`,
 * `--mock-foundation=if-missing`), which parseArgs has no type for: taken out of `argv` (up to a
 * `--`) before parseCommandLine reads the rest. The last one given counts: `true` alone, else its
 * value, which must be one of `values`.
 */
export function optionalValue<V extends string>(
  argv: readonly string[],
  name: string,
  values: readonly V[],
  usage: string,
): { value: true | V | undefined; rest: string[] } {
  const end = argv.includes("--") ? argv.indexOf("--") : argv.length;
  let value: true | V | undefined;
  const rest: string[] = [];
  for (const arg of argv.slice(0, end)) {
    if (arg === `--${name}`) value = true;
    else if (!arg.startsWith(`--${name}=`)) rest.push(arg);
    else {
      const given = arg.slice(`--${name}=`.length);
      if (!(values as readonly string[]).includes(given))
        throw new UsageError(
          `--${name} stands alone or takes ${values.map((v) => `=${v}`).join(" or ")}, not =${given}`,
          usage,
        );
      value = given as V;
    }
  }
  return { value, rest: [...rest, ...argv.slice(end)] };
}

/** An option's value, undefined when absent; an empty value (`--out ""`) is refused. */
export function nonEmpty(name: string, value: string | undefined, usage: string): string | undefined {
  if (value === "") throw new UsageError(`--${name} needs a value, not an empty string`, usage);
  return value;
}

/** The value of an option the script cannot do without. */
export function required(name: string, value: string | undefined, usage: string): string {
  const given = nonEmpty(name, value, usage);
  if (given === undefined) throw new UsageError(`--${name} is required`, usage);
  return given;
}

/**
 * The one positional argument of a script that works on a selection of stacks (a stack, a glob, a
 * comma list); `verb` says what it does with them.
 */
export function stackSelection(positionals: readonly string[], verb: string, usage: string): string {
  if (positionals.length === 0) throw new UsageError(`name the stacks to ${verb}`, usage);
  if (positionals.length > 1) throw new UsageError(`one selection only (use commas): ${positionals[1]}`, usage);
  return positionals[0];
}

/** Refuses positional arguments where a script takes options only. */
export function noPositionals(positionals: readonly string[], usage: string): void {
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument ${positionals[0]}: this command takes options only`, usage);
}

/** A whole number from 1 (`--parallelism`), or the default when the option is absent. */
export function wholeNumber(name: string, value: string | undefined, fallback: number, usage: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} takes a whole number from 1, not ${value}`, usage);
  return n;
}

/**
 * The exit code of a refused command line: EX_USAGE of sysexits.h, apart from 1 (failure) and from
 * 2, which `npm run plan` and `npm run drift` use for "changes" (-detailed-exitcode), so a workflow
 * that accepts 2 never takes a mistyped option for a plan with changes.
 */
export const EX_USAGE = 64;

/**
 * Runs a script's main and exits with its code. A ConfigError (bad input, a refused selection) is
 * printed as its message (after `<name>: ` with `prefixed`): exit EX_USAGE for a refused command
 * line, 1 otherwise. Anything else (credentials missing, a service not answering, a defect) exits 1
 * with `<name> failed: <message>` and, with PLATFORM_DEBUG=1, its stack trace.
 */
export function runMain(
  main: () => Promise<number> | number,
  name = basename(process.argv[1] ?? "script", ".ts"),
  prefixed = false,
): void {
  Promise.resolve()
    .then(main)
    .then(
      (code) => process.exit(code),
      (e: unknown) => {
        if (e instanceof ConfigError) {
          console.error(prefixed ? `${name}: ${e.message}` : e.message);
          process.exit(e instanceof UsageError ? EX_USAGE : 1);
        }
        if (process.env.PLATFORM_DEBUG === "1" || !(e instanceof Error)) console.error(e);
        else console.error(`${name} failed: ${e.message} (PLATFORM_DEBUG=1 prints where)`);
        process.exit(1);
      },
    );
}

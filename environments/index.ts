import type { z } from "zod";
import { cidrsOverlap } from "../core/cidr";
import { dev } from "./dev";
import { localEnvironment } from "./local";
import { moduleEntries, type ModuleEnvironmentsByName, unknownEnvironmentKeys } from "./module-entries";
import { prod } from "./prod";
import { type Environment, type EnvironmentInput, environmentSchema } from "./schema";
import { staging } from "./staging";

export type { Environment, EnvironmentInput } from "./schema";

import { ConfigError } from "../core/errors";

export { ConfigError };

const ENVIRONMENT_FILES = (env: NodeJS.ProcessEnv) => [localEnvironment(env), dev, staging, prod];

/** The names of every environment, in deploy order of risk. */
export const environmentNames = (): string[] => ENVIRONMENT_FILES({}).map((e) => e.name);

/**
 * Every environment, unvalidated, in deploy order of risk, with each module's entry there: its
 * `default` merged with what its packages/<m>/environments.ts says for that environment. An entry
 * keyed by a name that is no environment is an error naming the valid ones.
 */
export function environmentInputs(env: NodeJS.ProcessEnv, modules: ModuleEnvironmentsByName): EnvironmentInput[] {
  const inputs = ENVIRONMENT_FILES(env);
  const typos = unknownEnvironmentKeys(
    inputs.map((e) => e.name),
    modules,
  );
  if (typos.length > 0) throw new ConfigError(typos.join("\n"));
  return inputs.map((input) => ({ ...input, modules: moduleEntries(input.name, modules) }));
}

function formatIssues(envName: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join(".") : "(root)";
    return `  - ${path}: ${issue.message}`;
  });
  return `environment "${envName}" is invalid:\n${lines.join("\n")}`;
}

/** Validates one environment; the error names the environment, each field path and the reason. */
export function parseEnvironment(input: unknown): Environment {
  const result = environmentSchema.safeParse(input);
  if (result.success) return result.data;
  const name = typeof (input as { name?: unknown })?.name === "string" ? (input as { name: string }).name : "(unnamed)";
  throw new ConfigError(formatIssues(name, result.error));
}

/** The environment names of a comma list such as PLATFORM_ENVIRONMENTS="dev, local" (blanks dropped). */
export function environmentList(selection: string | undefined): string[] {
  return (selection ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Parses the selection of environments to synthesize, e.g. PLATFORM_ENVIRONMENTS="dev,local".
 * Empty or unset selects every environment.
 */
export function selectEnvironments(inputs: EnvironmentInput[], selection: string | undefined): EnvironmentInput[] {
  const wanted = environmentList(selection);
  if (wanted.length === 0) return inputs;
  const known = inputs.map((e) => e.name);
  const unknown = wanted.filter((w) => !known.includes(w));
  if (unknown.length > 0) {
    throw new ConfigError(
      `unknown environment ${unknown.map((u) => `"${u}"`).join(", ")} in PLATFORM_ENVIRONMENTS; valid names: ${known.join(", ")}`,
    );
  }
  return inputs.filter((e) => wanted.includes(e.name));
}

/** Selects and validates environments; every error from every environment is reported together. */
export function loadEnvironments(
  inputs: EnvironmentInput[],
  selection: string | undefined = process.env.PLATFORM_ENVIRONMENTS,
): Environment[] {
  const names = inputs.map((e) => e.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new ConfigError(`environment "${duplicate}" is defined twice; environment names must be unique`);
  const selected = selectEnvironments(inputs, selection);
  const errors: string[] = [];
  const parsed: Environment[] = [];
  for (const input of selected) {
    try {
      parsed.push(parseEnvironment(input));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      errors.push(e.message);
    }
  }
  if (errors.length > 0) throw new ConfigError(errors.join("\n"));
  checkDistinctNetworks(parsed);
  return parsed;
}

/** Environments may be peered or routed to each other later, so their VPC ranges must not overlap. */
function checkDistinctNetworks(envs: Environment[]): void {
  for (let i = 0; i < envs.length; i++) {
    for (let j = i + 1; j < envs.length; j++) {
      const [a, b] = [envs[i], envs[j]];
      if (cidrsOverlap(a.network.vpcCidr, b.network.vpcCidr)) {
        throw new ConfigError(
          `environment "${b.name}": network.vpcCidr ${b.network.vpcCidr} overlaps environment "${a.name}" (${a.network.vpcCidr}); give each environment its own range`,
        );
      }
    }
  }
}

// Writes the values the platform owes the modules' secrets, after their stacks are deployed:
//   npm run secrets-fill -- <env> [<module>|<env>-<module> ...]     every enabled module with secrets by default
// For each declared secret, a key in `generate` gets 40 random letters and digits where the secret has
// no value for it yet. A value that exists is never replaced, so running it again changes nothing; the
// apply workflow runs it after each module stack. A secret its stack writes (`writtenByStack`) is left
// alone. Values are never printed.
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { parseCommandLine, runMain, UsageError } from "./lib/cli";
import { randomInt } from "node:crypto";
import { BOOTSTRAP_STACK, FOUNDATION_STACK, secretName, parseStackId, stackName } from "../core/naming";
import { ConfigError, type Environment, loadEnvironments } from "../environments";
import { MODULES, platformInputs } from "../packages";
import type { SecretDeclaration } from "../stacks/module-api";
import { httpStatus, sdkConfig } from "./aws";
import { currentSecretValue, putIfAdded } from "./lib/deployed";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
export const GENERATED_LENGTH = 40;

/** A generated value: letters and digits only, so it needs no quoting in an env file. */
export function generateValue(length = GENERATED_LENGTH): string {
  return Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join("");
}

/** What one secret should hold: its current keys kept as they are, generated keys added where missing. */
export function filledValue(
  declaration: Pick<SecretDeclaration, "generate">,
  current: Readonly<Record<string, unknown>>,
  generate: () => string = generateValue,
): { value: Record<string, unknown>; filled: string[] } {
  const value: Record<string, unknown> = { ...current };
  const filled: string[] = [];
  for (const key of declaration.generate ?? []) {
    if (value[key] !== undefined) continue;
    value[key] = generate();
    filled.push(key);
  }
  return { value, filled };
}

/** The modules a command line names (module names or their stack ids), or every enabled one with secrets. */
export function modulesToFill(env: Environment, names: readonly string[]): string[] {
  const enabled = MODULES.filter((m) => env.modules[m.name]?.enabled && (m.secrets ?? []).length > 0).map(
    (m) => m.name,
  );
  if (names.length === 0) return enabled;
  return names.flatMap((n) => {
    const { env: prefix, stack } = parseStackId(n);
    const module = prefix === env.name && stack ? stack : n;
    if (stack === BOOTSTRAP_STACK || stack === FOUNDATION_STACK) return [];
    if (!MODULES.some((m) => m.name === module)) {
      throw new ConfigError(
        `"${n}" is no module of ${env.name}; modules with secrets there: ${enabled.join(", ") || "none"}`,
      );
    }
    return enabled.includes(module) ? [module] : [];
  });
}

const USAGE = "usage: npm run secrets-fill -- <env> [<module>|<env>-<module> ...]";

export async function secretsFill(argv: readonly string[]): Promise<string[]> {
  const [envName, ...names] = parseCommandLine(argv, {}, USAGE).positionals;
  if (!envName) throw new UsageError("name the environment", USAGE);
  const env = loadEnvironments(platformInputs(), envName)[0];
  const aws = sdkConfig(env);
  const client = new SecretsManagerClient(aws);
  const lines: string[] = [];
  for (const module of modulesToFill(env, names)) {
    const declared = MODULES.find((m) => m.name === module)!.secrets ?? [];
    for (const declaration of declared) {
      const id = secretName(env, module, declaration.name);
      if (declaration.writtenByStack) {
        lines.push(`${id}: written by its stack`);
        continue;
      }
      let current: Record<string, unknown> | undefined;
      try {
        current = await currentSecretValue(client, id);
      } catch (e) {
        if (httpStatus(e) !== 404) throw e;
        throw new ConfigError(
          `${id} does not exist; deploy the module first: npm run deploy -- ${stackName(env, module)}`,
        );
      }
      const { value, filled } = filledValue(declaration, current ?? {});
      await putIfAdded(client, id, value, filled);
      lines.push(`${id}: ${filled.length > 0 ? `filled ${filled.join(", ")}` : "nothing to fill"}`);
    }
  }
  return lines;
}

if (require.main === module) {
  runMain(
    async () => {
      for (const line of await secretsFill(process.argv.slice(2))) console.log(`secrets-fill: ${line}`);
      return 0;
    },
    "secrets-fill",
    true,
  );
}

// Writes a module's secrets as env files, one per profile:
//   npm run secrets-init -- <env> <module|profile> [--out DIR]
// Fetches every secret of the profile from Secrets Manager (the emulator for `local`: the SDK honours
// AWS_ENDPOINT_URL, so pointing it at AWS is the only change), names each key as the profile's
// renaming rule says (core/secret-env.ts) and writes <DIR>/<profile>.env with mode 0600, whole or
// not at all. DIR defaults to ~/.<project>/secrets/<env> and may not lie inside the repository.
// Values are never printed: the summary names files, secrets and variables only.
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { nonEmpty, parseCommandLine, runMain, UsageError } from "./lib/cli";
import { chmodSync, existsSync, mkdirSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { envLine, profileMembers, profileVariables, type ProfileSecret } from "../core/secret-env";
import { ConfigError, type Environment, loadEnvironments } from "../environments";
import { MODULES, platformInputs } from "../packages";
import { secretName, stackName } from "../core/naming";
import { httpStatus, sdkConfig } from "./aws";
import { noValueYet } from "./lib/deployed";

export const REPOSITORY_ROOT = resolve(__dirname, "..");

const USAGE = "usage: npm run secrets-init -- <env> <module|profile> [--out DIR]";

export interface SecretsInitArgs {
  readonly env: string;
  readonly target: string;
  readonly out?: string;
}

/** The command line of secrets-init; bad input is a UsageError. */
export function parseArgs(argv: readonly string[]): SecretsInitArgs {
  const { values, positionals } = parseCommandLine(argv, { out: { type: "string" } }, USAGE);
  if (positionals.length !== 2)
    throw new UsageError(
      `expected an environment and a module or profile, got ${positionals.length} argument(s)`,
      USAGE,
    );
  return { env: positionals[0], target: positionals[1], out: nonEmpty("out", values.out, USAGE) };
}

/** The profiles a target names in an environment: a module's profiles, or one profile; anything else is refused listing both. */
export function profilesFor(env: Environment, target: string): Map<string, ProfileSecret[]> {
  const enabled = MODULES.filter((m) => env.modules[m.name]?.enabled);
  const members = profileMembers(enabled);
  const module = MODULES.find((m) => m.name === target);
  let names: string[];
  if (module) {
    if (!env.modules[module.name]?.enabled)
      throw new ConfigError(`module "${target}" is not enabled in ${env.name}, so it has no secrets there`);
    names = [...members].filter(([, secrets]) => secrets.some((s) => s.module === target)).map(([p]) => p);
    if (names.length === 0)
      throw new ConfigError(`module "${target}" declares no secrets (its definition's \`secrets\`)`);
  } else if (members.has(target)) {
    names = [target];
  } else {
    const withSecrets = enabled.filter((m) => (m.secrets ?? []).length > 0).map((m) => m.name);
    throw new ConfigError(
      `"${target}" is neither a module nor a profile with secrets in ${env.name}; profiles: ${[...members.keys()].sort().join(", ") || "none"}; modules with secrets: ${withSecrets.join(", ") || "none"}`,
    );
  }
  return new Map(names.map((p) => [p, profileVariables(p, members.get(p)!)]));
}

/** The output directory, refused when it lies inside the repository (followed through symlinks). */
export function outputDirectory(out: string, root = REPOSITORY_ROOT): string {
  const dir = resolve(out);
  const inside = (child: string, parent: string) => {
    const rel = relative(parent, child);
    return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
  };
  const realRoot = realpathSync(root);
  // The deepest part of the path that exists, with symlinks resolved, and the rest appended.
  let existing = dir;
  while (!existsSync(existing)) existing = dirname(existing);
  const real = join(realpathSync(existing), relative(existing, dir));
  if (inside(dir, root) || inside(real, realRoot)) {
    throw new ConfigError(
      `${out} is inside the repository (${root}); env files hold secret values and must live outside it: pass --out with a directory elsewhere`,
    );
  }
  return dir;
}

/** The text of one env file; a secret without a value or without a declared key is an error naming it, never a partial file. */
export function renderProfile(
  env: Environment,
  profile: string,
  secrets: readonly ProfileSecret[],
  values: ReadonlyMap<string, Record<string, unknown> | undefined>,
): string {
  const lines = [`# ${profile}.env of ${env.project} ${env.name}, written by secrets-init; do not commit or share.`];
  const problems: string[] = [];
  for (const s of secrets) {
    const id = secretName(env, s.module, s.secret);
    const value = values.get(id);
    if (!value) {
      problems.push(
        `${id} has no value yet; put one with every key (${[...s.variables.keys()].join(", ")}): npm run secrets-fill -- ${env.name} ${s.module} writes what the platform generates, aws secretsmanager put-secret-value --secret-id ${id} --secret-string file://<json file> the rest`,
      );
      continue;
    }
    const missing = [...s.variables.keys()].filter((k) => typeof value[k] !== "string");
    if (missing.length > 0) {
      problems.push(
        `${id} lacks ${missing.join(", ")} (or they are not strings); put a value holding every key with aws secretsmanager put-secret-value --secret-id ${id}`,
      );
      continue;
    }
    for (const [key, variable] of s.variables) {
      try {
        lines.push(envLine(variable, value[key] as string, `${id} ${key}`));
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(`${profile}.env not written:\n  ${problems.join("\n  ")}`);
  return `${lines.join("\n")}\n`;
}

/** Writes the file with mode 0600 through a temporary file, so it is either the old one or the whole new one. */
export function writeEnvFile(dir: string, profile: string, text: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${profile}.env`);
  const temporary = join(dir, `.${profile}.env.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text, { mode: 0o600, flag: "wx" });
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
  return file;
}

/** Secret values by secret name (given with its module); a secret that exists without a value maps to undefined. */
async function fetchValues(
  env: Environment,
  secrets: ReadonlyMap<string, string>,
): Promise<Map<string, Record<string, unknown> | undefined>> {
  const client = new SecretsManagerClient(sdkConfig(env));
  const values = new Map<string, Record<string, unknown> | undefined>();
  for (const [id, module] of secrets) {
    try {
      const out = await client.send(new GetSecretValueCommand({ SecretId: id }));
      const parsed: unknown = JSON.parse(out.SecretString ?? "null");
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
        throw new ConfigError(
          `${id} does not hold a JSON object of keys; put one with aws secretsmanager put-secret-value`,
        );
      values.set(id, parsed as Record<string, unknown>);
    } catch (e) {
      if (e instanceof SyntaxError)
        throw new ConfigError(
          `${id} does not hold JSON; put a JSON object of keys with aws secretsmanager put-secret-value`,
        );
      const name = (e as { name?: string }).name;
      if (name === "CredentialsProviderError") {
        throw new ConfigError(
          `no AWS credentials to read ${env.name}'s secrets; sign in to account ${env.accountId} (AWS_PROFILE, aws sso login) and run again`,
        );
      }
      if (name === "AccessDeniedException" || httpStatus(e) === 403) {
        throw new ConfigError(
          `not allowed to read ${id} (${(e as Error).message}); secretsmanager:GetSecretValue on it and kms:Decrypt on the environment's key are needed`,
        );
      }
      if (noValueYet(e)) {
        values.set(id, undefined);
        continue;
      }
      if (httpStatus(e) === 404 || name === "ResourceNotFoundException") {
        throw new ConfigError(
          `${id} does not exist in ${env.name}; deploy the module's stack first (npm run deploy -- ${stackName(env, module)})`,
        );
      }
      throw e;
    }
  }
  return values;
}

export async function secretsInit(argv: readonly string[]): Promise<string[]> {
  const args = parseArgs(argv);
  const env = loadEnvironments(platformInputs(), args.env)[0];
  const profiles = profilesFor(env, args.target);
  const dir = outputDirectory(args.out ?? join(homedir(), `.${env.project}`, "secrets", env.name));
  // Secret name -> its module, each secret once however many profiles hold it.
  const secrets = new Map([...profiles.values()].flat().map((s) => [secretName(env, s.module, s.secret), s.module]));
  const values = await fetchValues(env, secrets);
  // Every file is rendered before any is written: one bad secret leaves all files as they were.
  const texts = [...profiles].map(([profile, secrets]) => ({
    profile,
    secrets,
    text: renderProfile(env, profile, secrets, values),
  }));
  return texts.map(({ profile, secrets, text }) => {
    const file = writeEnvFile(dir, profile, text);
    const renamed = secrets.flatMap((s) =>
      [...s.variables].filter(([k, v]) => k !== v).map(([k, v]) => `${k} of ${s.secret} as ${v}`),
    );
    const keys = secrets.reduce((n, s) => n + s.variables.size, 0);
    return `${file} (0600): ${keys} variable(s) from ${secrets.length} secret(s)${renamed.length > 0 ? `; renamed ${renamed.join(", ")}` : ""}`;
  });
}

if (require.main === module) {
  runMain(
    async () => {
      for (const line of await secretsInit(process.argv.slice(2))) console.log(`secrets-init: wrote ${line}`);
      return 0;
    },
    "secrets-init",
    true,
  );
}

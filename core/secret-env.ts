// Module secrets as env files: which secrets each profile gathers, the variable each key becomes
// (renamed where two secrets of a profile share a key) and the file's text. No I/O here.

/** What the env-file layout needs of a module: its name and declared secrets. */
export interface SecretOwner {
  readonly name: string;
  readonly secrets?: readonly {
    readonly name: string;
    readonly keys: readonly string[];
    readonly generate?: readonly string[];
    readonly writtenByStack?: boolean;
    readonly profiles?: readonly string[];
  }[];
}

/** One secret in one profile, with the variable name each of its keys is written as. */
export interface ProfileSecret {
  readonly module: string;
  readonly secret: string;
  /** key -> variable name */
  readonly variables: ReadonlyMap<string, string>;
}

const SECRET_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const KEY = /^[A-Z][A-Z0-9_]*$/;
const PROFILE = /^[a-z][a-z0-9-]{0,62}$/;

/** Profiles a declared secret is written to: its own list, else its module's name. */
export function profilesOf(module: string, secret: { readonly profiles?: readonly string[] }): readonly string[] {
  return secret.profiles && secret.profiles.length > 0 ? secret.profiles : [module];
}

/**
 * The variable a key becomes when another secret of the same profile has the same key: the secret's
 * name in upper snake case takes the key's place, merged with the key where both start with the same
 * word (`postgres-airflow` + `POSTGRES_USER` -> `POSTGRES_AIRFLOW_USER`), otherwise as a prefix
 * (`stripe` + `API_KEY` -> `STRIPE_API_KEY`).
 */
export function renamedKey(secret: string, key: string): string {
  const prefix = secret.toUpperCase().replace(/-/g, "_");
  const first = prefix.split("_")[0];
  return key.startsWith(`${first}_`) ? `${prefix}${key.slice(first.length)}` : `${prefix}_${key}`;
}

/**
 * Every problem with the registry's secret declarations, as messages naming the module and secret:
 * bad names or keys, a secret declared twice, generated keys it does not have, and variables that
 * would collide in a profile's env file even after renaming.
 */
export function checkSecretDeclarations(modules: readonly SecretOwner[]): string[] {
  const errors: string[] = [];
  for (const module of modules) {
    const seen = new Set<string>();
    for (const secret of module.secrets ?? []) {
      const where = `module "${module.name}": secrets.${secret.name}`;
      if (!SECRET_NAME.test(secret.name))
        errors.push(`${where}: name must be lowercase letters, digits and hyphens, starting with a letter`);
      if (seen.has(secret.name))
        errors.push(`${where}: declared twice; each secret is declared once, with all its keys`);
      seen.add(secret.name);
      if (secret.keys.length === 0) errors.push(`${where}: keys: a secret needs at least one key`);
      for (const key of secret.keys) {
        if (!KEY.test(key))
          errors.push(
            `${where}: keys: "${key}" must be an environment variable name (A-Z, 0-9, _; starting with a letter)`,
          );
      }
      const duplicateKey = secret.keys.find((k, i) => secret.keys.indexOf(k) !== i);
      if (duplicateKey) errors.push(`${where}: keys: "${duplicateKey}" is listed twice`);
      for (const key of secret.generate ?? []) {
        if (!secret.keys.includes(key))
          errors.push(`${where}: generate: "${key}" is not one of its keys (${secret.keys.join(", ")})`);
      }
      if (secret.writtenByStack && (secret.generate ?? []).length > 0)
        errors.push(
          `${where}: writtenByStack and generate exclude each other: the stack writes the whole value; drop generate`,
        );
      for (const profile of secret.profiles ?? []) {
        if (!PROFILE.test(profile))
          errors.push(
            `${where}: profiles: "${profile}" must be lowercase letters, digits and hyphens (it names <profile>.env)`,
          );
      }
    }
  }
  if (errors.length > 0) return errors;
  for (const [profile, secrets] of profileMembers(modules)) {
    try {
      profileVariables(profile, secrets);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  return errors;
}

/** Every profile and the secrets in it, in registry and declaration order. */
export function profileMembers(
  modules: readonly SecretOwner[],
): Map<string, { module: string; secret: string; keys: readonly string[] }[]> {
  const profiles = new Map<string, { module: string; secret: string; keys: readonly string[] }[]>();
  for (const module of modules) {
    for (const secret of module.secrets ?? []) {
      for (const profile of profilesOf(module.name, secret)) {
        const list = profiles.get(profile) ?? [];
        list.push({ module: module.name, secret: secret.name, keys: secret.keys });
        profiles.set(profile, list);
      }
    }
  }
  return profiles;
}

/**
 * The variables of one profile: a key only one secret has keeps its name, a key several have is
 * renamed for each (renamedKey). Two keys that would still be written as one variable are an error.
 */
export function profileVariables(
  profile: string,
  secrets: readonly { module: string; secret: string; keys: readonly string[] }[],
): ProfileSecret[] {
  const holders = new Map<string, number>();
  for (const s of secrets) for (const key of s.keys) holders.set(key, (holders.get(key) ?? 0) + 1);
  const writtenBy = new Map<string, string>();
  return secrets.map((s) => {
    const variables = new Map<string, string>();
    for (const key of s.keys) {
      const variable = holders.get(key)! > 1 ? renamedKey(s.secret, key) : key;
      const source = `${s.module}/${s.secret} ${key}`;
      const other = writtenBy.get(variable);
      if (other) {
        throw new Error(
          `profile "${profile}": ${source} and ${other} would both be written as ${variable}; rename one of the secrets or keys`,
        );
      }
      writtenBy.set(variable, source);
      variables.set(key, variable);
    }
    return { module: s.module, secret: s.secret, variables };
  });
}

/** A value as an env file line can hold it: bare when plain, single-quoted otherwise; what cannot be written is refused. */
export function envLine(variable: string, value: string, source: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]*$/.test(value)) return `${variable}=${value}`;
  if (/[\n\r']/.test(value)) {
    throw new Error(
      `${source}: the value contains a newline or a single quote, which an env file cannot hold unchanged; store it base64-encoded`,
    );
  }
  return `${variable}='${value}'`;
}

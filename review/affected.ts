/**
 * Which stacks a change affects, derived from the code: the import graph of the TypeScript sources
 * decides which stacks a shared file reaches, the environment files decide which environments.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { globMatches } from "../core/glob";
import {
  BOOTSTRAP_STACK,
  FOUNDATION_STACK,
  formatStackId,
  type Layer,
  layerRank,
  parseStackId,
  type StackIdentity,
} from "../core/naming";

/** One stack of the platform as the affected analysis sees it. */
export interface StackInfo extends StackIdentity {
  /** The stack id, `<env>-<stack>`. */
  readonly name: string;
  /** Repository-relative source files the stack's code starts from. */
  readonly roots: string[];
  /** Repository-relative directories whose every file belongs to the stack (charts, assets). */
  readonly dirs: string[];
}

export interface AffectedStack {
  readonly stack: string;
  readonly env: string;
  /** bootstrap, foundation or module: the layer decides apply order. */
  readonly layer: Layer;
  /** The changed files that reach this stack. */
  readonly because: string[];
}

/** Files that shape every stack without being imported by one: dependencies and the CLI config. */
const GLOBAL_FILES = [
  "package.json",
  "package-lock.json",
  "cdktf.json",
  "tsconfig.json",
  "main.ts",
  "app.ts",
  "scripts/register.js",
];
const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']/g;

function resolveImport(repo: string, from: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const base = resolve(repo, dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, "index.ts"), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(repo, candidate);
  }
  return undefined;
}

/** Relative imports of every file reachable from `roots`, including the roots. */
export function importClosure(repo: string, roots: string[], stopAt: ReadonlySet<string> = new Set()): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file) || !existsSync(join(repo, file))) continue;
    seen.add(file);
    const source = readFileSync(join(repo, file), "utf8");
    for (const match of source.matchAll(IMPORT)) {
      const target = resolveImport(repo, file, match[1] ?? match[2] ?? match[3] ?? match[4]);
      if (target && !seen.has(target) && !stopAt.has(target)) queue.push(target);
    }
  }
  return seen;
}

/** The stacks of the platform with their code roots, from the environments and modules in `repo`. */
export function platformStacks(envs: { name: string; modules: string[] }[], moduleDir = "packages"): StackInfo[] {
  const info = (env: string, stack: string, roots: string[], dirs: string[] = []): StackInfo => {
    const name = formatStackId({ env, stack });
    return { name, ...parseStackId(name), roots, dirs };
  };
  return envs.flatMap(({ name, modules }) => [
    info(name, BOOTSTRAP_STACK, ["stacks/bootstrap-stack.ts"]),
    info(name, FOUNDATION_STACK, ["stacks/foundation-stack.ts"]),
    ...modules.map((m) =>
      info(
        name,
        m,
        ["stacks/module-stack.ts", `${moduleDir}/${m}/index.ts`, `${moduleDir}/${m}/resources.ts`],
        [`${moduleDir}/${m}/`],
      ),
    ),
  ]);
}

/**
 * Maps changed files to stacks. A stack is affected by a file in the import closure of its roots,
 * in its own directories, in its environment's configuration, or by a global file. Two kinds of
 * configuration file are boundaries the import graph does not cross: an environment file
 * (`environments/dev.ts` reaches dev's stacks only) and a module's settings file
 * (`packages/<m>/environments.ts` reaches that module's stacks, and every foundation, whose ECR
 * repositories follow which modules are enabled). A module's tests and README plan nothing.
 */
export function affectedStacks(repo: string, stacks: StackInfo[], changed: string[]): AffectedStack[] {
  const envNames = [...new Set(stacks.map((s) => s.env))];
  const envFile = (env: string) => `environments/${env}.ts`;
  const moduleFile = (stack: StackInfo) => `packages/${stack.stack}/environments.ts`;
  const moduleFiles = new Set(stacks.filter((s) => s.layer === "module").map(moduleFile));
  const envFiles = new Set([...envNames.map(envFile), ...moduleFiles]);
  const configRoots = ["environments"]
    .flatMap((dir) =>
      existsSync(join(repo, dir))
        ? readdirSync(join(repo, dir))
            .filter((f) => f.endsWith(".ts"))
            .map((f) => `${dir}/${f}`)
        : [],
    )
    .filter((f) => !envFiles.has(f));
  const shared = importClosure(repo, configRoots, envFiles);
  const closures = new Map<string, Set<string>>();
  const result: AffectedStack[] = [];
  for (const stack of stacks) {
    const key = stack.roots.join("|");
    if (!closures.has(key)) closures.set(key, importClosure(repo, stack.roots, envFiles));
    const code = closures.get(key)!;
    const ownConfig = importClosure(repo, [envFile(stack.env)], envFiles);
    const because = changed.filter(
      (file) =>
        GLOBAL_FILES.includes(file) ||
        code.has(file) ||
        shared.has(file) ||
        ownConfig.has(file) ||
        file === envFile(stack.env) ||
        (stack.layer === "module" && file === moduleFile(stack)) ||
        (stack.layer === "foundation" && moduleFiles.has(file)) ||
        stack.dirs.some((d) => file.startsWith(d) && !file.endsWith(".md") && !file.endsWith(".test.ts")),
    );
    if (because.length > 0) result.push({ stack: stack.name, env: stack.env, layer: stack.layer, because });
  }
  return result;
}

/** What the CI selection needs to know of an environment. */
export interface CiEnvironment {
  readonly name: string;
  /** Set for an emulator environment, which CI never plans or applies. */
  readonly endpoint?: string;
  readonly github: { readonly deployRef: string };
}

/** The environments CI plans and applies: every one but those that run against an emulator. */
export function cloudEnvironments<E extends CiEnvironment>(envs: readonly E[]): E[] {
  return envs.filter((e) => e.endpoint === undefined);
}

/**
 * The environments a push of `ref` deploys to: the cloud environments whose GitHub environment
 * admits that ref (`github.deployRef`, a ref or glob such as refs/tags/v*).
 */
export function environmentsDeployedFrom<E extends CiEnvironment>(envs: readonly E[], ref: string): E[] {
  return cloudEnvironments(envs).filter((e) => globMatches(e.github.deployRef, ref));
}

/** Raised for a base the analysis cannot use; the message says which and what to do. */
export class AffectedError extends Error {}

/** What a change is measured against: a commit, or nothing (then every stack is affected). */
export type Base = { readonly commit: string; readonly label: string } | { readonly everything: string };

/** GitHub's `before` of a push that created a branch or tag, or of a repository's first push. */
const NO_COMMIT = /^0{40}$/;

export interface BaseOptions {
  /** A commit, branch or tag; 40 zeros means there is none. */
  readonly base?: string;
  /** Instead of `base`: the latest tag matching this glob before HEAD (a release since the previous one). */
  readonly sinceTag?: string;
  /** A base that is not in the repository (a force push): an error, or every stack. @default "error" */
  readonly missingBase?: "error" | "all";
}

/**
 * Decides what HEAD is compared with. No base (the all-zero SHA, no earlier tag, or a missing base
 * with `missingBase: "all"`) means every stack, with the reason; a base that does not exist is an
 * error naming it.
 */
export function resolveBase(repo: string, options: BaseOptions): Base {
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  const commitOf = (ref: string) => {
    try {
      return git("rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
    } catch {
      return undefined;
    }
  };
  if (options.sinceTag !== undefined) {
    let tag: string | undefined;
    try {
      tag = git("describe", "--tags", "--abbrev=0", "--match", options.sinceTag, "HEAD^");
    } catch {
      tag = undefined;
    }
    if (!tag) return { everything: `no tag matching "${options.sinceTag}" before HEAD` };
    return { commit: commitOf(tag)!, label: `tag ${tag}` };
  }
  const base = options.base ?? "";
  if (NO_COMMIT.test(base))
    return { everything: "the base is the all-zero SHA (a new branch or tag, or a repository's first push)" };
  const commit = commitOf(base);
  if (commit) return { commit, label: base };
  if (options.missingBase === "all")
    return { everything: `the base ${base} is not in this repository (a force push rewrote it)` };
  throw new AffectedError(
    `base "${base}" does not exist in this repository: fetch it (actions/checkout with fetch-depth: 0) or name an existing commit, branch or tag`,
  );
}

/** Files changed between the merge base of `base` and HEAD, plus uncommitted changes when asked. */
export function changedFiles(repo: string, base: string, includeWorkingTree = false): string[] {
  const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8" });
  const files = new Set(git("diff", "--name-only", `${base}...HEAD`).split("\n").filter(Boolean));
  if (includeWorkingTree) {
    for (const f of git("diff", "--name-only", "HEAD").split("\n").filter(Boolean)) files.add(f);
    for (const f of git("ls-files", "--others", "--exclude-standard").split("\n").filter(Boolean)) files.add(f);
  }
  return [...files].sort();
}

/** Sorted so that applying in this order respects the layers. */
export function inLayerOrder(stacks: AffectedStack[]): AffectedStack[] {
  return [...stacks].sort((a, b) => layerRank(a.layer) - layerRank(b.layer) || a.stack.localeCompare(b.stack));
}

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack, Testing } from "cdktf";
import { buildPlatform, type EnvironmentPlan, planPlatform } from "../app";
import { type Environment, loadEnvironments, parseEnvironment } from "../environments";
import type { EnvironmentInput, LockingMode } from "../environments/schema";
import { MODULE_NAMES, MODULES, platformInputs } from "../packages";
import { BOOTSTRAP_STACK, FOUNDATION_STACK, stackName } from "../core/naming";

/**
 * The stacks of one environment: bootstrap, foundation and every registered module (each is enabled
 * in every environment), in registry order; a module added with `npm run new-module` is among them.
 */
export function stacksOfEnvironment(name: string, layers: "all" | "modules" = "all"): string[] {
  const stacks = layers === "all" ? [BOOTSTRAP_STACK, FOUNDATION_STACK, ...MODULE_NAMES] : [...MODULE_NAMES];
  return stacks.map((s) => stackName({ name }, s));
}

/** A stack with the AWS provider in eu-west-1, for testing a construct on its own. */
export function awsTestStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  return stack;
}

/** Synthesized Terraform JSON of a stack. */
export type StackJson = {
  terraform: { backend?: Record<string, Record<string, unknown>>; required_providers?: Record<string, unknown> };
  provider?: Record<string, Record<string, unknown>[]>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; description?: string; sensitive?: boolean }>;
  locals?: Record<string, unknown>;
};

export function synthJson(stack: TerraformStack): StackJson {
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

/** Resources of one type, by their logical id. */
export function resourcesOf(json: StackJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

export function onlyResource(json: StackJson, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** The one resource of `type` under the construct `id` of the stack (logical ids start `<id>_`). */
export function resourceUnder(json: StackJson, type: string, id: string): Record<string, unknown> {
  const found = Object.entries(resourcesOf(json, type)).filter(([logicalId]) => logicalId.startsWith(`${id}_`));
  if (found.length !== 1) throw new Error(`expected exactly one ${type} under ${id}, found ${found.length}`);
  return found[0][1];
}

/** A validated environment by name, with the emulator endpoint fixed for local. */
export function env(name: string): Environment {
  return loadEnvironments(platformInputs({}), name)[0];
}

/** An environment with another locking mode; a mode that uses a table gets the derived one. */
export function envLocking(name: string, locking: LockingMode): Environment {
  const raw = input(name);
  return parseEnvironment({
    ...raw,
    state: { ...raw.state, locking, lockTable: locking === "s3" ? undefined : `acme-${name}-tflock` },
  });
}

/** Raw input of an environment, to derive broken variants from. */
export function input(name: string): EnvironmentInput {
  const found = platformInputs({}).find((e) => e.name === name);
  if (!found) throw new Error(`no environment ${name}`);
  return structuredClone(found);
}

/** The whole platform as `cdktf synth` builds it, for every environment. */
export function platform(): { app: App; plans: EnvironmentPlan[] } {
  const app = Testing.app();
  const plans = planPlatform(loadEnvironments(platformInputs({}), undefined), MODULES);
  buildPlatform(app, plans);
  return { app, plans };
}

/** The platform as synth wrote it: each stack's JSON and the stacks it depends on, by name. */
export interface SynthesizedPlatform {
  readonly stacks: ReadonlyMap<string, StackJson>;
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
}

/** A value without cdktf's "//" metadata keys, as Testing.synth leaves it. */
function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "//")
      .map(([key, v]) => [key, withoutMetadata(v)]),
  );
}

let synthesized: SynthesizedPlatform | undefined;

/**
 * Every stack of every environment as `npm run synth` writes it, read from the one synth the global
 * setup ran for this run (unit.setup.ts), without cdktf's metadata: the same JSON `synthJson` gives
 * for a stack of `platform()`, without building the 24 stacks again in each suite.
 */
export function synthesizedPlatform(): SynthesizedPlatform {
  if (synthesized) return synthesized;
  const dir = process.env.PLATFORM_UNIT_SYNTH;
  if (!dir)
    throw new Error("PLATFORM_UNIT_SYNTH is not set: run jest with jest.config.js, whose global setup synthesizes");
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { dependencies: string[]; synthesizedStackPath: string }>;
  };
  const entries = Object.entries(manifest.stacks);
  synthesized = {
    stacks: new Map(
      entries.map(([name, m]) => [
        name,
        withoutMetadata(JSON.parse(readFileSync(join(dir, m.synthesizedStackPath), "utf8"))) as StackJson,
      ]),
    ),
    dependencies: new Map(entries.map(([name, m]) => [name, m.dependencies])),
  };
  return synthesized;
}

/** Every stack of an app by name. */
export function stacksOf(app: App): Map<string, TerraformStack> {
  const map = new Map<string, TerraformStack>();
  for (const child of app.node.children) {
    if ("dependencies" in child) map.set(child.node.id, child as TerraformStack);
  }
  return map;
}

/** Parses an IAM policy document that was written as a JSON string. */
export function policy(doc: unknown): { Statement: Record<string, unknown>[] } {
  return JSON.parse(String(doc));
}

/** The message of the error `fn` throws, checking its class; fails when nothing is thrown. */
export function thrownMessage(fn: () => unknown, type: new (...args: never[]) => Error = Error): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    return (e as Error).message;
  }
  throw new Error(`expected ${type.name} to be thrown, nothing was`);
}

/** `node -r scripts/register.js scripts/cdktf.ts`: what `npm run deploy|destroy|diff` runs, as arguments of process.execPath. */
export const CDKTF_TS = [
  "-r",
  join(__dirname, "..", "scripts", "register.js"),
  join(__dirname, "..", "scripts", "cdktf.ts"),
];

import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { type PolicyEnvironment, PolicyGate, PolicyViolationError, type Violation } from "../../policies/pack";
import type { PolicyRule } from "../../policies/rule";
import type { Suppression } from "../../policies/suppression";

export const TAGS = {
  Project: "acme",
  Environment: "dev",
  Owner: "platform",
  CostCenter: "platform",
  ManagedBy: "cdktf",
};
export const DEV: PolicyEnvironment = { name: "dev", deletionProtection: false };
export const PROD: PolicyEnvironment = { name: "prod", deletionProtection: true };

export interface CheckOptions {
  /** Rules to run. @default the one under test, passed by the caller */
  readonly rules: readonly PolicyRule[];
  /** Environment of the stack. @default DEV */
  readonly env?: PolicyEnvironment;
  /** Suppressions of the gate. @default none */
  readonly suppressions?: readonly Suppression[];
  /** Add the tagged AWS provider. @default true */
  readonly provider?: boolean;
}

/** Builds one stack named `test`, applies a gate and synthesizes it; returns what the gate threw. */
export function run(build: (stack: TerraformStack) => void, options: CheckOptions): PolicyViolationError | undefined {
  const stack = new TerraformStack(Testing.app(), "test");
  if (options.provider ?? true) new AwsProvider(stack, "aws", { region: "eu-west-1", defaultTags: [{ tags: TAGS }] });
  build(stack);
  new PolicyGate({ rules: options.rules, suppressions: options.suppressions ?? [] }).apply(stack, options.env ?? DEV);
  try {
    Testing.synth(stack);
    return undefined;
  } catch (e) {
    if (e instanceof PolicyViolationError) return e;
    throw e;
  }
}

/** The violations of one stack, as `ruleId path: message` lines for readable assertions. */
export function violations(build: (stack: TerraformStack) => void, options: CheckOptions): string[] {
  return (run(build, options)?.violations ?? []).map(line);
}

export function line(v: Violation): string {
  return `${v.ruleId} ${v.path}: ${v.message}`;
}

/** An IAM policy document as the JSON string the resources take. */
export function doc(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

import type { StackConfig } from "./stack-config";

/** What a rule may know about the environment a stack belongs to. */
export interface RuleContext {
  /** Environment name, e.g. prod. */
  readonly environment: string;
  /** The environment protects stateful resources from deletion (prod, staging). */
  readonly deletionProtection: boolean;
}

/** One resource (or provider) that breaks a rule. */
export interface Finding {
  /** Construct path of the offender, e.g. `prod-foundation/logs/bucket`; what suppressions match. */
  readonly path: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
}

/** One policy: checked against every stack's synthesized Terraform JSON. */
export interface PolicyRule {
  /** Stable id that suppressions and the README name, e.g. ACME-S3-1. */
  readonly id: string;
  /** One line: what the rule requires. */
  readonly description: string;
  /** How to make an offending resource comply. */
  readonly fix: string;
  /** Every finding of this rule in one stack. */
  check(stack: StackConfig, context: RuleContext): Finding[];
}

import { Aspects, type IAspect, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import type { PolicyRule, RuleContext } from "./rule";
import { RULES } from "./rules";
import { StackConfig } from "./stack-config";
import {
  applySuppressions,
  checkSuppressions,
  describeSuppression,
  type Suppression,
  suppressionMatches,
} from "./suppression";
import { SUPPRESSIONS } from "./suppressions";

/** A finding of one rule, with what a reader needs to fix it. */
export interface Violation {
  /** Rule id, e.g. ACME-S3-1. */
  readonly ruleId: string;
  /** Construct path of the offending resource. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it (the rule's fix text). */
  readonly fix: string;
}

/** Raised once per synth with every violation of every stack, and every unused suppression. */
export class PolicyViolationError extends Error {
  constructor(
    public readonly violations: readonly Violation[],
    public readonly unusedSuppressions: readonly Suppression[],
  ) {
    super(formatReport(violations, unusedSuppressions));
    this.name = "PolicyViolationError";
  }
}

function formatReport(violations: readonly Violation[], unused: readonly Suppression[]): string {
  const parts: string[] = [];
  if (violations.length > 0) {
    const stacks = new Set(violations.map((v) => v.path.split("/")[0]));
    parts.push(
      `${violations.length} policy violation${violations.length === 1 ? "" : "s"} in ${stacks.size} stack${stacks.size === 1 ? "" : "s"}; ` +
        "fix each resource, or suppress it with a reason in policies/suppressions.ts:",
      ...violations.map((v) => `[${v.ruleId}] ${v.path}\n    ${v.message}\n    fix: ${v.fix}`),
    );
  }
  if (unused.length > 0) {
    parts.push(
      "policies/suppressions.ts has suppressions that match no violation; remove them:",
      ...unused.map((s) => `  - ${describeSuppression(s)}`),
    );
  }
  return parts.join("\n");
}

export interface PolicyGateProps {
  /** Exceptions, checked when the gate is created. @default SUPPRESSIONS of policies/suppressions.ts */
  readonly suppressions?: readonly Suppression[];
  /** Rules every stack is checked against. @default RULES */
  readonly rules?: readonly PolicyRule[];
  /** Fail on suppressions that matched nothing; only a run over every stack can tell. @default true */
  readonly reportUnusedSuppressions?: boolean;
}

/** What the pack of one stack knows about its environment. */
export interface PolicyEnvironment {
  readonly name: string;
  readonly deletionProtection: boolean;
}

/**
 * Collects the results of the policy packs of one app and throws one PolicyViolationError listing
 * all of them. cdktf synthesizes stacks one after another, in construct order, and runs a stack's
 * aspects just before writing it: so the check of the last stack closes a round, and its error ends
 * synth before that stack and the manifest are written.
 */
export class PolicyGate {
  private readonly suppressions: readonly Suppression[];
  private readonly rules: readonly PolicyRule[];
  private readonly reportUnused: boolean;
  /** Violations per stack in the current round, before suppressions. */
  private readonly results = new Map<TerraformStack, Violation[]>();
  private readonly stacks = new Set<TerraformStack>();

  constructor(props: PolicyGateProps = {}) {
    this.rules = props.rules ?? RULES;
    this.suppressions = props.suppressions ?? SUPPRESSIONS;
    this.reportUnused = props.reportUnusedSuppressions ?? true;
    checkSuppressions(this.suppressions, this.rules);
  }

  /** Adds the policy pack to a stack, with the settings of the stack's environment. */
  public apply(stack: TerraformStack, env: PolicyEnvironment): void {
    this.stacks.add(stack);
    Aspects.of(stack).add(
      new PolicyPack(this, this.rules, { environment: env.name, deletionProtection: env.deletionProtection }),
    );
  }

  /** Records one stack's violations; after the last stack, throws if anything is wrong. */
  public record(stack: TerraformStack, violations: Violation[]): void {
    this.results.set(stack, violations);
    // Stacks are synthesized in the order they were added to the app, which is the order they got the
    // pack; walking the construct tree here instead would cost O(stacks²) per synth.
    const root = stack.node.root;
    const order = [...this.stacks].filter((s) => s.node.root === root);
    // Testing.synth of the last stack alone closes no round while others are unchecked.
    if (stack !== order[order.length - 1] || order.some((s) => !this.results.has(s))) return;
    const all = order.flatMap((s) => this.results.get(s) ?? []);
    this.results.clear();
    const triage = applySuppressions(
      all,
      this.suppressions,
      (s, v) => s.id === v.ruleId && suppressionMatches(s, v.path),
    );
    const unused = this.reportUnused ? triage.unused : [];
    if (triage.open.length > 0 || unused.length > 0) throw new PolicyViolationError(triage.open, unused);
  }
}

/**
 * The cdktf aspect: when it visits its stack it runs every rule over the stack's synthesized
 * Terraform JSON and hands the findings to the gate.
 */
export class PolicyPack implements IAspect {
  constructor(
    private readonly gate: PolicyGate,
    private readonly rules: readonly PolicyRule[],
    private readonly context: RuleContext,
  ) {}

  public visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const config = StackConfig.of(node);
    const violations = this.rules.flatMap((rule) =>
      rule
        .check(config, this.context)
        .map((f) => ({ ruleId: rule.id, path: f.path, message: f.message, fix: rule.fix })),
    );
    this.gate.record(node, violations);
  }
}

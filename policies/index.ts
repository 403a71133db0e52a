export {
  PolicyGate,
  type PolicyGateProps,
  PolicyPack,
  PolicyViolationError,
  type Violation,
  type PolicyEnvironment,
} from "./pack";
export type { Finding, PolicyRule, RuleContext } from "./rule";
export { RULES } from "./rules";
export { StackConfig } from "./stack-config";
export { checkSuppressions, type Suppression } from "./suppression";
export { SUPPRESSIONS } from "./suppressions";

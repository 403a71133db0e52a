// Every name the platform derives, in one place: stack ids, state keys, resource prefixes, secret
// names. Nothing else builds `<env>-<stack>` by hand.

/** The platform's own stacks of each environment; module stacks are named after their module. */
export const BOOTSTRAP_STACK = "bootstrap";
export const FOUNDATION_STACK = "foundation";

/** Stack ids: `<env>-<stack>`, so `cdktf deploy 'dev-*'` selects one environment. */
export function stackName(env: { readonly name: string }, stack: string): string {
  return `${env.name}-${stack}`;
}

/** Whether a stack id belongs to the environment. */
export function isStackOf(env: { readonly name: string }, stackId: string): boolean {
  return stackId.startsWith(stackName(env, ""));
}

/** Resource name prefix for one stack of one environment: `acme-dev-file-processing`. */
export function resourcePrefix(env: { readonly project: string; readonly name: string }, stack?: string): string {
  return stack ? `${env.project}-${env.name}-${stack}` : `${env.project}-${env.name}`;
}

/** Secrets Manager name of a module's secret: `acme-dev/order-tracking/webhook-signing`. */
export function secretName(
  env: { readonly project: string; readonly name: string },
  module: string,
  secret: string,
): string {
  return `${resourcePrefix(env)}/${module}/${secret}`;
}

/** State object key of a stack: derived from its name, so no two stacks can share one. */
export function stateKey(
  env: { readonly name: string; readonly state: { readonly keyPrefix: string } },
  stack: string,
): string {
  return `${env.state.keyPrefix}/${stackName(env, stack)}/terraform.tfstate`;
}

/** The top folder of saved plans in a state bucket. */
export const SAVED_PLANS = "saved-plans";

/**
 * Where an environment's plans saved for review live: in its state bucket, outside the state keys
 * (`saved-plans/<keyPrefix>/`), so that roles can be granted or denied them apart.
 */
export function savedPlansPrefix(env: { readonly state: { readonly keyPrefix: string } }): string {
  return `${SAVED_PLANS}/${env.state.keyPrefix}/`;
}

/** The saved plans of one stack: `saved-plans/<keyPrefix>/<stack>/`. */
export function savedPlansOf(
  env: { readonly name: string; readonly state: { readonly keyPrefix: string } },
  stack: string,
): string {
  return `${savedPlansPrefix(env)}${stackName(env, stack)}/`;
}

/** The saved plan of a stack for one commit: `saved-plans/<keyPrefix>/<stack>/<commit>.tfplan`. */
export function savedPlanKey(
  env: { readonly name: string; readonly state: { readonly keyPrefix: string } },
  stack: string,
  commit: string,
): string {
  return `${savedPlansOf(env, stack)}${commit}.tfplan`;
}

/** The three layers of an environment, in deploy order: each reads the one before. */
export const LAYERS = ["bootstrap", "foundation", "module"] as const;
export type Layer = (typeof LAYERS)[number];

/** One stack of the platform: its environment, its layer and its name within the environment. */
export interface StackIdentity {
  readonly env: string;
  readonly layer: Layer;
  /** `bootstrap`, `foundation` or the module's name. */
  readonly stack: string;
}

/** The layer a stack of an environment belongs to: module stacks are named after their module. */
export function layerOf(stack: string): Layer {
  return stack === BOOTSTRAP_STACK ? "bootstrap" : stack === FOUNDATION_STACK ? "foundation" : "module";
}

/** Where a layer comes in deploy order: bootstrap 0, foundation 1, modules 2. */
export function layerRank(layer: Layer): number {
  return LAYERS.indexOf(layer);
}

/**
 * A stack id taken apart: environment names have no hyphen, so the first one ends it. A glob
 * (`dev-*`, `*-foundation`) parses too, its parts left as written.
 */
export function parseStackId(stackId: string): StackIdentity {
  const at = stackId.indexOf("-");
  const [env, stack] = at < 0 ? [stackId, ""] : [stackId.slice(0, at), stackId.slice(at + 1)];
  return { env, layer: layerOf(stack), stack };
}

/** The stack id of an identity: `formatStackId(parseStackId(id)) === id`. */
export function formatStackId(id: Pick<StackIdentity, "env" | "stack">): string {
  return stackName({ name: id.env }, id.stack);
}

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

/** A stack id taken apart: environment names have no hyphen, so the first one ends it. */
export function splitStackName(stackId: string): { env: string; stack: string } {
  const at = stackId.indexOf("-");
  return at < 0 ? { env: stackId, stack: "" } : { env: stackId.slice(0, at), stack: stackId.slice(at + 1) };
}

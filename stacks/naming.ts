import type { Environment } from "../environments";

/** Stack ids: `<env>-<stack>`, so `cdktf deploy 'dev-*'` selects one environment. */
export function stackName(env: Pick<Environment, "name">, stack: string): string {
  return `${env.name}-${stack}`;
}

/** Resource name prefix for one stack of one environment: `acme-dev-file-processing`. */
export function resourcePrefix(env: Pick<Environment, "project" | "name">, stack?: string): string {
  return stack ? `${env.project}-${env.name}-${stack}` : `${env.project}-${env.name}`;
}

/** Secrets Manager name of a module's secret: `acme-dev/order-tracking/webhook-signing`. */
export function secretName(env: Pick<Environment, "project" | "name">, module: string, secret: string): string {
  return `${resourcePrefix(env)}/${module}/${secret}`;
}

// The platform as the commands see it: every environment's plan with the registered modules.
import { type EnvironmentPlan, planPlatform } from "../../app";
import { loadEnvironments } from "../../environments";
import { MODULES, platformInputs } from "../../packages";

/**
 * Every selected environment's plan (its modules, their settings), validated. `environments` selects
 * like PLATFORM_ENVIRONMENTS (a comma list; "" is every environment; undefined reads the variable);
 * `env` is where the environments' own variables are read (PLATFORM_LOCAL_*, EMULATOR).
 */
export function loadPlatform(
  environments: string | undefined = "",
  env: NodeJS.ProcessEnv = process.env,
): EnvironmentPlan[] {
  return planPlatform(loadEnvironments(platformInputs(env), environments), MODULES);
}

import type { EnvironmentInput } from "../schema";

type ModuleEntry = EnvironmentInput["modules"][string];

/**
 * One module's entries per environment: `default` applies everywhere, an environment's entry
 * replaces it there. Kept in one file per module so the module's team owns its settings.
 */
export interface ModuleEnvironments {
  readonly default: ModuleEntry;
  readonly [environment: string]: ModuleEntry;
}

import type { SecretRotation } from "../schema";

/** What an environment says about one module; an environment's entry is merged over `default`. */
export interface ModuleEntry {
  readonly enabled?: boolean;
  /** Settings of the module's schema; objects merge key by key over `default`'s, lists and values replace. */
  readonly settings?: Record<string, unknown>;
  /** Rotation of the module's secrets here, by secret name; merged over `default`'s. */
  readonly secretRotation?: Record<string, SecretRotation>;
}

/**
 * One module's entries per environment: `default` applies everywhere, an environment's entry is
 * merged over it there. Kept in one file per module so the module's team owns its settings. A key
 * that names no environment is refused (environments/modules/index.ts), never silently ignored.
 */
export interface ModuleEnvironments {
  readonly default: ModuleEntry & { readonly enabled: boolean };
  readonly [environment: string]: ModuleEntry;
}

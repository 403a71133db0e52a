import type { Construct } from "constructs";
import type { z } from "zod";
import type { Environment } from "../environments";
import type { FoundationOutputName } from "../stacks/foundation-contract";
import type { FoundationRef } from "../stacks/foundation-ref";

/** What a module's build function gets: its stack scope, typed settings and foundation view. */
export interface ModuleContext<S, C extends FoundationOutputName> {
  readonly scope: Construct;
  readonly env: Environment;
  readonly settings: S;
  readonly foundation: FoundationRef<C>;
  /** `acme-dev-<module>` followed by `-suffix`: the name of one resource of this module. */
  name(suffix?: string): string;
}

/** A deployable unit: one folder under packages/, one stack per environment where enabled. */
export interface ModuleDefinition<S extends z.ZodType = z.ZodType, C extends FoundationOutputName = FoundationOutputName> {
  /** Lowercase name; stacks are `<env>-<name>`. */
  readonly name: string;
  /** Owning team as a CODEOWNERS handle, e.g. `@acme/data-platform`. */
  readonly owner: string;
  /** One line on what the module provides. */
  readonly description: string;
  /** Foundation outputs the module reads; reading any other is an error. */
  readonly consumes: readonly C[];
  /** Ships a container image: the foundation creates its ECR repository. */
  readonly image: boolean;
  /** Per-environment settings; defaults live here, environments override. */
  readonly settings: S;
  /**
   * Checks settings against the environment they are deployed to (for example a domain that must lie
   * in the environment's public zone): each problem as `[path, message]`, reported like a schema error.
   */
  readonly check?: (settings: z.output<S>, env: Environment) => [path: string, message: string][];
  /** Creates the module's resources in its stack. */
  build(ctx: ModuleContext<z.output<S>, C>): void;
}

/** Declares a module with its types inferred; see ModuleDefinition. */
export function defineModule<S extends z.ZodType, C extends FoundationOutputName>(def: ModuleDefinition<S, C>): ModuleDefinition<S, C> {
  return def;
}

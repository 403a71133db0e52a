import type { Construct } from "constructs";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { z } from "zod";
import type { ModuleSecret } from "../constructs/module-secret";
import type { Environment } from "../environments";
import type { AwsService } from "../environments/emulators";
import type { ModuleEnvironments } from "../environments/module-entries";
import type { PrivateBucketProps } from "../constructs/private-bucket";
import type { FoundationOutputName } from "./foundation-contract";
import type { FoundationRef } from "./foundation-ref";

// The module API: everything a module (packages/<m>/) may use of the stacks layer, in one place.
export { clusterAccess, KUBERNETES_INPUTS } from "./kubernetes";
export type { FoundationOutputName } from "./foundation-contract";
export type { ModuleEnvironments } from "../environments/module-entries";

/** What a module's build function gets: its stack scope, typed settings and foundation view. */
export interface ModuleContext<S, C extends FoundationOutputName> {
  readonly scope: Construct;
  readonly env: Environment;
  readonly settings: S;
  readonly foundation: FoundationRef<C>;
  /** `acme-dev-<module>` followed by `-suffix`: the name of one resource of this module. */
  name(suffix?: string): string;
  /** The stack's AWS provider in another region (aliased by the region), e.g. us-east-1 for CloudFront's certificate. */
  awsProviderIn(region: string): AwsProvider;
  /** One of the secrets the module declared (`secrets`); another module's secret is refused. */
  secret(name: string): ModuleSecret;
  /** What the environment decides for every module's resources; see ModuleDefaults. */
  readonly defaults: ModuleDefaults;
}

/**
 * What the environment decides for the resources of every module, so that a module states only
 * what is its own. Each foundation output is read when first used, and only if the module consumes
 * it (an output it does not consume is refused, naming it).
 */
export interface ModuleDefaults {
  /** Deletion protection of stateful resources: the environment's `deletionProtection`. */
  readonly protect: boolean;
  /** Bucket policies refuse requests without TLS: the environment's `s3TlsOnly`. */
  readonly denyInsecureTransport: boolean;
  /** The environment's KMS key (foundation output `kms_key_arn`). */
  readonly kmsKeyArn: string;
  /**
   * The topic alarms notify (foundation output `alerts_topic_arn`) where the environment raises
   * alarms (`alarms`), undefined where it does not: constructs then create no alarm.
   */
  readonly alarmTopicArn: string | undefined;
  /** S3 access logs of one of the module's buckets: to the log bucket (`log_bucket_name`), under `s3/<name(part)>/`. */
  accessLogs(part: string): { readonly bucketName: string; readonly prefix: string };
  /**
   * A PrivateBucket of the module as the environment wants it: named `<name(part)>-<account>`,
   * encrypted with the environment's key, protected and TLS-only as the environment says, access
   * logs as accessLogs(part). Spread it and add what is the bucket's own.
   */
  bucket(
    part: string,
  ): Required<
    Pick<PrivateBucketProps, "bucketName" | "kmsKeyArn" | "protect" | "denyInsecureTransport" | "accessLogs">
  >;
}

/**
 * A secret a module needs: its name and keys, never its values. The platform creates it in the
 * module's stack (`<project>-<env>/<module>/<name>`, KMS, resource policy for the module's roles) and
 * `npm run secrets-init` writes it to the env files of its profiles.
 */
export interface SecretDeclaration {
  /** Lowercase, unique in the module, e.g. `postgres-airflow`. */
  readonly name: string;
  readonly description: string;
  /** JSON keys of the secret, written as environment variables (`POSTGRES_USER`). */
  readonly keys: readonly string[];
  /**
   * Keys whose value the platform generates (40 letters and digits) where the secret has none:
   * `npm run secrets-fill` after deploy; never replaced afterwards. @default []
   */
  readonly generate?: readonly string[];
  /**
   * The module's stack writes the whole value itself, through a write-only argument
   * (`ModuleSecret.writeOnly`), e.g. a password it generates for a resource with an ephemeral
   * resource: the value is never in state, a saved plan or an output, and `npm run secrets-fill`
   * leaves the secret alone. Excludes `generate`. @default false
   */
  readonly writtenByStack?: boolean;
  /** The env files (`<profile>.env`) secrets-init writes the secret to. @default [the module's name] */
  readonly profiles?: readonly string[];
}

/**
 * What a module declares in packages/<m>/index.ts: everything but its resources, so the platform can
 * validate every environment, list stacks and write CODEOWNERS without loading any module's resource
 * code. The resources are `build` in packages/<m>/resources.ts, loaded only when the stack is built.
 */
export interface ModuleDeclaration<
  S extends z.ZodType = z.ZodType,
  C extends FoundationOutputName = FoundationOutputName,
> {
  /** Lowercase name, the name of the module's folder; stacks are `<env>-<name>`. */
  readonly name: string;
  /** Owning team as a CODEOWNERS handle, e.g. `@acme/data-platform`; it owns the module's folder. */
  readonly owner: string;
  /** One line on what the module provides. */
  readonly description: string;
  /** Foundation outputs the module reads; reading any other is an error. */
  readonly consumes: readonly C[];
  /** Ships a container image: the foundation creates its ECR repository. */
  readonly image: boolean;
  /**
   * The AWS services the module cannot do without (environments/emulators.ts): an emulator that lacks
   * one refuses the module's stack at synth, naming the service.
   */
  readonly services: readonly AwsService[];
  /**
   * Parts of the module an environment can switch off, each by `settings.<part>.enabled`, with the
   * AWS services the part uses: where the environment's emulator lacks one, the part is off. @default {}
   */
  readonly switchable?: Readonly<Record<string, readonly AwsService[]>>;
  /** Secrets the module's workloads read; see SecretDeclaration. @default [] */
  readonly secrets?: readonly SecretDeclaration[];
  /** Settings schema (packages/<m>/settings.ts): defaults live here, environments override. */
  readonly settings: S;
  /**
   * Per-environment entries (packages/<m>/environments.ts), typed from the settings schema:
   * `default` everywhere, an environment's entry merged over it.
   */
  readonly environments: ModuleEnvironments<z.input<S>>;
  /**
   * Checks settings against the environment they are deployed to (for example a domain that must lie
   * in the environment's public zone): each problem as `[path, message]`, reported like a schema error.
   */
  readonly check?: (settings: z.output<S>, env: Environment) => [path: string, message: string][];
}

/**
 * The context a declared module builds with: `ModuleContextOf<typeof declaration>` in
 * packages/<m>/resources.ts, for helpers that take the whole context.
 */
export type ModuleContextOf<D> = D extends ModuleDeclaration<infer S, infer C> ? ModuleContext<z.output<S>, C> : never;

/** Creates a module's resources in its stack: `build` of packages/<m>/resources.ts. */
export type ModuleBuild<D> = (ctx: ModuleContextOf<D>) => void;

/** A deployable unit: its declaration and its resources; one stack per environment where enabled. */
export interface ModuleDefinition<
  S extends z.ZodType = z.ZodType,
  C extends FoundationOutputName = FoundationOutputName,
> extends ModuleDeclaration<S, C> {
  /** Creates the module's resources in its stack. */
  build(ctx: ModuleContext<z.output<S>, C>): void;
}

/** Declares a module with its types inferred; see ModuleDeclaration. */
export function defineModule<S extends z.ZodType, C extends FoundationOutputName>(
  def: ModuleDeclaration<S, C>,
): ModuleDeclaration<S, C> {
  return def;
}

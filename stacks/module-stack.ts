import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Backend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { ModuleSecret } from "../constructs/module-secret";
import { ConfigError, type Environment } from "../environments";
import type { SecretRotation } from "../environments/schema";
import type { ModuleDefaults, ModuleDefinition } from "./module-api";
import type { FoundationOutputName } from "./foundation-contract";
import { FoundationRef } from "./foundation-ref";
import { awsProvider } from "./aws-provider";
import { resourcePrefix, secretName, stackName } from "../core/naming";
import { stateBackendConfig } from "./state";

export interface ModuleStackProps<S> {
  readonly env: Environment;
  readonly module: ModuleDefinition;
  /** Settings already validated against the module's schema. */
  readonly settings: S;
  /** Plan against mockFoundationOutputs instead of the foundation's state; apply is refused. @default false */
  readonly mockFoundation?: boolean;
  /** Rotation of the module's secrets in this environment, by secret name (already checked against the declarations). */
  readonly secretRotation?: Record<string, SecretRotation>;
  /** Every registered module, to name the owner when a module asks for another module's secret. @default none */
  readonly registry?: readonly ModuleDefinition[];
}

/**
 * The stack every module gets per environment: its own state key, the AWS provider tagged with the
 * module and its team, and the foundation read through remote state only.
 */
export class ModuleStack<S = unknown> extends TerraformStack {
  public readonly foundation: FoundationRef<FoundationOutputName>;

  constructor(scope: Construct, props: ModuleStackProps<S>) {
    const { env, module } = props;
    super(scope, stackName(env, module.name));
    const tags = { Stack: module.name, Team: module.owner };
    awsProvider(this, env, tags);
    const regional = new Map<string, AwsProvider>();
    new S3Backend(this, stateBackendConfig(env, module.name));
    const declared = module.secrets ?? [];
    if (declared.length > 0 && !module.consumes.includes("kms_key_arn")) {
      throw new ConfigError(
        `module "${module.name}" declares secrets (${declared.map((d) => d.name).join(", ")}), which are encrypted with the environment's KMS key: add "kms_key_arn" to its consumes`,
      );
    }
    this.foundation = new FoundationRef(this, "foundation", env, module.consumes, module.name, props.mockFoundation);
    const name = (suffix?: string) =>
      suffix ? `${resourcePrefix(env, module.name)}-${suffix}` : resourcePrefix(env, module.name);
    const defaults = moduleDefaults(env, this.foundation, name);
    const secrets = new Map<string, ModuleSecret>();
    for (const declaration of declared) {
      secrets.set(
        declaration.name,
        new ModuleSecret(this, `secret-${declaration.name}`, {
          secretName: secretName(env, module.name, declaration.name),
          description: declaration.description,
          keys: declaration.keys,
          writtenByStack: declaration.writtenByStack ?? false,
          kmsKeyArn: defaults.kmsKeyArn,
          protect: defaults.protect,
          rotation: props.secretRotation?.[declaration.name],
        }),
      );
    }
    module.build({
      scope: this,
      env,
      settings: props.settings,
      foundation: this.foundation,
      name,
      defaults,
      awsProviderIn: (region: string) => {
        if (!regional.has(region)) regional.set(region, awsProvider(this, env, tags, region));
        return regional.get(region)!;
      },
      secret: (name: string) => {
        const secret = secrets.get(name);
        if (secret) return secret;
        const owner = props.registry?.find((m) => m.name !== module.name && m.secrets?.some((d) => d.name === name));
        const own = `its secrets: ${[...secrets.keys()].join(", ") || "none"}`;
        throw new ConfigError(
          owner
            ? `module "${module.name}" asked for secret "${name}" of module "${owner.name}" (${own}); a module reads only its own secrets: declare one in "${module.name}" or ask ${owner.owner} to expose what you need as an output`
            : `module "${module.name}" asked for secret "${name}", which it does not declare (${own}); add it to the module definition's \`secrets\``,
        );
      },
    });
    for (const secret of secrets.values()) secret.finish();
  }
}

/** The environment's defaults for a module's resources (ModuleDefaults); outputs read on first use. */
export function moduleDefaults(
  env: Environment,
  foundation: FoundationRef<FoundationOutputName>,
  name: (suffix?: string) => string,
): ModuleDefaults {
  const defaults: ModuleDefaults = {
    protect: env.deletionProtection,
    denyInsecureTransport: env.s3TlsOnly,
    get kmsKeyArn() {
      return foundation.string("kms_key_arn");
    },
    get alarmTopicArn() {
      return env.alarms ? foundation.string("alerts_topic_arn") : undefined;
    },
    accessLogs: (part: string) => ({ bucketName: foundation.string("log_bucket_name"), prefix: `s3/${name(part)}/` }),
    bucket: (part: string) => ({
      bucketName: name(`${part}-${env.accountId}`),
      kmsKeyArn: defaults.kmsKeyArn,
      protect: defaults.protect,
      denyInsecureTransport: defaults.denyInsecureTransport,
      accessLogs: defaults.accessLogs(part),
    }),
  };
  return defaults;
}

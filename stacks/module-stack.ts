import { S3Backend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { Environment } from "../environments";
import type { ModuleDefinition } from "../packages/module";
import type { FoundationOutputName } from "./foundation-contract";
import { FoundationRef } from "./foundation-ref";
import { awsProvider } from "./aws-provider";
import { resourcePrefix, stackName } from "./naming";
import { stateBackendConfig } from "./state";

export interface ModuleStackProps<S> {
  readonly env: Environment;
  readonly module: ModuleDefinition;
  /** Settings already validated against the module's schema. */
  readonly settings: S;
  /** Plan against mockFoundationOutputs instead of the foundation's state; apply is refused. @default false */
  readonly mockFoundation?: boolean;
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
    awsProvider(this, env, { Stack: module.name, Team: module.owner });
    new S3Backend(this, stateBackendConfig(env, module.name));
    this.foundation = new FoundationRef(this, "foundation", env, module.consumes, module.name, props.mockFoundation);
    module.build({
      scope: this,
      env,
      settings: props.settings,
      foundation: this.foundation,
      name: (suffix?: string) => (suffix ? `${resourcePrefix(env, module.name)}-${suffix}` : resourcePrefix(env, module.name)),
    });
  }
}

import { DataTerraformRemoteStateS3, Fn, TerraformLocal } from "cdktf";
import { Construct } from "constructs";
import type { Environment } from "../environments";
import { FOUNDATION_OUTPUTS, type FoundationOutputName, type FoundationOutputs, isFoundationOutput } from "./foundation-contract";
import { FoundationStack } from "./foundation-stack-name";
import { stateBackendConfig } from "./state";

/**
 * A module's read-only view of its environment's foundation: a terraform_remote_state (s3) data
 * source configured by the same function that writes the foundation's backend, limited to the
 * outputs the module declared it consumes.
 */
export class FoundationRef<C extends FoundationOutputName> extends Construct {
  public readonly remoteState: DataTerraformRemoteStateS3;
  private readonly consumes: ReadonlySet<string>;
  private readonly moduleName: string;
  private readonly entries = new Map<string, TerraformLocal>();

  constructor(scope: Construct, id: string, env: Environment, consumes: readonly C[], moduleName: string) {
    super(scope, id);
    const unknown = consumes.filter((c) => !isFoundationOutput(c));
    if (unknown.length > 0) {
      throw new Error(
        `module "${moduleName}" consumes ${unknown.map((u) => `"${u}"`).join(", ")}, which the foundation does not publish; ` +
          `FoundationOutputs has: ${Object.keys(FOUNDATION_OUTPUTS).join(", ")}`,
      );
    }
    this.consumes = new Set(consumes);
    this.remoteState = new DataTerraformRemoteStateS3(this, "foundation", stateBackendConfig(env, FoundationStack));
    this.moduleName = moduleName;
  }

  private check(name: string): void {
    if (!this.consumes.has(name)) {
      throw new Error(
        `module "${this.moduleName}" reads foundation output "${name}" without declaring it; add it to the module's consumes list`,
      );
    }
  }

  /** A string output, e.g. `vpc_id`. */
  public string<K extends C & StringOutputs>(name: K): string {
    this.check(name);
    return this.remoteState.getString(name);
  }

  /** A list output, e.g. `private_subnet_ids`. */
  public list<K extends C & ListOutputs>(name: K): string[] {
    this.check(name);
    return this.remoteState.getList(name);
  }

  /**
   * One entry of a map output, e.g. this module's ECR repository URL. Returned through a local
   * value so the reference carries no quoted key and survives being embedded in JSON strings.
   */
  public entry<K extends C & MapOutputs>(name: K, key: string): string {
    this.check(name);
    const id = `${name}_${key}`.replace(/[^A-Za-z0-9_]/g, "_");
    let local = this.entries.get(id);
    if (!local) {
      local = new TerraformLocal(this, id, Fn.lookup(this.remoteState.get(name), key));
      this.entries.set(id, local);
    }
    return local.asString;
  }
}

type OutputsOfType<T> = { [K in FoundationOutputName]: FoundationOutputs[K] extends T ? K : never }[FoundationOutputName];
type StringOutputs = OutputsOfType<string>;
type ListOutputs = OutputsOfType<string[]>;
type MapOutputs = Exclude<FoundationOutputName, StringOutputs | ListOutputs>;

import {
  Aspects,
  DataResource,
  DataTerraformRemoteStateS3,
  Fn,
  type IAspect,
  TerraformLocal,
  TerraformResource,
  TerraformStack,
} from "cdktf";
import { Construct, type IConstruct } from "constructs";
import type { Environment } from "../environments";
import {
  FOUNDATION_OUTPUTS,
  type FoundationOutputName,
  type FoundationOutputs,
  isFoundationOutput,
  mockFoundationOutputs,
} from "./foundation-contract";
import { FOUNDATION_STACK } from "../core/naming";
import { stateBackendConfig } from "./state";

/**
 * A module's read-only view of its environment's foundation: a terraform_remote_state (s3) data
 * source configured by the same function that writes the foundation's backend, limited to the
 * outputs the module declared it consumes.
 */
export class FoundationRef<C extends FoundationOutputName> extends Construct {
  /** The remote state data source; absent when planning with mock outputs. */
  public readonly remoteState?: DataTerraformRemoteStateS3;
  private readonly mock?: FoundationOutputs;
  private readonly consumes: ReadonlySet<string>;
  private readonly moduleName: string;
  private readonly entries = new Map<string, TerraformLocal>();

  /**
   * @param mock plan with mockFoundationOutputs instead of reading the foundation's state; the stack
   *   then refuses to apply (see MockApplyGuard).
   */
  constructor(
    scope: Construct,
    id: string,
    env: Environment,
    consumes: readonly C[],
    moduleName: string,
    mock = false,
  ) {
    super(scope, id);
    const unknown = consumes.filter((c) => !isFoundationOutput(c));
    if (unknown.length > 0) {
      throw new Error(
        `module "${moduleName}" consumes ${unknown.map((u) => `"${u}"`).join(", ")}, which the foundation does not publish; ` +
          `FoundationOutputs has: ${Object.keys(FOUNDATION_OUTPUTS).join(", ")}`,
      );
    }
    this.consumes = new Set(consumes);
    this.moduleName = moduleName;
    if (mock) {
      this.mock = mockFoundationOutputs(env);
      Aspects.of(TerraformStack.of(this)).add(
        new MockApplyGuard(
          new DataResource(this, "mock-apply-guard", {
            provisioners: [{ type: "local-exec", command: `echo "${MOCK_REFUSAL}" >&2; exit 1` }],
          }),
        ),
      );
    } else {
      this.remoteState = new DataTerraformRemoteStateS3(this, "foundation", stateBackendConfig(env, FOUNDATION_STACK));
    }
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
    return this.mock ? (this.mock[name] as string) : this.remoteState!.getString(name);
  }

  /** A list output, e.g. `private_subnet_ids`. */
  public list<K extends C & ListOutputs>(name: K): string[] {
    this.check(name);
    return this.mock ? (this.mock[name] as string[]) : this.remoteState!.getList(name);
  }

  /**
   * One entry of a map output, e.g. this module's ECR repository URL. Returned through a local
   * value so the reference carries no quoted key and survives being embedded in JSON strings.
   */
  public entry<K extends C & MapOutputs>(name: K, key: string): string {
    this.check(name);
    if (this.mock) return (this.mock[name] as Record<string, string>)[key] ?? `mock-${name}-${key}`;
    const id = `${name}_${key}`.replace(/[^A-Za-z0-9_]/g, "_");
    let local = this.entries.get(id);
    if (!local) {
      local = new TerraformLocal(this, id, Fn.lookup(this.remoteState!.get(name), key));
      this.entries.set(id, local);
    }
    return local.asString;
  }
}

type OutputsOfType<T> = {
  [K in FoundationOutputName]: FoundationOutputs[K] extends T ? K : never;
}[FoundationOutputName];
type StringOutputs = OutputsOfType<string>;
type ListOutputs = OutputsOfType<string[]>;
type MapOutputs = Exclude<FoundationOutputName, StringOutputs | ListOutputs>;

export const MOCK_REFUSAL =
  "refusing to apply: this stack was synthesized with mock foundation outputs (PLATFORM_MOCK_FOUNDATION), for plan only";

/**
 * Makes every resource of a stack depend on a guard whose creation fails, so an apply of a plan
 * made with mock outputs stops before it changes anything. Plans are unaffected: provisioners run
 * only on apply.
 */
class MockApplyGuard implements IAspect {
  constructor(private readonly guard: DataResource) {}

  visit(node: IConstruct): void {
    if (node instanceof TerraformResource && node !== this.guard) {
      // depends_on takes a bare reference, not the interpolated fqn.
      const guard = `${this.guard.terraformResourceType}.${this.guard.friendlyUniqueId}`;
      const dependsOn = node.dependsOn ?? [];
      if (!dependsOn.includes(guard)) node.dependsOn = [...dependsOn, guard];
    }
  }
}

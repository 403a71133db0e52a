import { TerraformProvider, type TerraformStack } from "cdktf";

/** A resource of the synthesized config. */
export interface TfResource {
  /** Terraform type, e.g. aws_s3_bucket. */
  readonly type: string;
  /** Logical id, the key under the type in the JSON. */
  readonly logicalId: string;
  /** Construct path, e.g. `prod-foundation/logs/bucket`. */
  readonly path: string;
  /** Arguments as Terraform reads them: snake_case, references as `${...}` strings. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** A provider configuration of the synthesized config. */
export interface TfProvider {
  /** Construct path of the provider, or the stack's when the tree has no matching construct. */
  readonly path: string;
  /** Arguments as Terraform reads them. */
  readonly config: Readonly<Record<string, unknown>>;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Read-only view of one stack's Terraform JSON (`stack.toTerraform()`). Rules read the JSON rather
 * than construct objects so they see exactly what Terraform will get, overrides included.
 */
export class StackConfig {
  private readonly json: Json;
  private readonly providerPaths: ReadonlyMap<string, string>;

  /**
   * @param name stack name, the first segment of every construct path
   * @param json the stack's Terraform JSON
   * @param providerPaths construct path per provider, keyed `type` or `type.alias`; provider JSON carries none
   */
  constructor(
    public readonly name: string,
    json: Json,
    providerPaths: ReadonlyMap<string, string> = new Map(),
  ) {
    this.json = json;
    this.providerPaths = providerPaths;
  }

  /** The synthesized config of a stack, as it will be written. */
  public static of(stack: TerraformStack): StackConfig {
    const paths = new Map<string, string>();
    for (const node of stack.node.findAll()) {
      if (!TerraformProvider.isTerraformProvider(node)) continue;
      const key = node.alias ? `${node.terraformResourceType}.${node.alias}` : node.terraformResourceType;
      paths.set(key, node.node.path);
    }
    return new StackConfig(stack.node.id, stack.toTerraform() as Json, paths);
  }

  /** Every resource of one type. */
  public resources(type: string): TfResource[] {
    const byId = (this.json.resource as Record<string, Record<string, Json>> | undefined)?.[type] ?? {};
    return Object.entries(byId).map(([logicalId, config]) => ({
      type,
      logicalId,
      path: pathOf(config) ?? `${this.name}/${logicalId}`,
      config,
    }));
  }

  /** Whether any resource type starts with this prefix, e.g. `aws_`. */
  public hasResourcesOf(prefix: string): boolean {
    return Object.keys((this.json.resource as Json | undefined) ?? {}).some((type) => type.startsWith(prefix));
  }

  /** Every configuration of one provider, aliases included. */
  public providers(type: string): TfProvider[] {
    const configs = (this.json.provider as Record<string, Json[]> | undefined)?.[type] ?? [];
    return configs.map((config) => {
      const key = typeof config.alias === "string" ? `${type}.${config.alias}` : type;
      return { path: this.providerPaths.get(key) ?? this.name, config };
    });
  }
}

function pathOf(config: Json): string | undefined {
  const meta = (config["//"] as { metadata?: { path?: unknown } } | undefined)?.metadata;
  return typeof meta?.path === "string" ? meta.path : undefined;
}

/** How an attribute of `resource` appears in another resource's arguments: `${aws_s3_bucket.logs.id}`. */
export function ref(resource: Pick<TfResource, "type" | "logicalId">, attribute: string): string {
  return `\${${resource.type}.${resource.logicalId}.${attribute}}`;
}

/** The blocks of a nested argument: cdktf writes single blocks as objects and repeatable ones as lists. */
export function blocks(value: unknown): Json[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** A string or list-of-strings argument as a list. */
export function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * Whether a bucket argument (of an encryption configuration, policy, ...) names this bucket: by
 * reference to its id or name, or by the literal name.
 */
export function targetsBucket(value: unknown, bucket: TfResource): boolean {
  if (typeof value !== "string") return false;
  return (
    value === ref(bucket, "id") ||
    value === ref(bucket, "bucket") ||
    (typeof bucket.config.bucket === "string" && value === bucket.config.bucket)
  );
}

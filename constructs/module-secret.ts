import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretPolicy } from "@cdktf/provider-aws/lib/secretsmanager-secret-policy";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { Construct } from "constructs";
import { protection } from "./protection";

export interface ModuleSecretProps {
  /** Full secret name, `<project>-<env>/<module>/<secret>`. */
  readonly secretName: string;
  readonly description: string;
  /** JSON keys the secret holds. */
  readonly keys: readonly string[];
  /** The stack writes the whole value with `writeOnly` (the module declared `writtenByStack`). */
  readonly writtenByStack: boolean;
  readonly kmsKeyArn: string;
  /** Protected environments keep a deleted secret 30 days and refuse to destroy it. */
  readonly protect: boolean;
  /** Rotation by a rotation function, where the environment configures one. */
  readonly rotation?: { readonly functionArn: string; readonly days: number };
}

/**
 * A secret a module declared: KMS-encrypted, its values never in code, synthesized JSON, state or a
 * saved plan. Either `npm run secrets-fill` writes generated values after deploy, or the stack writes
 * the whole value through the write-only `secret_string_wo` (`writeOnly`), which a plan neither reads
 * nor stores: the read-only plan role lists the secret's versions and never reads a value. Workloads
 * get it by reference (`ecsSecret`, `arn`); `grantRead` names the roles the resource policy lets read it.
 */
export class ModuleSecret extends Construct {
  public readonly secret: SecretsmanagerSecret;
  public readonly arn: string;
  public readonly keys: readonly string[];
  private readonly readers: string[] = [];
  private readonly writtenByStack: boolean;
  private written = false;

  constructor(scope: Construct, id: string, props: ModuleSecretProps) {
    super(scope, id);
    this.keys = props.keys;
    this.writtenByStack = props.writtenByStack;
    this.secret = new SecretsmanagerSecret(this, "secret", {
      name: props.secretName,
      description: props.description,
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: props.protect ? 30 : 0,
      tags: { SecretKeys: props.keys.join(" ") },
      lifecycle: protection(props.protect).lifecycle,
    });
    this.arn = this.secret.arn;

    if (props.rotation) {
      new SecretsmanagerSecretRotation(this, "rotation", {
        secretId: this.secret.id,
        rotationLambdaArn: props.rotation.functionArn,
        rotationRules: { automaticallyAfterDays: props.rotation.days },
      });
    }
  }

  /** One key as ECS injects it into a container: `<arn>:<key>::`. */
  ecsSecret(key: string, as: string = key): { name: string; secretArn: string; jsonKey: string } {
    this.checkKey(key);
    return { name: as, secretArn: this.arn, jsonKey: key };
  }

  /**
   * Writes the whole value, every key, through the write-only `secret_string_wo`: `values` maps each
   * key to an HCL expression of an ephemeral value (e.g. `ephemeralRandomPassword`), which only a
   * write-only argument may take. Sent when the secret version is created and again whenever
   * `version` changes (raise it to rotate); never stored.
   */
  writeOnly(values: Readonly<Record<string, string>>, version: number): void {
    if (!this.writtenByStack) {
      throw new Error(
        `secret ${this.node.id} is filled by npm run secrets-fill; declare it with writtenByStack: true for its stack to write it`,
      );
    }
    const missing = this.keys.filter((k) => !(k in values));
    for (const key of Object.keys(values)) this.checkKey(key);
    if (missing.length > 0)
      throw new Error(`secret ${this.node.id}: writeOnly writes every key; missing ${missing.join(", ")}`);
    if (this.written) throw new Error(`secret ${this.node.id}: writeOnly is called once, with every key`);
    if (!Number.isInteger(version) || version < 1)
      throw new Error(`secret ${this.node.id}: the write-only version must be a whole number from 1 (was ${version})`);
    const fields = this.keys.map((k) => `${k} = ${values[k]}`).join(", ");
    new SecretsmanagerSecretVersion(this, "version", {
      secretId: this.secret.id,
      secretStringWo: `\${jsonencode({ ${fields} })}`,
      secretStringWoVersion: version,
    });
    this.written = true;
  }

  /** Lets a role read the secret through its resource policy; the role's own policy must allow it too. */
  grantRead(roleArn: string): void {
    this.readers.push(roleArn);
  }

  /** Writes the resource policy for the readers granted so far; the module stack calls it after build. */
  finish(): void {
    if (this.readers.length === 0) return;
    new SecretsmanagerSecretPolicy(this, "policy", {
      secretArn: this.arn,
      blockPublicPolicy: true,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "ModuleWorkloadsRead",
            Effect: "Allow",
            Principal: { AWS: this.readers },
            Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            Resource: "*",
          },
        ],
      }),
    });
  }

  private checkKey(key: string): void {
    if (!this.keys.includes(key)) {
      throw new Error(`secret ${this.node.id} has no key "${key}"; its keys: ${this.keys.join(", ")}`);
    }
  }
}

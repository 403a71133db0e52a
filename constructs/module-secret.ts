import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretPolicy } from "@cdktf/provider-aws/lib/secretsmanager-secret-policy";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation";
import { Construct } from "constructs";
import { protection } from "./protection";

export interface ModuleSecretProps {
  /** Full secret name, `<project>-<env>/<module>/<secret>`. */
  readonly secretName: string;
  readonly description: string;
  /** JSON keys the secret holds. */
  readonly keys: readonly string[];
  readonly kmsKeyArn: string;
  /** Protected environments keep a deleted secret 30 days and refuse to destroy it. */
  readonly protect: boolean;
  /** Rotation by a rotation function, where the environment configures one. */
  readonly rotation?: { readonly functionArn: string; readonly days: number };
}

/**
 * A secret a module declared: KMS-encrypted, its values never in code, synthesized JSON or state (no
 * secret version is managed here: a plan would have to read the value, which the read-only plan role
 * may not; `npm run secrets-fill` writes generated values after deploy). Workloads get it by reference
 * (`ecsSecret`, `arn`); `grantRead` names the roles the resource policy lets read it.
 */
export class ModuleSecret extends Construct {
  public readonly secret: SecretsmanagerSecret;
  public readonly arn: string;
  public readonly keys: readonly string[];
  private readonly readers: string[] = [];

  constructor(scope: Construct, id: string, props: ModuleSecretProps) {
    super(scope, id);
    this.keys = props.keys;
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

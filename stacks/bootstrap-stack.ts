import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { accountAdministersKey } from "../constructs/iam";
import { PrivateBucket } from "../constructs/private-bucket";
import { protection } from "../constructs/protection";
import type { Environment } from "../environments";
import { awsProvider } from "./aws-provider";
import { BOOTSTRAP_STACK, stackName } from "../core/naming";
import { stateBackendConfig, stateKeyAlias } from "./state";

export interface BootstrapStackProps {
  readonly env: Environment;
  /**
   * Keep this stack's state in a local file at this path instead of the bucket it creates: the
   * first apply, before the bucket exists. @default state in the environment's state bucket
   */
  readonly localStatePath?: string;
}

/** The state bucket (and its access log bucket), lock table and state KMS key of one environment. Applied first. */
export class BootstrapStack extends TerraformStack {
  public static readonly STACK = BOOTSTRAP_STACK;
  public readonly stateBucket: PrivateBucket;
  public readonly accessLogBucket: PrivateBucket;
  /** Present while the environment names a lock table (locking dynamodb or both, or kept after a move to s3). */
  public readonly lockTable?: DynamodbTable;

  constructor(scope: Construct, props: BootstrapStackProps) {
    const { env } = props;
    super(scope, stackName(env, BootstrapStack.STACK));
    awsProvider(this, env, { Stack: BootstrapStack.STACK });
    if (props.localStatePath) {
      new LocalBackend(this, { path: props.localStatePath });
    } else {
      new S3Backend(this, stateBackendConfig(env, BootstrapStack.STACK));
    }
    // State protection is its own switch: dev's data may be disposable, its state never is.
    const protect = env.state.protect;

    const key = new KmsKey(this, "state-key", {
      description: `Encrypts Terraform state and locks of ${env.project} ${env.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: protect ? 30 : 7,
      lifecycle: protection(protect).lifecycle,
      // Stated rather than left to AWS's default, so review sees who may use the key: the account's
      // IAM policies decide (the state bucket and lock table are reached through them).
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [accountAdministersKey(env.accountId)] }),
    });
    new KmsAlias(this, "state-key-alias", { name: stateKeyAlias(env), targetKeyId: key.keyId });

    // Who read or wrote which state object, and when. S3 delivers server access logs only to
    // buckets with SSE-S3 default encryption, so this one cannot use the state key.
    this.accessLogBucket = new PrivateBucket(this, "state-access-logs", {
      denyInsecureTransport: env.s3TlsOnly,
      bucketName: env.state.accessLogBucket,
      noncurrentVersionExpirationDays: 30,
      protect,
      logDeliveryFromAccount: env.accountId,
    });

    this.stateBucket = new PrivateBucket(this, "state", {
      denyInsecureTransport: env.s3TlsOnly,
      bucketName: env.state.bucket,
      kmsKeyArn: key.arn,
      versioned: true,
      noncurrentVersionExpirationDays: 90,
      protect,
      accessLogs: { bucketName: this.accessLogBucket.bucketName, prefix: "state/", after: this.accessLogBucket.ready },
    });

    if (env.state.lockTable) {
      this.lockTable = new DynamodbTable(this, "lock-table", {
        name: env.state.lockTable,
        billingMode: "PAY_PER_REQUEST",
        hashKey: "LockID",
        attribute: [{ name: "LockID", type: "S" }],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
        deletionProtectionEnabled: protect,
        lifecycle: protection(protect).lifecycle,
      });
      new TerraformOutput(this, "lock_table_name", {
        value: this.lockTable.name,
        description: "DynamoDB table that holds state locks.",
      });
    }

    new TerraformOutput(this, "state_bucket_name", {
      value: this.stateBucket.bucketName,
      description: "Bucket that holds every stack's state.",
    });
    new TerraformOutput(this, "state_locking", {
      value: env.state.locking,
      description: "How stacks lock state: s3 (lock objects), dynamodb (the table) or both.",
    });
    new TerraformOutput(this, "state_kms_key_arn", {
      value: key.arn,
      description: "KMS key that encrypts state objects and locks.",
    });
  }
}

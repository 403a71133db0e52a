import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { protection } from "./protection";

/** Moves objects older than `days` to a cheaper storage class. */
export interface BucketTransition {
  /** Age in days at which objects move. */
  readonly days: number;
  /** Target storage class, e.g. GLACIER or STANDARD_IA. */
  readonly storageClass: string;
}

export interface PrivateBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** KMS key for SSE-KMS; without it the bucket uses SSE-S3 (AES256). */
  readonly kmsKeyArn?: string;
  /** Keep old object versions. @default true */
  readonly versioned?: boolean;
  /** Days after which noncurrent versions are deleted. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Storage-class transitions for current objects. @default none */
  readonly transitions?: BucketTransition[];
  /**
   * Bucket that receives server access logs, with this prefix; `after` names what must exist first
   * when that bucket is created in the same stack (S3 checks its policy). @default no access logging
   */
  readonly accessLogs?: {
    readonly bucketName: string;
    readonly prefix: string;
    readonly after?: ITerraformDependable[];
  };
  /**
   * How destroy treats the bucket (protection()): true refuses it at plan time (prevent_destroy) and
   * never empties the bucket; false lets destroy delete it with its objects. @default neither: destroy
   * is allowed but fails on a bucket that holds objects
   */
  readonly protect?: boolean;
  /**
   * This bucket receives S3 server access logs from buckets of this account: its policy admits the
   * log delivery service for them. Such a bucket must use SSE-S3 (no kmsKeyArn): S3 does not deliver
   * access logs to SSE-KMS buckets. @default not a log target
   */
  readonly logDeliveryFromAccount?: string;
  /** Extra policy statements, added to the TLS-only statement. @default none */
  readonly extraPolicyStatements?: Record<string, unknown>[];
  /** Deny every request that does not use TLS. @default true */
  readonly denyInsecureTransport?: boolean;
}

/**
 * An S3 bucket that is private by construction: public access blocked, bucket-owner-enforced
 * ownership, encryption at rest, TLS-only policy, versioning and noncurrent-version expiry.
 */
export class PrivateBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly bucketName: string;
  public readonly bucketArn: string;
  /** Resources that must exist before the bucket is used (policy, encryption, public access block). */
  public readonly ready: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    const versioned = props.versioned ?? true;
    if (props.logDeliveryFromAccount && props.kmsKeyArn) {
      throw new Error(
        `${this.node.path}: a bucket that receives server access logs must use SSE-S3; drop kmsKeyArn or logDeliveryFromAccount`,
      );
    }

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      ...(props.protect === undefined ? { forceDestroy: false } : protection(props.protect)),
    });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;

    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });

    const ownership = new S3BucketOwnershipControls(this, "ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });

    const encryption = new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: props.kmsKeyArn
            ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }
            : { sseAlgorithm: "AES256" },
          bucketKeyEnabled: props.kmsKeyArn ? true : undefined,
        },
      ],
    });

    const versioning = new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: versioned ? "Enabled" : "Suspended" },
    });

    const statements = this.policyStatements(props);
    const policy =
      statements.length > 0
        ? new S3BucketPolicy(this, "policy", {
            bucket: this.bucket.id,
            policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
            // A bucket policy applied before the public access block can be rejected as public.
            dependsOn: [publicAccess],
          })
        : undefined;

    this.lifecycle(props, versioning);

    if (props.accessLogs) {
      new S3BucketLoggingA(this, "logging", {
        bucket: this.bucket.id,
        targetBucket: props.accessLogs.bucketName,
        targetPrefix: props.accessLogs.prefix,
        dependsOn: props.accessLogs.after,
      });
    }

    this.ready = [publicAccess, ownership, encryption, versioning, ...(policy ? [policy] : [])];
  }

  /** TLS only (unless switched off), log delivery where this is a log target, and the caller's statements. */
  private policyStatements(props: PrivateBucketProps): Record<string, unknown>[] {
    return [
      ...((props.denyInsecureTransport ?? true)
        ? [
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ]
        : []),
      ...(props.logDeliveryFromAccount
        ? [
            {
              Sid: "S3ServerAccessLogs",
              Effect: "Allow",
              Principal: { Service: "logging.s3.amazonaws.com" },
              Action: "s3:PutObject",
              Resource: `arn:aws:s3:::${props.bucketName}/*`,
              Condition: { StringEquals: { "aws:SourceAccount": props.logDeliveryFromAccount } },
            },
          ]
        : []),
      ...(props.extraPolicyStatements ?? []),
    ];
  }

  /** Noncurrent versions expire, unfinished uploads are aborted, current versions move as `transitions` say. */
  private lifecycle(props: PrivateBucketProps, versioning: S3BucketVersioningA): void {
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
        ...(props.transitions && props.transitions.length > 0
          ? [
              {
                id: "transition-current-versions",
                status: "Enabled",
                filter: [{ prefix: "" }],
                transition: props.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })),
              },
            ]
          : []),
      ],
      dependsOn: [versioning],
    });
  }
}

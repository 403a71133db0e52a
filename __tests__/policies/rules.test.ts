import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KinesisStream } from "@cdktf/provider-aws/lib/kinesis-stream";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { MskCluster } from "@cdktf/provider-aws/lib/msk-cluster";
import { MskServerlessCluster } from "@cdktf/provider-aws/lib/msk-serverless-cluster";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { TerraformStack } from "cdktf";
import { PrivateBucket } from "../../constructs/private-bucket";
import { QueueWithDeadLetter } from "../../constructs/queue";
import { tagsSchema } from "../../environments/schema";
import { RULES } from "../../policies/rules";
import { deletionProtection } from "../../policies/rules/deletion-protection";
import { dynamodbEncryption } from "../../policies/rules/dynamodb-encryption";
import { ecrEncryption } from "../../policies/rules/ecr-encryption";
import { eksSecretsEncryption } from "../../policies/rules/eks-secrets-encryption";
import { iamNoAdmin } from "../../policies/rules/iam-no-admin";
import { kinesisEncryption } from "../../policies/rules/kinesis-encryption";
import { lambdaGuardrails } from "../../policies/rules/lambda-guardrails";
import { logGroupEncryption } from "../../policies/rules/log-group-encryption";
import { mskIamAuth } from "../../policies/rules/msk-iam-auth";
import { noPublicIngress } from "../../policies/rules/no-public-ingress";
import { cloudfrontHttps } from "../../policies/rules/cloudfront-https";
import { redisEncryption } from "../../policies/rules/redis-encryption";
import { secretEncryption } from "../../policies/rules/secret-encryption";
import { rdsEncryption } from "../../policies/rules/rds-encryption";
import { rdsNotPublic } from "../../policies/rules/rds-not-public";
import { REQUIRED_TAGS, requiredTags } from "../../policies/rules/required-tags";
import { s3Encryption } from "../../policies/rules/s3-encryption";
import { s3PublicAccessBlock } from "../../policies/rules/s3-public-access-block";
import { s3TlsOnly } from "../../policies/rules/s3-tls-only";
import { snsEncryption } from "../../policies/rules/sns-encryption";
import { sqsEncryption } from "../../policies/rules/sqs-encryption";
import { doc, PROD, violations } from "./check";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/test";
const tlsOnly = (bucket: S3Bucket) =>
  doc({
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucket.arn, `${bucket.arn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  });

describe("the rule set", () => {
  test("ids are unique and every rule has a one-line description and a fix", () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^ACME-[A-Z0-9]+-\d+$/);
      expect(rule.description).toMatch(/^\S[^\n]*\.$/);
      expect(rule.fix.length).toBeGreaterThan(20);
    }
  });

  test("the project's PrivateBucket and QueueWithDeadLetter pass every rule, in prod too", () => {
    const found = violations(
      (s) => {
        new PrivateBucket(s, "data", { bucketName: "acme-prod-data", kmsKeyArn: KEY, protect: true });
        new QueueWithDeadLetter(s, "jobs", { queueName: "acme-prod-jobs" });
      },
      { rules: RULES, env: PROD },
    );
    expect(found).toEqual([]);
  });
});

describe("ACME-S3-1 bucket encryption", () => {
  const rules = [s3Encryption];
  test("fails: a bucket without an encryption configuration, even when another bucket has one", () => {
    expect(
      violations(
        (s) => {
          new S3Bucket(s, "plain", { bucket: "plain" });
          const other = new S3Bucket(s, "other", { bucket: "other" });
          new S3BucketServerSideEncryptionConfigurationA(s, "other-sse", {
            bucket: other.id,
            rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
          });
        },
        { rules },
      ),
    ).toEqual(["ACME-S3-1 test/plain: bucket has no aws_s3_bucket_server_side_encryption_configuration in this stack"]);
  });

  test("passes: SSE-KMS by reference, SSE-S3 by literal bucket name", () => {
    expect(
      violations(
        (s) => {
          const a = new S3Bucket(s, "a", { bucket: "a" });
          new S3BucketServerSideEncryptionConfigurationA(s, "a-sse", {
            bucket: a.id,
            rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY } }],
          });
          new S3Bucket(s, "logs", { bucket: "acme-dev-logs" });
          new S3BucketServerSideEncryptionConfigurationA(s, "logs-sse", {
            bucket: "acme-dev-logs",
            rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
          });
        },
        { rules },
      ),
    ).toEqual([]);
  });
});

describe("ACME-S3-2 public access block", () => {
  const rules = [s3PublicAccessBlock];
  test("fails: no block, and a block with a flag left false", () => {
    expect(
      violations(
        (s) => {
          new S3Bucket(s, "none", { bucket: "none" });
          const half = new S3Bucket(s, "half", { bucket: "half" });
          new S3BucketPublicAccessBlock(s, "half-pab", {
            bucket: half.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: false,
          });
        },
        { rules },
      ),
    ).toEqual([
      "ACME-S3-2 test/none: bucket has no aws_s3_bucket_public_access_block in this stack",
      "ACME-S3-2 test/half: the bucket's public access block does not set restrict_public_buckets to true",
    ]);
  });

  test("passes: all four flags true", () => {
    expect(
      violations(
        (s) => {
          const b = new S3Bucket(s, "b", { bucket: "b" });
          new S3BucketPublicAccessBlock(s, "pab", {
            bucket: b.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
          });
        },
        { rules },
      ),
    ).toEqual([]);
  });
});

describe("ACME-S3-3 TLS-only bucket policy", () => {
  const rules = [s3TlsOnly];
  test("fails: no policy, a policy without the deny, and a policy only known at apply time", () => {
    expect(
      violations(
        (s) => {
          new S3Bucket(s, "none", { bucket: "none" });
          const allow = new S3Bucket(s, "allow", { bucket: "allow" });
          new S3BucketPolicy(s, "allow-policy", {
            bucket: allow.id,
            policy: doc({
              Effect: "Deny",
              Principal: "*",
              Action: "s3:DeleteBucket",
              Resource: allow.arn,
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            }),
          });
          const opaque = new S3Bucket(s, "opaque", { bucket: "opaque" });
          new S3BucketPolicy(s, "opaque-policy", {
            bucket: opaque.id,
            policy: "${data.aws_iam_policy_document.x.json}",
          });
        },
        { rules },
      ),
    ).toEqual([
      "ACME-S3-3 test/none: bucket has no aws_s3_bucket_policy, so plain-HTTP requests are not denied",
      "ACME-S3-3 test/allow: the bucket policy has no statement denying requests without TLS (Deny, Principal *, s3:*, aws:SecureTransport false)",
      "ACME-S3-3 test/opaque: the bucket policy is not a JSON document at synth time, so a TLS-only statement cannot be verified",
    ]);
  });

  test("passes: Deny s3:* to everyone when aws:SecureTransport is false, next to other statements", () => {
    expect(
      violations(
        (s) => {
          const b = new S3Bucket(s, "b", { bucket: "b" });
          new S3BucketPolicy(s, "policy", { bucket: b.id, policy: tlsOnly(b) });
        },
        { rules },
      ),
    ).toEqual([]);
  });
});

describe("ACME-DDB-1 DynamoDB encryption", () => {
  const rules = [dynamodbEncryption];
  const table = (s: TerraformStack, id: string, sse?: { enabled: boolean; kmsKeyArn?: string }) =>
    new DynamodbTable(s, id, {
      name: id,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      attribute: [{ name: "pk", type: "S" }],
      serverSideEncryption: sse,
    });
  test("fails: no server_side_encryption, or enabled false", () => {
    expect(violations((s) => (table(s, "none"), table(s, "off", { enabled: false })), { rules })).toEqual([
      "ACME-DDB-1 test/none: table does not set server_side_encryption.enabled = true",
      "ACME-DDB-1 test/off: table does not set server_side_encryption.enabled = true",
    ]);
  });
  test("passes: enabled with a KMS key", () => {
    expect(violations((s) => table(s, "t", { enabled: true, kmsKeyArn: KEY }), { rules })).toEqual([]);
  });
});

describe("ACME-RDS-1 RDS storage encryption", () => {
  const rules = [rdsEncryption];
  test("fails: storage_encrypted false", () => {
    expect(
      violations(
        (s) => new DbInstance(s, "db", { instanceClass: "db.t4g.micro", engine: "postgres", storageEncrypted: false }),
        { rules },
      ),
    ).toEqual(["ACME-RDS-1 test/db: database does not set storage_encrypted = true"]);
  });
  test("passes: storage_encrypted with a key", () => {
    expect(
      violations(
        (s) =>
          new DbInstance(s, "db", {
            instanceClass: "db.t4g.micro",
            engine: "postgres",
            storageEncrypted: true,
            kmsKeyId: KEY,
          }),
        { rules },
      ),
    ).toEqual([]);
  });
});

describe("ACME-RDS-2 RDS not public", () => {
  const rules = [rdsNotPublic];
  test("fails: publicly_accessible true", () => {
    expect(
      violations((s) => new DbInstance(s, "db", { instanceClass: "db.t4g.micro", publiclyAccessible: true }), {
        rules,
      }),
    ).toEqual(["ACME-RDS-2 test/db: database sets publicly_accessible = true"]);
  });
  test("passes: publicly_accessible false or unset", () => {
    expect(
      violations(
        (s) => (
          new DbInstance(s, "a", { instanceClass: "db.t4g.micro", publiclyAccessible: false }),
          new DbInstance(s, "b", { instanceClass: "db.t4g.micro" })
        ),
        { rules },
      ),
    ).toEqual([]);
  });
});

describe("ACME-SQS-1 SQS encryption", () => {
  const rules = [sqsEncryption];
  test("fails: neither a KMS key nor SQS-managed SSE", () => {
    expect(
      violations(
        (s) => (
          new SqsQueue(s, "plain", { name: "plain" }),
          new SqsQueue(s, "off", { name: "off", sqsManagedSseEnabled: false })
        ),
        { rules },
      ),
    ).toEqual([
      "ACME-SQS-1 test/plain: queue sets neither kms_master_key_id nor sqs_managed_sse_enabled = true",
      "ACME-SQS-1 test/off: queue sets neither kms_master_key_id nor sqs_managed_sse_enabled = true",
    ]);
  });
  test("passes: SSE-KMS, or SQS-managed SSE (what S3 notifications need)", () => {
    expect(
      violations(
        (s) => (
          new SqsQueue(s, "kms", { kmsMasterKeyId: KEY }),
          new SqsQueue(s, "sse", { sqsManagedSseEnabled: true })
        ),
        { rules },
      ),
    ).toEqual([]);
  });
});

describe("ACME-KIN-1 Kinesis encryption", () => {
  const rules = [kinesisEncryption];
  test("fails: encryption_type NONE", () => {
    expect(
      violations((s) => new KinesisStream(s, "events", { name: "events", shardCount: 1, encryptionType: "NONE" }), {
        rules,
      }),
    ).toEqual(['ACME-KIN-1 test/events: stream does not set encryption_type = "KMS" with a kms_key_id']);
  });
  test("passes: KMS with a key", () => {
    expect(
      violations(
        (s) => new KinesisStream(s, "events", { name: "events", shardCount: 1, encryptionType: "KMS", kmsKeyId: KEY }),
        { rules },
      ),
    ).toEqual([]);
  });
});

describe("ACME-MSK-1 MSK client authentication and encryption", () => {
  const rules = [mskIamAuth];
  const vpcConfig = [{ subnetIds: ["subnet-a", "subnet-b"] }];
  const brokers = { clientSubnets: ["subnet-a", "subnet-b"], instanceType: "kafka.m5.large", securityGroups: ["sg-1"] };
  test("fails: a serverless cluster without IAM auth, a provisioned one open to unauthenticated clients or in plaintext", () => {
    expect(
      violations(
        (s) => {
          new MskServerlessCluster(s, "off", {
            clusterName: "off",
            vpcConfig,
            clientAuthentication: { sasl: { iam: { enabled: false } } },
          });
          new MskCluster(s, "open", {
            clusterName: "open",
            kafkaVersion: "3.6.0",
            numberOfBrokerNodes: 2,
            brokerNodeGroupInfo: brokers,
            clientAuthentication: { unauthenticated: true },
            encryptionInfo: { encryptionInTransit: { clientBroker: "TLS_PLAINTEXT" } },
          });
        },
        { rules },
      ),
    ).toEqual([
      "ACME-MSK-1 test/off: serverless cluster does not enable client_authentication.sasl.iam",
      "ACME-MSK-1 test/open: cluster admits unauthenticated clients (no sasl iam/scram or tls in client_authentication)",
      "ACME-MSK-1 test/open: client_broker encryption is TLS_PLAINTEXT, not TLS",
    ]);
  });
  test("passes: serverless with IAM, provisioned with SASL/IAM over TLS", () => {
    expect(
      violations(
        (s) => {
          new MskServerlessCluster(s, "iam", {
            clusterName: "iam",
            vpcConfig,
            clientAuthentication: { sasl: { iam: { enabled: true } } },
          });
          new MskCluster(s, "tls", {
            clusterName: "tls",
            kafkaVersion: "3.6.0",
            numberOfBrokerNodes: 2,
            brokerNodeGroupInfo: brokers,
            clientAuthentication: { sasl: { iam: true } },
            encryptionInfo: { encryptionInTransit: { clientBroker: "TLS" } },
          });
        },
        { rules },
      ),
    ).toEqual([]);
  });
});

describe("ACME-REDIS-1 ElastiCache encryption and AUTH", () => {
  const rules = [redisEncryption];
  const base = { replicationGroupId: "cache", description: "d", nodeType: "cache.t4g.small", numCacheClusters: 1 };
  test("fails: unencrypted, AWS-managed key, no TLS, no AUTH", () => {
    expect(
      violations(
        (s) => {
          new ElasticacheReplicationGroup(s, "bare", base);
          new ElasticacheReplicationGroup(s, "managed", {
            ...base,
            replicationGroupId: "managed",
            atRestEncryptionEnabled: "true",
            transitEncryptionEnabled: true,
            authToken: "${var.t}",
          });
        },
        { rules },
      ),
    ).toEqual([
      "ACME-REDIS-1 test/bare: replication group is not encrypted at rest with a kms_key_id",
      "ACME-REDIS-1 test/bare: replication group does not enable transit_encryption_enabled",
      "ACME-REDIS-1 test/bare: replication group admits clients without AUTH (no auth_token or user_group_ids)",
      "ACME-REDIS-1 test/managed: replication group is not encrypted at rest with a kms_key_id",
    ]);
  });
  test("passes: KMS at rest, TLS, AUTH token or user groups", () => {
    const encrypted = { ...base, atRestEncryptionEnabled: "true", kmsKeyId: KEY, transitEncryptionEnabled: true };
    expect(
      violations(
        (s) => {
          new ElasticacheReplicationGroup(s, "token", { ...encrypted, authToken: "${var.t}" });
          new ElasticacheReplicationGroup(s, "users", {
            ...encrypted,
            replicationGroupId: "users",
            userGroupIds: ["ug-1"],
          });
        },
        { rules },
      ),
    ).toEqual([]);
  });
});

describe("ACME-CDN-1 CloudFront over HTTPS with an origin access control", () => {
  const rules = [cloudfrontHttps];
  const base = {
    enabled: true,
    origin: [{ originId: "site", domainName: "site.s3.eu-west-1.amazonaws.com", originAccessControlId: "oac-1" }],
    defaultCacheBehavior: {
      targetOriginId: "site",
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: ["GET", "HEAD"],
      cachedMethods: ["GET", "HEAD"],
    },
    restrictions: { geoRestriction: { restrictionType: "none" } },
    viewerCertificate: {
      acmCertificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/x",
      sslSupportMethod: "sni-only",
      minimumProtocolVersion: "TLSv1.2_2021",
    },
  };
  test("fails: plain HTTP allowed, the default certificate, an S3 origin read without access control", () => {
    expect(
      violations(
        (s) =>
          new CloudfrontDistribution(s, "open", {
            ...base,
            origin: [{ originId: "site", domainName: "site.s3.eu-west-1.amazonaws.com" }],
            defaultCacheBehavior: { ...base.defaultCacheBehavior, viewerProtocolPolicy: "allow-all" },
            viewerCertificate: { cloudfrontDefaultCertificate: true },
          }),
        { rules },
      ),
    ).toEqual([
      "ACME-CDN-1 test/open: a cache behaviour lets viewers use plain HTTP (viewer_protocol_policy allow-all)",
      "ACME-CDN-1 test/open: viewer certificate is not an ACM certificate with minimum_protocol_version TLSv1.2_2021 or later",
      "ACME-CDN-1 test/open: S3 origin site has no origin_access_control_id",
    ]);
  });
  test("passes: redirect to HTTPS, an ACM certificate with TLS 1.2, origin access control", () => {
    expect(violations((s) => new CloudfrontDistribution(s, "site", base), { rules })).toEqual([]);
  });
});

describe("ACME-SEC-1 Secrets Manager encryption", () => {
  const rules = [secretEncryption];
  test("fails: a secret under the AWS managed key", () => {
    expect(violations((s) => new SecretsmanagerSecret(s, "plain", { name: "plain" }), { rules })).toEqual([
      "ACME-SEC-1 test/plain: secret has no kms_key_id",
    ]);
  });
  test("passes: the environment's key", () => {
    expect(violations((s) => new SecretsmanagerSecret(s, "kms", { name: "kms", kmsKeyId: KEY }), { rules })).toEqual(
      [],
    );
  });
});

describe("ACME-LAM-1 Lambda guardrails", () => {
  const rules = [lambdaGuardrails];
  const base = {
    functionName: "f",
    role: "arn:aws:iam::111111111111:role/f",
    handler: "index.handler",
    runtime: "nodejs20.x",
    filename: "f.zip",
  };
  test("fails: no reserved concurrency, no dead-letter queue, environment without a key", () => {
    expect(violations((s) => new LambdaFunction(s, "bare", base), { rules })).toEqual([
      "ACME-LAM-1 test/bare: function has no reserved_concurrent_executions of 1 or more",
      "ACME-LAM-1 test/bare: function has no dead_letter_config.target_arn",
      "ACME-LAM-1 test/bare: function has no kms_key_arn for its environment",
    ]);
  });
  test("passes: all three set", () => {
    const guarded = {
      ...base,
      reservedConcurrentExecutions: 2,
      deadLetterConfig: { targetArn: "arn:aws:sqs:eu-west-1:111111111111:f-failures" },
      kmsKeyArn: KEY,
    };
    expect(violations((s) => new LambdaFunction(s, "guarded", guarded), { rules })).toEqual([]);
  });
});

describe("ACME-SNS-1 SNS encryption", () => {
  const rules = [snsEncryption];
  test("fails: a topic without a KMS key", () => {
    expect(violations((s) => new SnsTopic(s, "plain", { name: "plain" }), { rules })).toEqual([
      "ACME-SNS-1 test/plain: topic has no kms_master_key_id",
    ]);
  });
  test("passes: a topic with a KMS key", () => {
    expect(violations((s) => new SnsTopic(s, "alerts", { name: "alerts", kmsMasterKeyId: KEY }), { rules })).toEqual(
      [],
    );
  });
});

describe("ACME-ECR-1 ECR encryption", () => {
  const rules = [ecrEncryption];
  test("fails: no encryption_configuration", () => {
    expect(violations((s) => new EcrRepository(s, "repo", { name: "acme/x" }), { rules })).toEqual([
      "ACME-ECR-1 test/repo: repository has no encryption_configuration with an encryption_type",
    ]);
  });
  test("passes: KMS encryption configuration", () => {
    expect(
      violations(
        (s) =>
          new EcrRepository(s, "repo", {
            name: "acme/x",
            encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: KEY }],
          }),
        { rules },
      ),
    ).toEqual([]);
  });
});

describe("ACME-LOG-1 log group encryption", () => {
  const rules = [logGroupEncryption];
  test("fails: no kms_key_id", () => {
    expect(violations((s) => new CloudwatchLogGroup(s, "logs", { name: "/acme/x" }), { rules })).toEqual([
      "ACME-LOG-1 test/logs: log group has no kms_key_id",
    ]);
  });
  test("passes: kms_key_id set", () => {
    expect(violations((s) => new CloudwatchLogGroup(s, "logs", { name: "/acme/x", kmsKeyId: KEY }), { rules })).toEqual(
      [],
    );
  });
});

describe("ACME-EKS-1 EKS secrets encryption", () => {
  const rules = [eksSecretsEncryption];
  const cluster = (s: TerraformStack, encryptionConfig?: EksCluster["encryptionConfigInput"]) =>
    new EksCluster(s, "eks", {
      name: "acme-dev",
      roleArn: "arn:aws:iam::111111111111:role/eks",
      vpcConfig: { subnetIds: ["subnet-1"] },
      encryptionConfig,
    });
  test("fails: no encryption_config", () => {
    expect(violations((s) => cluster(s), { rules })).toEqual([
      "ACME-EKS-1 test/eks: cluster has no encryption_config for secrets with a provider key_arn",
    ]);
  });
  test("passes: secrets encrypted with a key", () => {
    expect(violations((s) => cluster(s, { resources: ["secrets"], provider: { keyArn: KEY } }), { rules })).toEqual([]);
  });
});

describe("ACME-SG-1 no public ingress except an ALB on 80/443", () => {
  const rules = [noPublicIngress];
  const world = { cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp" };

  test("fails: SSH from anywhere on an ALB's group, 443 from ::/0 on a group no ALB uses, all traffic, inline and legacy rules, an NLB's group", () => {
    expect(
      violations(
        (s) => {
          const albSg = new SecurityGroup(s, "alb-sg", { name: "alb" });
          new Lb(s, "alb", { loadBalancerType: "application", securityGroups: [albSg.id] });
          new VpcSecurityGroupIngressRule(s, "alb-ssh", {
            ...world,
            securityGroupId: albSg.id,
            fromPort: 22,
            toPort: 22,
          });
          new VpcSecurityGroupIngressRule(s, "alb-all", {
            securityGroupId: albSg.id,
            cidrIpv4: "0.0.0.0/0",
            ipProtocol: "-1",
          });
          const appSg = new SecurityGroup(s, "app-sg", { name: "app" });
          new VpcSecurityGroupIngressRule(s, "app-https", {
            securityGroupId: appSg.id,
            cidrIpv6: "::/0",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
          });
          new SecurityGroupRule(s, "legacy", {
            type: "ingress",
            securityGroupId: appSg.id,
            cidrBlocks: ["0.0.0.0/0"],
            protocol: "tcp",
            fromPort: 8080,
            toPort: 8090,
          });
          new SecurityGroup(s, "inline", {
            name: "inline",
            ingress: [{ cidrBlocks: ["0.0.0.0/0"], protocol: "tcp", fromPort: 3389, toPort: 3389 }],
          });
          const nlbSg = new SecurityGroup(s, "nlb-sg", { name: "nlb" });
          new Lb(s, "nlb", { loadBalancerType: "network", securityGroups: [nlbSg.id] });
          new VpcSecurityGroupIngressRule(s, "nlb-https", {
            ...world,
            securityGroupId: nlbSg.id,
            fromPort: 443,
            toPort: 443,
          });
        },
        { rules },
      ),
    ).toEqual([
      "ACME-SG-1 test/alb-ssh: ingress rule allows tcp 22 from 0.0.0.0/0",
      "ACME-SG-1 test/alb-all: ingress rule allows all traffic from 0.0.0.0/0",
      "ACME-SG-1 test/app-https: ingress rule allows tcp 443 from ::/0",
      "ACME-SG-1 test/nlb-https: ingress rule allows tcp 443 from 0.0.0.0/0",
      "ACME-SG-1 test/legacy: ingress rule allows tcp 8080-8090 from 0.0.0.0/0",
      "ACME-SG-1 test/inline: inline ingress allows tcp 3389 from 0.0.0.0/0",
    ]);
  });

  test("passes: an ALB's group open on 80 and 443 (rule or inline), and private or group-to-group ingress", () => {
    expect(
      violations(
        (s) => {
          const albSg = new SecurityGroup(s, "alb-sg", {
            name: "alb",
            ingress: [{ cidrBlocks: ["0.0.0.0/0"], protocol: "tcp", fromPort: 443, toPort: 443 }],
          });
          new Lb(s, "alb", { securityGroups: [albSg.id] });
          new VpcSecurityGroupIngressRule(s, "alb-http", {
            ...world,
            securityGroupId: albSg.id,
            fromPort: 80,
            toPort: 80,
          });
          new VpcSecurityGroupIngressRule(s, "alb-https6", {
            securityGroupId: albSg.id,
            cidrIpv6: "::/0",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
          });
          const appSg = new SecurityGroup(s, "app-sg", { name: "app" });
          new VpcSecurityGroupIngressRule(s, "from-alb", {
            securityGroupId: appSg.id,
            referencedSecurityGroupId: albSg.id,
            ipProtocol: "tcp",
            fromPort: 8080,
            toPort: 8080,
          });
          new VpcSecurityGroupIngressRule(s, "from-vpc", {
            securityGroupId: appSg.id,
            cidrIpv4: "10.0.0.0/16",
            ipProtocol: "-1",
          });
        },
        { rules },
      ),
    ).toEqual([]);
  });
});

describe("ACME-TAG-1 required tags", () => {
  const rules = [requiredTags];
  test("the rule requires exactly the tags the environment schema requires", () => {
    expect([...REQUIRED_TAGS].sort()).toEqual(Object.keys(tagsSchema.shape).sort());
  });

  test("fails: default_tags missing some or all (an aliased provider too), and AWS resources without any aws provider", () => {
    const partial = violations(
      (s) => {
        new AwsProvider(s, "aws", {
          region: "eu-west-1",
          defaultTags: [{ tags: { Project: "acme", Environment: "dev", ManagedBy: "cdktf" } }],
        });
        new AwsProvider(s, "aws-us", { region: "us-east-1", alias: "us" });
      },
      { rules, provider: false },
    );
    expect(partial).toEqual([
      "ACME-TAG-1 test/aws: provider default_tags lack Owner, CostCenter",
      "ACME-TAG-1 test/aws-us: provider default_tags lack Project, Environment, Owner, CostCenter, ManagedBy",
    ]);
    expect(violations((s) => new SqsQueue(s, "q", { sqsManagedSseEnabled: true }), { rules, provider: false })).toEqual(
      ["ACME-TAG-1 test: stack has AWS resources but no aws provider with default_tags"],
    );
  });

  test("passes: all five tags on the provider", () => {
    expect(violations((s) => new SqsQueue(s, "q", { sqsManagedSseEnabled: true }), { rules })).toEqual([]);
  });
});

describe("ACME-IAM-1 no Allow * on *", () => {
  const rules = [iamNoAdmin];
  const admin = { Effect: "Allow", Action: "*", Resource: "*" };

  test('fails: Action "*" or ["*"] on Resource "*", in a role policy, a managed policy, a role\'s inline policy, a key policy and a queue policy with references', () => {
    expect(
      violations(
        (s) => {
          const role = new IamRole(s, "role", {
            assumeRolePolicy: doc({
              Effect: "Allow",
              Principal: { Service: "ecs-tasks.amazonaws.com" },
              Action: "sts:AssumeRole",
            }),
            inlinePolicy: [{ name: "inline", policy: doc({ Sid: "Everything", ...admin }) }],
          });
          new IamRolePolicy(s, "role-policy", {
            role: role.id,
            policy: doc({ Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" }, { ...admin, Action: ["*"] }),
          });
          new IamPolicy(s, "managed", { policy: doc(admin) });
          new KmsKey(s, "key", {
            policy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "*", Resource: ["*"] }),
          });
          const queue = new SqsQueue(s, "queue", { sqsManagedSseEnabled: true });
          new SqsQueuePolicy(s, "queue-policy", {
            queueUrl: queue.url,
            policy: doc({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: queue.arn }, admin),
          });
          new IamPolicy(s, "broken", { policy: "{ not json" });
        },
        { rules },
      ),
    ).toEqual([
      'ACME-IAM-1 test/managed: policy statement #1 allows Action "*" on Resource "*"',
      "ACME-IAM-1 test/broken: policy is not a JSON policy document, so it cannot be checked",
      'ACME-IAM-1 test/role-policy: policy statement #2 allows Action "*" on Resource "*"',
      'ACME-IAM-1 test/role: inline_policy statement "Everything" allows Action "*" on Resource "*"',
      'ACME-IAM-1 test/queue-policy: policy statement #2 allows Action "*" on Resource "*"',
      'ACME-IAM-1 test/key: policy statement #1 allows Action "*" on Resource "*"',
    ]);
  });

  test('passes: kms:* on "*" (a key policy\'s admin statement), * on one ARN, Deny * on *, a policy only known at apply time', () => {
    expect(
      violations(
        (s) => {
          new KmsKey(s, "key", {
            policy: doc({
              Effect: "Allow",
              Principal: { AWS: "arn:aws:iam::111111111111:root" },
              Action: "kms:*",
              Resource: "*",
            }),
          });
          const bucket = new S3Bucket(s, "bucket", { bucket: "b" });
          new S3BucketPolicy(s, "bucket-policy", {
            bucket: bucket.id,
            policy: doc({ Effect: "Deny", Principal: "*", Action: "*", Resource: "*" }),
          });
          new IamPolicy(s, "scoped", { policy: doc({ Effect: "Allow", Action: "*", Resource: bucket.arn }) });
          new IamPolicy(s, "computed", { policy: "${data.aws_iam_policy_document.x.json}" });
        },
        { rules },
      ),
    ).toEqual([]);
  });
});

describe("ACME-DEL-1 deletion protection where the environment wants it", () => {
  const rules = [deletionProtection];
  const unprotected = (s: TerraformStack) => {
    new S3Bucket(s, "bucket", { bucket: "b", forceDestroy: true });
    new DynamodbTable(s, "table", {
      name: "t",
      hashKey: "pk",
      attribute: [{ name: "pk", type: "S" }],
      lifecycle: { preventDestroy: true },
    });
    new DbInstance(s, "db", {
      instanceClass: "db.t4g.micro",
      lifecycle: { preventDestroy: true },
      deletionProtection: false,
    });
    new KmsKey(s, "key", {});
  };

  test("fails in prod: missing prevent_destroy, force_destroy, missing deletion protection flags", () => {
    expect(violations(unprotected, { rules, env: PROD })).toEqual([
      'ACME-DEL-1 test/bucket: environment "prod" protects stateful resources, but lifecycle.prevent_destroy is not true and force_destroy is true',
      'ACME-DEL-1 test/table: environment "prod" protects stateful resources, but deletion_protection_enabled is not true',
      'ACME-DEL-1 test/db: environment "prod" protects stateful resources, but deletion_protection is not true',
      'ACME-DEL-1 test/key: environment "prod" protects stateful resources, but lifecycle.prevent_destroy is not true',
    ]);
  });

  test("passes: the same resources in an environment without deletion protection", () => {
    expect(violations(unprotected, { rules })).toEqual([]);
  });

  test("passes in prod: protected resources; streams are out of scope", () => {
    const keep = { preventDestroy: true };
    expect(
      violations(
        (s) => {
          new S3Bucket(s, "bucket", { bucket: "b", lifecycle: keep });
          new DynamodbTable(s, "table", {
            name: "t",
            hashKey: "pk",
            attribute: [{ name: "pk", type: "S" }],
            deletionProtectionEnabled: true,
            lifecycle: keep,
          });
          new DbInstance(s, "db", { instanceClass: "db.t4g.micro", deletionProtection: true, lifecycle: keep });
          new KmsKey(s, "key", { lifecycle: keep });
          new KinesisStream(s, "stream", { name: "s", shardCount: 1 });
        },
        { rules, env: PROD },
      ),
    ).toEqual([]);
  });
});

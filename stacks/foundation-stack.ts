import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { DataAwsKmsAlias } from "@cdktf/provider-aws/lib/data-aws-kms-alias";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { EksClusterWithIrsa } from "../constructs/eks-cluster";
import { GithubOidcRoles } from "../constructs/github-oidc";
import { Alerts, kmsStatementForPublishers } from "../constructs/alerts";
import { accountAdministersKey } from "../constructs/iam";
import { Network } from "../constructs/network";
import { PrivateBucket } from "../constructs/private-bucket";
import { protection } from "../constructs/protection";
import type { Environment } from "../environments";
import { availabilityZones } from "../environments/regions";
import { awsProvider } from "./aws-provider";
import { FOUNDATION_OUTPUTS, type FoundationOutputs } from "./foundation-contract";
import { FOUNDATION_STACK as FOUNDATION } from "../core/naming";
import { resourcePrefix, savedPlansPrefix, stackName } from "../core/naming";
import { stateBackendConfig, stateKeyAlias } from "./state";

export interface FoundationStackProps {
  readonly env: Environment;
  /** Modules enabled in this environment that ship an image: each gets an ECR repository. */
  readonly imageModules: string[];
}

/** Shared platform of one environment; publishes the FoundationOutputs contract. */
export class FoundationStack extends TerraformStack {
  public static readonly STACK = FOUNDATION;
  public readonly network: Network;

  constructor(scope: Construct, props: FoundationStackProps) {
    const { env } = props;
    super(scope, stackName(env, FOUNDATION));
    awsProvider(this, env, { Stack: FOUNDATION });
    new S3Backend(this, stateBackendConfig(env, FOUNDATION));
    const prefix = resourcePrefix(env);
    const protect = env.deletionProtection;

    const key = this.key(env, prefix);
    const alerts = this.alerts(env, prefix, key);
    new KmsAlias(this, "key-alias", { name: `alias/${prefix}`, targetKeyId: key.keyId });

    this.network = new Network(this, "network", {
      namePrefix: prefix,
      cidr: env.network.vpcCidr,
      availabilityZones: availabilityZones(env.region, env.network.azCount),
      natMode: env.network.natMode,
      flowLogs: env.network.flowLogs,
      kmsKeyArn: key.arn,
      logRetentionDays: env.logRetentionDays,
      region: env.region,
      interfaceEndpoints: env.network.interfaceEndpoints,
    });
    const { zone, publicZone } = this.zones(env, prefix);

    // Server access logs cannot be delivered to SSE-KMS buckets, so this one uses SSE-S3.
    const logs = new PrivateBucket(this, "logs", {
      denyInsecureTransport: env.s3TlsOnly,
      bucketName: `${prefix}-logs-${env.accountId}`,
      noncurrentVersionExpirationDays: 30,
      transitions: [{ days: 90, storageClass: "GLACIER" }],
      protect,
      logDeliveryFromAccount: env.accountId,
    });
    const logGroup = new CloudwatchLogGroup(this, "platform-logs", {
      name: `/${env.project}/${env.name}/platform`,
      retentionInDays: env.logRetentionDays,
      kmsKeyId: key.arn,
    });
    const repositories = props.imageModules.map((module) => ({ module, repo: this.repository(env, module, key) }));
    const github = this.githubRoles(env, prefix);
    const eks = env.eks.enabled ? this.eks(env, prefix, key, github) : undefined;
    const irsa = eks ? { arn: eks.oidcProvider.arn, issuer: eks.oidcIssuer } : this.clusterIssuer(env);

    publishOutputs(this, {
      vpc_id: this.network.vpc.id,
      vpc_cidr: this.network.vpc.cidrBlock,
      public_subnet_ids: this.network.publicSubnets.map((s) => s.id),
      private_subnet_ids: this.network.privateSubnets.map((s) => s.id),
      private_zone_id: zone.zoneId,
      private_zone_name: zone.name,
      // Empty without a public zone, so the contract has the same shape in every environment.
      public_zone_id: publicZone?.zoneId ?? "",
      public_zone_name: publicZone?.name ?? "",
      public_zone_name_servers: publicZone?.nameServers ?? [],
      kms_key_arn: key.arn,
      log_bucket_name: logs.bucketName,
      log_group_name: logGroup.name,
      alerts_topic_arn: alerts.topic.arn,
      ecr_repository_urls: Object.fromEntries(repositories.map(({ module, repo }) => [module, repo.repositoryUrl])),
      ecr_repository_arns: Object.fromEntries(repositories.map(({ module, repo }) => [module, repo.arn])),
      plan_role_arn: github.planRole.arn,
      planner_role_arn: github.plannerRole.arn,
      apply_role_arn: github.applyRole.arn,
      // Empty without EKS, so the contract has the same shape in every environment.
      eks_cluster_name: eks?.cluster.name ?? "",
      eks_cluster_endpoint: eks?.cluster.endpoint ?? "",
      eks_cluster_ca_data: eks?.cluster.certificateAuthority.get(0).data ?? "",
      eks_oidc_provider_arn: irsa?.arn ?? "",
      eks_oidc_provider_url: irsa?.issuer ?? "",
      eks_cluster_security_group_id: eks?.cluster.vpcConfig.clusterSecurityGroupId ?? "",
    });
  }

  /** The alerts topic, with the budget and anomaly monitor where the environment sets them. */
  private alerts(env: Environment, prefix: string, key: KmsKey): Alerts {
    return new Alerts(this, "alerts", {
      name: `${prefix}-alerts`,
      kmsKeyArn: key.arn,
      accountId: env.accountId,
      monthlyBudgetUsd: env.budget?.monthlyLimitUsd,
      costAnomaly: env.budget?.anomalyAlertUsd
        ? { tag: { key: "Environment", value: env.name }, thresholdUsd: env.budget.anomalyAlertUsd }
        : undefined,
      emails: env.alerts?.emails,
    });
  }

  /** The plan and apply roles GitHub's workflows assume through OIDC. */
  private githubRoles(env: Environment, prefix: string): GithubOidcRoles {
    return new GithubOidcRoles(this, "github", {
      namePrefix: prefix,
      repository: env.github.repository,
      applyEnvironment: env.name,
      planRefs: [`refs/heads/${env.github.defaultBranch}`],
      stateBucketName: env.state.bucket,
      lockTableArn:
        env.state.locking === "s3"
          ? undefined
          : `arn:aws:dynamodb:${env.region}:${env.accountId}:table/${env.state.lockTable}`,
      lockObjectsArn:
        env.state.locking === "dynamodb"
          ? undefined
          : `arn:aws:s3:::${env.state.bucket}/${env.state.keyPrefix}/*.tflock`,
      region: env.region,
      savedPlansArn: `arn:aws:s3:::${env.state.bucket}/${savedPlansPrefix(env)}*`,
      // Bootstrap's key, found by its alias: the plan role may use this key only.
      stateKeyArn: new DataAwsKmsAlias(this, "state-key", { name: stateKeyAlias(env) }).targetKeyArn,
    });
  }

  /** The environment's key: rotated, administered by the account, usable by the services that encrypt with it. */
  private key(env: Environment, prefix: string): KmsKey {
    const protect = env.deletionProtection;
    return new KmsKey(this, "key", {
      description: `Encrypts data at rest of ${prefix}`,
      enableKeyRotation: true,
      deletionWindowInDays: protect ? 30 : 7,
      lifecycle: protection(protect).lifecycle,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          accountAdministersKey(env.accountId),
          {
            Sid: "CloudWatchLogsEncrypts",
            Effect: "Allow",
            Principal: { Service: `logs.${env.region}.amazonaws.com` },
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: {
              ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${env.region}:${env.accountId}:*` },
            },
          },
          kmsStatementForPublishers(env.accountId),
          {
            // Static sites (constructs/static-site.ts): their buckets are encrypted with this key and
            // read by their CloudFront distribution through an origin access control.
            Sid: "CloudFrontReadsSiteBuckets",
            Effect: "Allow",
            Principal: { Service: "cloudfront.amazonaws.com" },
            Action: ["kms:Decrypt"],
            Resource: "*",
            Condition: { ArnLike: { "AWS:SourceArn": `arn:aws:cloudfront::${env.accountId}:distribution/*` } },
          },
        ],
      }),
    });
  }

  /** The private zone in the VPC, and the public zone where the environment has one. */
  private zones(env: Environment, prefix: string): { zone: Route53Zone; publicZone?: Route53Zone } {
    const protect = env.deletionProtection;
    const zone = new Route53Zone(this, "private-zone", {
      name: env.dns.privateZone,
      comment: `Internal names of ${prefix}`,
      vpc: [{ vpcId: this.network.vpc.id }],
      forceDestroy: protection(protect).forceDestroy,
    });
    // Recreating a public zone changes its name servers and breaks the parent domain's delegation.
    const publicZone = env.dns.publicZone
      ? new Route53Zone(this, "public-zone", {
          name: env.dns.publicZone,
          comment: `Public names of ${prefix}`,
          ...protection(protect),
        })
      : undefined;
    return { zone, publicZone };
  }

  /** A module's image repository: immutable tags, scanned on push, KMS, untagged images expire. */
  private repository(env: Environment, module: string, key: KmsKey): EcrRepository {
    const repo = new EcrRepository(this, `ecr-${module}`, {
      name: `${env.project}/${module}`,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: key.arn }],
      forceDelete: protection(env.deletionProtection).forceDestroy,
    });
    new EcrLifecyclePolicy(this, `ecr-${module}-lifecycle`, {
      repository: repo.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: "Expire untagged images after 14 days",
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
            action: { type: "expire" },
          },
        ],
      }),
    });
    return repo;
  }

  /**
   * The service-account issuer of the environment's own cluster as an IAM OIDC provider, so module
   * service accounts carry an IRSA role as on EKS (the local cluster: local/README.md).
   */
  private clusterIssuer(env: Environment): { arn: string; issuer: string } | undefined {
    const url = env.kubeconfig?.serviceAccountIssuer;
    if (!url) return undefined;
    const provider = new IamOpenidConnectProvider(this, "cluster-oidc", { url, clientIdList: ["sts.amazonaws.com"] });
    return { arn: provider.arn, issuer: url.replace(/^https:\/\//, "") };
  }

  /** The environment's EKS cluster: the apply role administers it, the plan role views it. */
  private eks(env: Environment, prefix: string, key: KmsKey, github: GithubOidcRoles): EksClusterWithIrsa {
    return new EksClusterWithIrsa(this, "eks", {
      name: prefix,
      version: env.eks.version,
      subnetIds: this.network.privateSubnets.map((s) => s.id),
      kmsKeyArn: key.arn,
      nodeInstanceTypes: env.eks.nodeInstanceTypes,
      nodeMinSize: env.eks.nodeMinSize,
      nodeDesiredSize: env.eks.nodeDesiredSize,
      nodeMaxSize: env.eks.nodeMaxSize,
      publicEndpoint: env.eks.publicEndpoint,
      logRetentionDays: env.logRetentionDays,
      access: { admin: [github.applyRole.arn], view: [github.planRole.arn, github.plannerRole.arn] },
    });
  }
}

/** One Terraform output per contract entry, with the contract's description. */
function publishOutputs(stack: TerraformStack, outputs: FoundationOutputs): void {
  for (const [name, spec] of Object.entries(FOUNDATION_OUTPUTS)) {
    new TerraformOutput(stack, name, {
      value: outputs[name as keyof FoundationOutputs],
      description: spec.description,
      sensitive: "sensitive" in spec ? Boolean(spec.sensitive) : undefined,
    });
  }
}

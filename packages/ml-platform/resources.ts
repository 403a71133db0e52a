import { TerraformOutput } from "cdktf";
import { KubernetesApp } from "../../constructs/kubernetes-app";
import { PrivateBucket } from "../../constructs/private-bucket";
import { REDIS_PORT, RedisCache } from "../../constructs/redis-cache";
import { clusterAccess, type ModuleBuild } from "../../stacks/module-api";
import type declaration from ".";

/** The Redis ACL user the model server connects as. */
export const CACHE_USER = "ml-platform";

export const build: ModuleBuild<typeof declaration> = ({
  scope,
  env,
  settings: s,
  foundation,
  name,
  secret,
  defaults,
}) => {
  const { kmsKeyArn, alarmTopicArn } = defaults;

  const models = new PrivateBucket(scope, "models", {
    ...defaults.bucket("models"),
    noncurrentVersionExpirationDays: s.oldModelVersionsKeptDays,
  });
  new TerraformOutput(scope, "models_bucket_name", {
    value: models.bucketName,
    description: "Bucket of trained model versions (versioned).",
  });

  const auth = secret("redis-auth");
  const cache = s.cache.enabled
    ? new RedisCache(scope, "cache", {
        name: name("features"),
        description: `Online features of ${env.name}`,
        vpcId: foundation.string("vpc_id"),
        subnetIds: foundation.list("private_subnet_ids"),
        // Pods on EKS run in the cluster's security group; without a cluster nothing may connect.
        clientSecurityGroupIds: env.eks.enabled ? [foundation.string("eks_cluster_security_group_id")] : [],
        kmsKeyArn,
        nodeType: s.cache.nodeType,
        engineVersion: s.cache.engineVersion,
        nodes: s.cache.nodes,
        snapshotRetentionDays: s.cache.snapshotRetentionDays,
        logRetentionDays: env.logRetentionDays,
        alarmTopicArn,
        userName: CACHE_USER,
        passwordVersion: s.cache.passwordVersion,
      })
    : undefined;
  if (cache) {
    // The password goes to the secret in the same run as to the cache (write-only both ways).
    auth.writeOnly({ REDIS_AUTH_TOKEN: cache.password }, cache.passwordVersion);
    new TerraformOutput(scope, "cache_endpoint", {
      value: cache.primaryEndpoint,
      description: `Primary endpoint of the feature cache (TLS, port ${REDIS_PORT}, user ${CACHE_USER}, password in the redis-auth secret).`,
    });
  }

  const cluster = clusterAccess(scope, env, foundation);
  if (cluster) {
    const serving = new KubernetesApp(scope, "serving", {
      name: "ml-platform",
      cluster,
      roleName: name("serving-irsa"),
      image: `${foundation.entry("ecr_repository_urls", "ml-platform")}:${s.workload.imageTag}`,
      resources: s.workload,
      config: {
        MODEL_BUCKET: models.bucketName,
        AWS_REGION: env.region,
        ...(cache
          ? {
              REDIS_HOST: cache.primaryEndpoint,
              REDIS_PORT: String(REDIS_PORT),
              REDIS_TLS: "true",
              REDIS_USER: CACHE_USER,
              REDIS_AUTH_SECRET_ARN: auth.arn,
            }
          : {}),
      },
      policy: servingPolicy({ modelsArn: models.bucketArn, kmsKeyArn, secretArns: cache ? [auth.arn] : [] }),
      workload: { kind: "deployment", replicas: s.workload.replicas, port: s.workload.port, healthPath: "/healthz" },
      egressPorts: cache ? [REDIS_PORT] : [],
    });
    if (cache && serving.role) auth.grantRead(serving.role.arn);
  }
};

/** The model server's permissions: read models, decrypt them, and read the cache user's password. */
export function servingPolicy(arns: { modelsArn: string; kmsKeyArn: string; secretArns: string[] }) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadModels",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:GetObjectVersion"],
        Resource: `${arns.modelsArn}/*`,
      },
      { Sid: "ListModels", Effect: "Allow", Action: ["s3:ListBucket"], Resource: arns.modelsArn },
      { Sid: "DecryptModels", Effect: "Allow", Action: ["kms:Decrypt"], Resource: arns.kmsKeyArn },
      ...(arns.secretArns.length > 0
        ? [
            {
              Sid: "ReadCacheAuth",
              Effect: "Allow",
              Action: ["secretsmanager:GetSecretValue"],
              Resource: arns.secretArns,
            },
          ]
        : []),
    ],
  };
}

import { TerraformOutput } from "cdktf";
import { z } from "zod";
import { KubernetesApp } from "../../constructs/kubernetes-app";
import { PrivateBucket } from "../../constructs/private-bucket";
import { REDIS_PORT, RedisCache } from "../../constructs/redis-cache";
import { clusterAccess, defineModule, KUBERNETES_INPUTS } from "../../stacks/module-api";
import { WORKLOAD_DEFAULTS, workloadSettings } from "../workload";

export const settings = z
  .object({
    /** The online feature cache next to the model store. */
    cache: z
      .object({
        enabled: z.boolean().default(true),
        nodeType: z
          .string()
          .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "must be an ElastiCache node type such as cache.t4g.small")
          .default("cache.t4g.small"),
        engineVersion: z
          .string()
          .regex(/^\d+\.\d+$/, "must be a Redis major.minor version such as 7.1")
          .default("7.1"),
        /** One primary and the rest replicas; two or more fail over automatically across AZs. */
        nodes: z.number().int().min(1).max(6).default(2),
        snapshotRetentionDays: z.number().int().min(0).max(35).default(7),
      })
      .strict()
      .prefault({}),
    /** Days a replaced model version is kept (for rollback) before it is deleted. */
    oldModelVersionsKeptDays: z.number().int().min(1).default(180),
    /** The model server on the environment's cluster. */
    workload: workloadSettings.default(WORKLOAD_DEFAULTS),
  })
  .strict();

const SERVING_PORT = 8080;

export const mlPlatform = defineModule({
  name: "ml-platform",
  owner: "@acme/ml-team",
  description: "Model store, a Redis feature cache and the model server on the environment's cluster.",
  consumes: [
    "vpc_id",
    "private_subnet_ids",
    "kms_key_arn",
    "log_bucket_name",
    "alerts_topic_arn",
    "eks_cluster_security_group_id",
    ...KUBERNETES_INPUTS,
  ],
  image: true,
  secrets: [
    {
      name: "redis-auth",
      description: "AUTH token of the feature cache, copied from the cache's creation; the model server reads it here.",
      keys: ["REDIS_AUTH_TOKEN"],
      fromOutputs: { REDIS_AUTH_TOKEN: "cache_auth_token" },
    },
  ],
  settings,
  build({ scope, env, settings: s, foundation, name, secret }) {
    const kmsKeyArn = foundation.string("kms_key_arn");
    const alarmTopicArn = env.alarms ? foundation.string("alerts_topic_arn") : undefined;

    const models = new PrivateBucket(scope, "models", {
      bucketName: name(`models-${env.accountId}`),
      kmsKeyArn,
      noncurrentVersionExpirationDays: s.oldModelVersionsKeptDays,
      accessLogs: { bucketName: foundation.string("log_bucket_name"), prefix: `s3/${name("models")}/` },
      protect: env.deletionProtection,
      denyInsecureTransport: env.s3TlsOnly,
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
        })
      : undefined;
    if (cache) {
      new TerraformOutput(scope, "cache_endpoint", {
        value: cache.primaryEndpoint,
        description: `Primary endpoint of the feature cache (TLS, port ${REDIS_PORT}, AUTH).`,
      });
      // What npm run secrets-fill copies into the redis-auth secret; plans and logs show it as sensitive.
      new TerraformOutput(scope, "cache_auth_token", {
        value: cache.authToken,
        sensitive: true,
        description: "AUTH token the cache was created with (sensitive; the redis-auth secret holds it).",
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
                REDIS_AUTH_SECRET_ARN: auth.arn,
              }
            : {}),
        },
        policy: servingPolicy({ modelsArn: models.bucketArn, kmsKeyArn, secretArns: cache ? [auth.arn] : [] }),
        workload: { kind: "deployment", replicas: s.workload.replicas, port: SERVING_PORT, healthPath: "/healthz" },
        egressPorts: cache ? [REDIS_PORT] : [],
      });
      if (cache && serving.role) auth.grantRead(serving.role.arn);
    }
  },
});

/** The model server's permissions: read models, decrypt them, and read the cache's AUTH token. */
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

import { defineModule, KUBERNETES_INPUTS } from "../../stacks/module-api";
import { environments } from "./environments";
import { settings } from "./settings";

export default defineModule({
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
  services: ["s3", "iam", "secretsmanager"],
  switchable: { cache: ["elasticache", "logs", "ec2"] },
  secrets: [
    {
      name: "redis-auth",
      description:
        "Password of the feature cache's user, written by the stack with the cache (write-only, never in state); the model server reads it here.",
      keys: ["REDIS_AUTH_TOKEN"],
      writtenByStack: true,
    },
  ],
  settings,
  environments,
});

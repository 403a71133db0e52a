import type { Environment } from "../../environments";
import { defineModule } from "../../stacks/module-api";
import { environments } from "./environments";
import { settings } from "./settings";

/** A domain must lie in the environment's public zone, where its certificate is validated. */
function domainProblems(path: string, domain: string | undefined, env: Environment): [string, string][] {
  if (domain === undefined) return [];
  const zone = env.dns.publicZone;
  if (!zone)
    return [
      [path, `needs a public zone to validate its certificate in: set dns.publicZone of environment "${env.name}"`],
    ];
  if (domain !== zone && !domain.endsWith(`.${zone}`))
    return [[path, `"${domain}" is not in the environment's public zone "${zone}"; use a name ending in .${zone}`]];
  return [];
}

const CONSUMES = [
  "vpc_id",
  "public_subnet_ids",
  "private_subnet_ids",
  "public_zone_id",
  "kms_key_arn",
  "log_bucket_name",
  "ecr_repository_urls",
  "alerts_topic_arn",
] as const;

export default defineModule({
  name: "order-tracking",
  owner: "@acme/orders-team",
  description:
    "Order tracking API on ECS Fargate behind an HTTPS load balancer, PostgreSQL on RDS, order events on MSK Serverless.",
  consumes: CONSUMES,
  image: true,
  services: ["secretsmanager"],
  switchable: {
    database: ["rds", "logs", "ec2", "iam"],
    service: ["ecs", "elbv2", "wafv2", "acm", "route53", "logs", "iam", "ec2"],
    events: ["kafka", "ec2"],
    frontend: ["cloudfront", "s3", "acm", "route53"],
  },
  secrets: [
    {
      name: "webhook-signing",
      description: "Key the API signs its outgoing order-status webhooks with; partners verify with it.",
      keys: ["WEBHOOK_SIGNING_KEY"],
      generate: ["WEBHOOK_SIGNING_KEY"],
    },
  ],
  settings,
  check(s, env) {
    return [
      ...(s.service.enabled ? domainProblems("service.domain", s.service.domain, env) : []),
      ...(s.frontend.enabled ? domainProblems("frontend.domain", s.frontend.domain, env) : []),
    ];
  },
  environments,
});

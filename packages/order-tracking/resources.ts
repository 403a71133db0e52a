import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { TerraformOutput } from "cdktf";
import { FargateService } from "../../constructs/fargate-service";
import { HttpsLoadBalancer } from "../../constructs/https-load-balancer";
import { MskServerless } from "../../constructs/msk-serverless";
import { POSTGRES_PORT, PostgresDatabase } from "../../constructs/postgres-database";
import { CLOUDFRONT_CERTIFICATE_REGION, StaticSite } from "../../constructs/static-site";
import type { ModuleBuild, ModuleContextOf } from "../../stacks/module-api";
import type declaration from ".";

const DB_NAME = "orders";

type Context = ModuleContextOf<typeof declaration>;

export const build: ModuleBuild<typeof declaration> = (ctx) => {
  const { scope, env, settings: s, foundation, name, defaults } = ctx;
  const { kmsKeyArn, alarmTopicArn } = defaults;
  const vpcId = foundation.string("vpc_id");
  const privateSubnets = foundation.list("private_subnet_ids");

  if (s.frontend.enabled) frontend(ctx);
  if (!s.database.enabled && !s.service.enabled && !s.events.enabled) return;

  // The tasks' group exists whenever the service, the database or the brokers do: it is what they admit.
  const serviceSg = new SecurityGroup(scope, "service-sg", {
    name: name("service"),
    description: "Order tracking tasks",
    vpcId,
  });

  const db = s.database.enabled
    ? new PostgresDatabase(scope, "database", {
        ...s.database,
        identifier: name("db"),
        dbName: DB_NAME,
        username: "orders_admin",
        vpcId,
        subnetIds: privateSubnets,
        clientSecurityGroupId: serviceSg.id,
        kmsKeyArn,
        logRetentionDays: env.logRetentionDays,
        protect: defaults.protect,
        alarmTopicArn,
      })
    : undefined;
  if (db) {
    new TerraformOutput(scope, "db_endpoint", {
      value: db.instance.endpoint,
      description: "PostgreSQL endpoint (host:port).",
    });
    new TerraformOutput(scope, "db_secret_arn", {
      value: db.secretArn,
      description: "Secrets Manager secret holding the database credentials (the ARN, not the secret).",
    });
  }

  const events = s.events.enabled
    ? new MskServerless(scope, "events", {
        clusterName: name("events"),
        region: env.region,
        accountId: env.accountId,
        vpcId,
        subnetIds: privateSubnets,
        clientSecurityGroupIds: [serviceSg.id],
      })
    : undefined;
  if (events) {
    new TerraformOutput(scope, "events_bootstrap_brokers", {
      value: events.bootstrapBrokers,
      description: "Kafka bootstrap servers of the order events cluster (SASL/IAM, port 9098).",
    });
    new TerraformOutput(scope, "events_cluster_arn", {
      value: events.cluster.arn,
      description: "ARN of the order events MSK Serverless cluster.",
    });
  }

  if (s.service.enabled) apiService(ctx, { vpcId, privateSubnets, serviceSg, db, events });
};

/** The customers' tracking page: static files behind CloudFront on frontend.domain. */
function frontend({ scope, env, settings: s, foundation, name, awsProviderIn, defaults }: Context): void {
  const site = new StaticSite(scope, "frontend", {
    name: name("frontend"),
    accountId: env.accountId,
    region: env.region,
    domain: s.frontend.domain as string,
    zoneId: foundation.string("public_zone_id"),
    certificateProvider: awsProviderIn(CLOUDFRONT_CERTIFICATE_REGION),
    kmsKeyArn: defaults.kmsKeyArn,
    accessLogs: defaults.accessLogs("frontend"),
    priceClass: s.frontend.priceClass,
    singlePageApp: true,
    protect: defaults.protect,
    denyInsecureTransport: defaults.denyInsecureTransport,
  });
  new TerraformOutput(scope, "frontend_bucket_name", {
    value: site.bucket.bucketName,
    description: "Bucket the tracking page's files are uploaded to (aws s3 sync).",
  });
  new TerraformOutput(scope, "frontend_distribution_id", {
    value: site.distribution.id,
    description: "CloudFront distribution of the tracking page (invalidate after an upload).",
  });
  new TerraformOutput(scope, "frontend_url", {
    value: `https://${s.frontend.domain}`,
    description: "Where the tracking page answers.",
  });
}

/** What the API is built from: the network, the tasks' group, and the database and brokers where enabled. */
interface ApiParts {
  readonly vpcId: string;
  readonly privateSubnets: string[];
  readonly serviceSg: SecurityGroup;
  readonly db?: PostgresDatabase;
  readonly events?: MskServerless;
}

/** The API: HTTPS load balancer with its web ACL in front of the Fargate service. */
function apiService({ scope, env, settings: s, foundation, name, secret, defaults }: Context, parts: ApiParts): void {
  const { vpcId, privateSubnets, serviceSg, db, events } = parts;
  const { kmsKeyArn, alarmTopicArn } = defaults;
  const domain = s.service.domain as string;
  const port = s.service.containerPort;
  new VpcSecurityGroupEgressRule(scope, "service-https-out", {
    securityGroupId: serviceSg.id,
    cidrIpv4: "0.0.0.0/0",
    ipProtocol: "tcp",
    fromPort: 443,
    toPort: 443,
    description: "Tasks reach AWS APIs (ECR, Secrets Manager, CloudWatch Logs, STS) through the VPC endpoints or NAT",
  });
  const lb = new HttpsLoadBalancer(scope, "api", {
    name: name("alb"),
    vpcId,
    publicSubnetIds: foundation.list("public_subnet_ids"),
    domain,
    zoneId: foundation.string("public_zone_id"),
    target: { port, healthCheckPath: s.service.healthCheckPath, securityGroupId: serviceSg.id },
    accessLogs: { bucket: foundation.string("log_bucket_name"), prefix: `alb/${name()}` },
    waf: { rateLimitPer5Minutes: s.service.rateLimitPer5Minutes, kmsKeyArn, logRetentionDays: env.logRetentionDays },
    protect: defaults.protect,
    alarmTopicArn,
  });

  const webhookSigning = secret("webhook-signing");
  const service = new FargateService(scope, "service", {
    name: name(),
    region: env.region,
    image: `${foundation.entry("ecr_repository_urls", "order-tracking")}:${s.service.imageTag}`,
    cpu: s.service.cpu,
    memoryMb: s.service.memoryMb,
    desiredCount: s.service.desiredCount,
    containerPort: port,
    subnetIds: privateSubnets,
    securityGroupId: serviceSg.id,
    loadBalancer: { targetGroupArn: lb.targetGroup.arn, dependsOn: [lb.https] },
    environment: {
      PORT: String(port),
      ...(events
        ? {
            KAFKA_BOOTSTRAP_SERVERS: events.bootstrapBrokers,
            KAFKA_TOPIC: s.events.topics[0],
            KAFKA_SASL_MECHANISM: "AWS_MSK_IAM",
          }
        : {}),
      ...(db ? { DB_HOST: db.instance.address, DB_PORT: String(POSTGRES_PORT), DB_NAME } : {}),
    },
    secrets: [
      ...(db
        ? [
            { name: "DB_USERNAME", secretArn: db.secretArn, jsonKey: "username" },
            { name: "DB_PASSWORD", secretArn: db.secretArn, jsonKey: "password" },
          ]
        : []),
      webhookSigning.ecsSecret("WEBHOOK_SIGNING_KEY"),
    ],
    kmsKeyArn,
    logRetentionDays: env.logRetentionDays,
  });
  events?.grant("service", service.taskRole, { produce: s.events.topics, createTopics: true });
  webhookSigning.grantRead(service.executionRole.arn);

  new TerraformOutput(scope, "alb_dns_name", {
    value: lb.lb.dnsName,
    description: "DNS name of the load balancer (the domain's alias record points at it).",
  });
  new TerraformOutput(scope, "api_url", {
    value: `https://${domain}`,
    description: "Where the order tracking API answers.",
  });
}

import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { TerraformOutput } from "cdktf";
import { z } from "zod";
import { FargateService } from "../../constructs/fargate-service";
import { HttpsLoadBalancer } from "../../constructs/https-load-balancer";
import { MskServerless } from "../../constructs/msk-serverless";
import { POSTGRES_PORT, PostgresDatabase } from "../../constructs/postgres-database";
import { CLOUDFRONT_CERTIFICATE_REGION, StaticSite } from "../../constructs/static-site";
import type { Environment } from "../../environments";
import { defineModule, type ModuleContext } from "../../stacks/module-api";

const DB_NAME = "orders";

export const settings = z
  .object({
    database: z
      .object({
        /** The emulator cannot run a PostgreSQL engine; local switches this off. */
        enabled: z.boolean().default(true),
        instanceClass: z
          .string()
          .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "must be an RDS instance class such as db.t4g.micro")
          .default("db.t4g.micro"),
        engineVersion: z.string().default("16.4"),
        allocatedStorageGb: z.number().int().min(20).max(65_536).default(20),
        multiAz: z.boolean().default(false),
        backupRetentionDays: z.number().int().min(1).max(35).default(7),
        /** Statements slower than this are logged, in milliseconds. */
        slowStatementMs: z.number().int().min(0).default(1000),
      })
      .strict()
      // Parsed like an empty object, so the field defaults above apply.
      .prefault({}),
    service: z
      .object({
        /** The emulator cannot run ECS tasks behind a load balancer; local switches this off. */
        enabled: z.boolean().default(true),
        /** Image tag in the module's ECR repository; immutable tags, never `latest`. */
        imageTag: z
          .string()
          .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/)
          .refine((t) => t !== "latest", "must name a release, not latest")
          .default("0.1.0"),
        desiredCount: z.number().int().min(0).max(100).default(1),
        cpu: z.number().int().default(256),
        memoryMb: z.number().int().default(512),
        containerPort: z.number().int().min(1).max(65_535).default(8080),
        healthCheckPath: z.string().startsWith("/").default("/health"),
        /**
         * Domain the API answers on, inside the environment's public zone (dns.publicZone). The
         * stack requests its ACM certificate, validates it through that zone and points the domain
         * at the load balancer, which serves HTTPS only; HTTP redirects to HTTPS.
         */
        domain: z
          .string()
          .regex(
            /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
            "must be a lowercase domain name such as orders.example.com",
          )
          .optional(),
        /** Requests per 5 minutes from one IP address before the web ACL blocks it. */
        rateLimitPer5Minutes: z.number().int().min(100).default(2000),
      })
      .strict()
      .refine((svc) => !svc.enabled || svc.domain !== undefined, {
        message:
          "is required while the service is enabled: the load balancer serves HTTPS only, with a certificate for this domain",
        path: ["domain"],
      })
      .prefault({}),
    events: z
      .object({
        /** MSK Serverless cluster for order events (Kafka clients, SASL/IAM on port 9098). */
        enabled: z.boolean().default(true),
        /** Topics the service produces to; its IAM policy names each, and may create them. */
        topics: z
          .array(
            z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, "must be a Kafka topic name (letters, digits, '.', '_', '-')"),
          )
          .min(1)
          .refine((t) => new Set(t).size === t.length, "must not name a topic twice")
          .default(["order-events"]),
      })
      .strict()
      .prefault({}),
    /** The customers' tracking page: static files in a private bucket behind CloudFront. */
    frontend: z
      .object({
        enabled: z.boolean().default(true),
        /** Domain the page answers on, inside the environment's public zone; its certificate is issued in us-east-1. */
        domain: z
          .string()
          .regex(
            /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
            "must be a lowercase domain name such as track.example.com",
          )
          .optional(),
        /** Edge locations: PriceClass_100 (North America, Europe) is the cheapest. */
        priceClass: z.enum(["PriceClass_100", "PriceClass_200", "PriceClass_All"]).default("PriceClass_100"),
      })
      .strict()
      .refine((f) => !f.enabled || f.domain !== undefined, {
        message:
          "is required while the frontend is enabled: CloudFront serves it over HTTPS with a certificate for this domain",
        path: ["domain"],
      })
      .prefault({}),
  })
  .strict();

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
type Context = ModuleContext<z.output<typeof settings>, (typeof CONSUMES)[number]>;

export const orderTracking = defineModule({
  name: "order-tracking",
  owner: "@acme/orders-team",
  description:
    "Order tracking API on ECS Fargate behind an HTTPS load balancer, PostgreSQL on RDS, order events on MSK Serverless.",
  consumes: CONSUMES,
  image: true,
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
  build(ctx) {
    const { scope, env, settings: s, foundation, name } = ctx;
    const kmsKeyArn = foundation.string("kms_key_arn");
    const vpcId = foundation.string("vpc_id");
    const privateSubnets = foundation.list("private_subnet_ids");
    const alarmTopicArn = env.alarms ? foundation.string("alerts_topic_arn") : undefined;

    if (s.frontend.enabled) frontend(ctx, kmsKeyArn);
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
          protect: env.deletionProtection,
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

    if (s.service.enabled) apiService(ctx, { kmsKeyArn, vpcId, privateSubnets, alarmTopicArn, serviceSg, db, events });
  },
});

/** The customers' tracking page: static files behind CloudFront on frontend.domain. */
function frontend({ scope, env, settings: s, foundation, name, awsProviderIn }: Context, kmsKeyArn: string): void {
  const site = new StaticSite(scope, "frontend", {
    name: name("frontend"),
    accountId: env.accountId,
    region: env.region,
    domain: s.frontend.domain as string,
    zoneId: foundation.string("public_zone_id"),
    certificateProvider: awsProviderIn(CLOUDFRONT_CERTIFICATE_REGION),
    kmsKeyArn,
    accessLogs: { bucketName: foundation.string("log_bucket_name"), prefix: `s3/${name("frontend")}/` },
    priceClass: s.frontend.priceClass,
    singlePageApp: true,
    protect: env.deletionProtection,
    denyInsecureTransport: env.s3TlsOnly,
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
  readonly kmsKeyArn: string;
  readonly vpcId: string;
  readonly privateSubnets: string[];
  readonly alarmTopicArn?: string;
  readonly serviceSg: SecurityGroup;
  readonly db?: PostgresDatabase;
  readonly events?: MskServerless;
}

/** The API: HTTPS load balancer with its web ACL in front of the Fargate service. */
function apiService({ scope, env, settings: s, foundation, name, secret }: Context, parts: ApiParts): void {
  const { kmsKeyArn, vpcId, privateSubnets, alarmTopicArn, serviceSg, db, events } = parts;
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
    protect: env.deletionProtection,
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

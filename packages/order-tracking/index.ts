import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsAcmCertificate } from "@cdktf/provider-aws/lib/data-aws-acm-certificate";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { TerraformOutput } from "cdktf";
import { z } from "zod";
import { AlbWebAcl } from "../../constructs/alb-web-acl";
import { trustedByService } from "../../constructs/iam";
import { QueueWithDeadLetter } from "../../constructs/queue";
import { defineModule } from "../module";

const POSTGRES_PORT = 5432;
const HTTPS_PORT = 443;
const HTTP_PORT = 80;
/** TLS 1.2 and 1.3 only, forward-secret ciphers. */
const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** PostgreSQL logs RDS exports to CloudWatch. */
const DB_LOG_EXPORTS = ["postgresql", "upgrade"];

export const settings = z
  .object({
    database: z
      .object({
        /** The emulator cannot run a PostgreSQL engine; local switches this off. */
        enabled: z.boolean().default(true),
        instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "must be an RDS instance class such as db.t4g.micro").default("db.t4g.micro"),
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
        imageTag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/).refine((t) => t !== "latest", "must name a release, not latest").default("0.1.0"),
        desiredCount: z.number().int().min(0).max(100).default(1),
        cpu: z.number().int().default(256),
        memoryMb: z.number().int().default(512),
        containerPort: z.number().int().min(1).max(65_535).default(8080),
        healthCheckPath: z.string().startsWith("/").default("/health"),
        /**
         * Domain the API answers on. The load balancer serves HTTPS only, with the ISSUED ACM
         * certificate for this domain in the environment's account and region (issued outside
         * this stack, with the domain's DNS); HTTP redirects to HTTPS.
         */
        domain: z
          .string()
          .regex(/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a lowercase domain name such as orders.example.com")
          .optional(),
        /** Requests per 5 minutes from one IP address before the web ACL blocks it. */
        rateLimitPer5Minutes: z.number().int().min(100).default(2000),
      })
      .strict()
      .refine((svc) => !svc.enabled || svc.domain !== undefined, {
        message: "is required while the service is enabled: the load balancer serves HTTPS only, with the ACM certificate of this domain",
        path: ["domain"],
      })
      .prefault({}),
  })
  .strict();

export const orderTracking = defineModule({
  name: "order-tracking",
  owner: "@acme/orders-team",
  description: "Order tracking API on ECS Fargate behind an ALB, PostgreSQL on RDS, and an order events queue.",
  consumes: ["vpc_id", "public_subnet_ids", "private_subnet_ids", "kms_key_arn", "log_bucket_name", "ecr_repository_urls", "alerts_topic_arn"],
  image: true,
  settings,
  build({ scope, env, settings: s, foundation, name }) {
    const kmsKeyArn = foundation.string("kms_key_arn");
    const vpcId = foundation.string("vpc_id");
    const privateSubnets = foundation.list("private_subnet_ids");
    const protect = env.deletionProtection;

    const events = new QueueWithDeadLetter(scope, "events", { queueName: name("events"), kmsKeyArn, alarmTopicArn: env.alarms ? foundation.string("alerts_topic_arn") : undefined });
    new TerraformOutput(scope, "events_queue_url", { value: events.queue.url, description: "Queue of order events." });

    if (!s.database.enabled && !s.service.enabled) return;

    const serviceSg = new SecurityGroup(scope, "service-sg", {
      name: name("service"),
      description: "Order tracking tasks",
      vpcId,
    });

    let db: DbInstance | undefined;
    if (s.database.enabled) {
      const dbSg = new SecurityGroup(scope, "db-sg", { name: name("db"), description: "Order tracking PostgreSQL", vpcId });
      new VpcSecurityGroupIngressRule(scope, "db-from-service", {
        securityGroupId: dbSg.id,
        referencedSecurityGroupId: serviceSg.id,
        ipProtocol: "tcp",
        fromPort: POSTGRES_PORT,
        toPort: POSTGRES_PORT,
        description: "PostgreSQL from the order tracking tasks only",
      });
      new VpcSecurityGroupEgressRule(scope, "service-to-db", {
        securityGroupId: serviceSg.id,
        referencedSecurityGroupId: dbSg.id,
        ipProtocol: "tcp",
        fromPort: POSTGRES_PORT,
        toPort: POSTGRES_PORT,
        description: "Tasks reach PostgreSQL",
      });
      const subnets = new DbSubnetGroup(scope, "db-subnets", { name: name("db"), subnetIds: privateSubnets });
      const engineMajor = s.database.engineVersion.split(".")[0];
      const parameters = new DbParameterGroup(scope, "db-parameters", {
        name: name(`db-postgres${engineMajor}`),
        family: `postgres${engineMajor}`,
        description: "Order tracking PostgreSQL: TLS only, DDL and slow statements logged",
        parameter: [
          { name: "rds.force_ssl", value: "1" },
          { name: "log_statement", value: "ddl" },
          { name: "log_min_duration_statement", value: String(s.database.slowStatementMs) },
        ],
      });
      const identifier = name("db");
      // Created here rather than by RDS on first export, so they are encrypted and expire.
      const dbLogGroups = DB_LOG_EXPORTS.map(
        (log) =>
          new CloudwatchLogGroup(scope, `db-logs-${log}`, {
            name: `/aws/rds/instance/${identifier}/${log}`,
            retentionInDays: env.logRetentionDays,
            kmsKeyId: kmsKeyArn,
          }),
      );
      const monitoring = new IamRole(scope, "db-monitoring-role", {
        name: name("db-monitoring"),
        assumeRolePolicy: trustedByService("monitoring.rds.amazonaws.com"),
      });
      new IamRolePolicyAttachment(scope, "db-monitoring-managed", {
        role: monitoring.name,
        policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
      });
      db = new DbInstance(scope, "db", {
        identifier,
        engine: "postgres",
        engineVersion: s.database.engineVersion,
        instanceClass: s.database.instanceClass,
        allocatedStorage: s.database.allocatedStorageGb,
        dbName: "orders",
        username: "orders_admin",
        // RDS generates the password and keeps it in Secrets Manager; it never passes through Terraform.
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: kmsKeyArn,
        storageEncrypted: true,
        kmsKeyId: kmsKeyArn,
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: [dbSg.id],
        publiclyAccessible: false,
        multiAz: s.database.multiAz,
        backupRetentionPeriod: s.database.backupRetentionDays,
        deletionProtection: protect,
        skipFinalSnapshot: !protect,
        finalSnapshotIdentifier: protect ? name("db-final") : undefined,
        copyTagsToSnapshot: true,
        autoMinorVersionUpgrade: true,
        iamDatabaseAuthenticationEnabled: true,
        parameterGroupName: parameters.name,
        enabledCloudwatchLogsExports: DB_LOG_EXPORTS,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: kmsKeyArn,
        performanceInsightsRetentionPeriod: 7,
        monitoringInterval: 60,
        monitoringRoleArn: monitoring.arn,
        dependsOn: dbLogGroups,
        lifecycle: protect ? { preventDestroy: true } : undefined,
      });
      new TerraformOutput(scope, "db_endpoint", { value: db.endpoint, description: "PostgreSQL endpoint (host:port)." });
      new TerraformOutput(scope, "db_secret_arn", {
        value: db.masterUserSecret.get(0).secretArn,
        description: "Secrets Manager secret holding the database credentials (the ARN, not the secret).",
      });
    }

    if (!s.service.enabled) return;

    const port = s.service.containerPort;
    const albSg = new SecurityGroup(scope, "alb-sg", { name: name("alb"), description: "Order tracking load balancer", vpcId });
    new VpcSecurityGroupIngressRule(scope, "alb-https", {
      securityGroupId: albSg.id,
      cidrIpv4: "0.0.0.0/0",
      ipProtocol: "tcp",
      fromPort: HTTPS_PORT,
      toPort: HTTPS_PORT,
      description: "Public HTTPS to the load balancer",
    });
    new VpcSecurityGroupIngressRule(scope, "alb-http", {
      securityGroupId: albSg.id,
      cidrIpv4: "0.0.0.0/0",
      ipProtocol: "tcp",
      fromPort: HTTP_PORT,
      toPort: HTTP_PORT,
      description: "Public HTTP, answered only with a redirect to HTTPS",
    });
    new VpcSecurityGroupEgressRule(scope, "alb-to-service", {
      securityGroupId: albSg.id,
      referencedSecurityGroupId: serviceSg.id,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description: "Load balancer forwards to the tasks",
    });
    new VpcSecurityGroupIngressRule(scope, "service-from-alb", {
      securityGroupId: serviceSg.id,
      referencedSecurityGroupId: albSg.id,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description: "Tasks accept traffic from the load balancer only",
    });
    new VpcSecurityGroupEgressRule(scope, "service-https-out", {
      securityGroupId: serviceSg.id,
      cidrIpv4: "0.0.0.0/0",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "Tasks reach AWS APIs (ECR, Secrets Manager, CloudWatch) through NAT",
    });

    const alb = new Lb(scope, "alb", {
      name: name("alb").slice(0, 32),
      loadBalancerType: "application",
      internal: false,
      securityGroups: [albSg.id],
      subnets: foundation.list("public_subnet_ids"),
      dropInvalidHeaderFields: true,
      enableDeletionProtection: protect,
      accessLogs: { bucket: foundation.string("log_bucket_name"), prefix: `alb/${name()}`, enabled: true },
    });
    const targets = new LbTargetGroup(scope, "targets", {
      name: name("tg").slice(0, 32),
      port,
      protocol: "HTTP",
      targetType: "ip",
      vpcId,
      healthCheck: { path: s.service.healthCheckPath, matcher: "200-299", interval: 15, healthyThreshold: 2, unhealthyThreshold: 3 },
    });
    // Issued outside this stack with the domain's DNS; the plan fails if it is missing.
    const certificate = new DataAwsAcmCertificate(scope, "certificate", {
      domain: s.service.domain as string,
      statuses: ["ISSUED"],
      mostRecent: true,
    });
    new LbListener(scope, "https", {
      loadBalancerArn: alb.arn,
      port: HTTPS_PORT,
      protocol: "HTTPS",
      sslPolicy: TLS_POLICY,
      certificateArn: certificate.arn,
      defaultAction: [{ type: "forward", targetGroupArn: targets.arn }],
    });
    new LbListener(scope, "http", {
      loadBalancerArn: alb.arn,
      port: HTTP_PORT,
      protocol: "HTTP",
      defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: String(HTTPS_PORT), statusCode: "HTTP_301" } }],
    });
    new AlbWebAcl(scope, "waf", {
      name: name("api"),
      loadBalancerArn: alb.arn,
      rateLimitPer5Minutes: s.service.rateLimitPer5Minutes,
      kmsKeyArn,
      logRetentionDays: env.logRetentionDays,
    });

    const logGroup = new CloudwatchLogGroup(scope, "service-logs", {
      name: `/ecs/${name()}`,
      retentionInDays: env.logRetentionDays,
      kmsKeyId: kmsKeyArn,
    });
    const cluster = new EcsCluster(scope, "cluster", { name: name(), setting: [{ name: "containerInsights", value: "enabled" }] });

    const ecsTrust = trustedByService("ecs-tasks.amazonaws.com");
    const execution = new IamRole(scope, "execution-role", { name: name("execution"), assumeRolePolicy: ecsTrust });
    new IamRolePolicyAttachment(scope, "execution-managed", {
      role: execution.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    });
    if (db) {
      new IamRolePolicy(scope, "execution-secret", {
        role: execution.id,
        name: "read-db-secret",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: db.masterUserSecret.get(0).secretArn },
            { Effect: "Allow", Action: ["kms:Decrypt"], Resource: kmsKeyArn },
          ],
        }),
      });
    }
    const task = new IamRole(scope, "task-role", { name: name("task"), assumeRolePolicy: ecsTrust });
    new IamRolePolicy(scope, "task-events", {
      role: task.id,
      name: "publish-order-events",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: ["sqs:SendMessage", "sqs:GetQueueAttributes"], Resource: events.queue.arn },
          { Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: kmsKeyArn },
        ],
      }),
    });

    const image = `${foundation.entry("ecr_repository_urls", "order-tracking")}:${s.service.imageTag}`;
    const definition = new EcsTaskDefinition(scope, "task", {
      family: name(),
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(s.service.cpu),
      memory: String(s.service.memoryMb),
      executionRoleArn: execution.arn,
      taskRoleArn: task.arn,
      containerDefinitions: JSON.stringify([
        {
          name: "api",
          image,
          essential: true,
          readonlyRootFilesystem: true,
          portMappings: [{ containerPort: port, protocol: "tcp" }],
          environment: [
            { name: "PORT", value: String(port) },
            { name: "EVENTS_QUEUE_URL", value: events.queue.url },
            ...(db ? [{ name: "DB_HOST", value: db.address }, { name: "DB_NAME", value: "orders" }] : []),
          ],
          // Injected by ECS from Secrets Manager at start; the value never appears in Terraform.
          secrets: db
            ? [
                { name: "DB_USERNAME", valueFrom: `${db.masterUserSecret.get(0).secretArn}:username::` },
                { name: "DB_PASSWORD", valueFrom: `${db.masterUserSecret.get(0).secretArn}:password::` },
              ]
            : [],
          logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": logGroup.name, "awslogs-region": env.region, "awslogs-stream-prefix": "api" },
          },
        },
      ]),
    });

    new EcsService(scope, "service", {
      name: name(),
      cluster: cluster.arn,
      taskDefinition: definition.arn,
      desiredCount: s.service.desiredCount,
      launchType: "FARGATE",
      networkConfiguration: { subnets: privateSubnets, securityGroups: [serviceSg.id], assignPublicIp: false },
      loadBalancer: [{ targetGroupArn: targets.arn, containerName: "api", containerPort: port }],
      deploymentCircuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriodSeconds: 60,
      dependsOn: [alb],
    });

    new TerraformOutput(scope, "alb_dns_name", { value: alb.dnsName, description: "DNS name of the load balancer; point the API's domain at it." });
    new TerraformOutput(scope, "api_url", { value: `https://${s.service.domain}`, description: "Where the order tracking API answers." });
  },
});

import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
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
import { QueueWithDeadLetter } from "../../constructs/queue";
import { defineModule } from "../module";

const POSTGRES_PORT = 5432;

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
      })
      .strict()
      .default({ enabled: true, instanceClass: "db.t4g.micro", engineVersion: "16.4", allocatedStorageGb: 20, multiAz: false, backupRetentionDays: 7 }),
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
      })
      .strict()
      .default({ enabled: true, imageTag: "0.1.0", desiredCount: 1, cpu: 256, memoryMb: 512, containerPort: 8080, healthCheckPath: "/health" }),
  })
  .strict();

export const orderTracking = defineModule({
  name: "order-tracking",
  owner: "@acme/orders-team",
  description: "Order tracking API on ECS Fargate behind an ALB, PostgreSQL on RDS, and an order events queue.",
  consumes: ["vpc_id", "public_subnet_ids", "private_subnet_ids", "kms_key_arn", "log_bucket_name", "ecr_repository_urls"],
  image: true,
  settings,
  build({ scope, env, settings: s, foundation, name }) {
    const kmsKeyArn = foundation.string("kms_key_arn");
    const vpcId = foundation.string("vpc_id");
    const privateSubnets = foundation.list("private_subnet_ids");
    const protect = env.deletionProtection;

    const events = new QueueWithDeadLetter(scope, "events", { queueName: name("events"), kmsKeyArn });
    new TerraformOutput(scope, "events_queue_url", { value: events.queue.url, description: "Queue of order events." });

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
      db = new DbInstance(scope, "db", {
        identifier: name("db"),
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
    new VpcSecurityGroupIngressRule(scope, "alb-http", {
      securityGroupId: albSg.id,
      cidrIpv4: "0.0.0.0/0",
      ipProtocol: "tcp",
      fromPort: 80,
      toPort: 80,
      description: "Public HTTP to the load balancer",
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
    new LbListener(scope, "http", {
      loadBalancerArn: alb.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [{ type: "forward", targetGroupArn: targets.arn }],
    });

    const logGroup = new CloudwatchLogGroup(scope, "service-logs", {
      name: `/ecs/${name()}`,
      retentionInDays: env.logRetentionDays,
      kmsKeyId: kmsKeyArn,
    });
    const cluster = new EcsCluster(scope, "cluster", { name: name(), setting: [{ name: "containerInsights", value: "enabled" }] });

    const ecsTrust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
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

    new TerraformOutput(scope, "alb_dns_name", { value: alb.dnsName, description: "Public DNS name of the order tracking API." });
  },
});

import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { trustedByService } from "./iam";

export interface FargateServiceProps {
  /** Cluster, service, task family, roles and log group are named after it. */
  readonly name: string;
  readonly region: string;
  /** Image reference, `<repository url>:<tag>`. */
  readonly image: string;
  readonly cpu: number;
  readonly memoryMb: number;
  readonly desiredCount: number;
  readonly containerPort: number;
  readonly subnetIds: string[];
  /** The tasks' security group (made by the caller, so databases and load balancers can reference it first). */
  readonly securityGroupId: string;
  /** Target group the load balancer forwards to, and what must exist before the service. */
  readonly loadBalancer: { readonly targetGroupArn: string; readonly dependsOn: ITerraformDependable[] };
  /** Plain configuration of the container. */
  readonly environment: Record<string, string>;
  /**
   * Values ECS injects from Secrets Manager at start (`<secret arn>:<json key>::`); the execution
   * role may read exactly these secrets and nothing else.
   */
  readonly secrets: { readonly name: string; readonly secretArn: string; readonly jsonKey: string }[];
  /** Decrypts the secrets and encrypts the log group. */
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
}

/**
 * A Fargate service of one container in private subnets without public IPs, behind a load balancer
 * target group, with a read-only root filesystem, logs in an encrypted group, deployment circuit
 * breaker with rollback, and separate execution and task roles. The task role starts empty: grant
 * it what the application calls (`taskRole`).
 */
export class FargateService extends Construct {
  public readonly cluster: EcsCluster;
  public readonly service: EcsService;
  public readonly taskRole: IamRole;
  public readonly executionRole: IamRole;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    const logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/ecs/${props.name}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.cluster = new EcsCluster(this, "cluster", {
      name: props.name,
      setting: [{ name: "containerInsights", value: "enabled" }],
    });
    const trust = trustedByService("ecs-tasks.amazonaws.com");
    this.executionRole = new IamRole(this, "execution-role", {
      name: `${props.name}-execution`,
      assumeRolePolicy: trust,
    });
    new IamRolePolicyAttachment(this, "execution-managed", {
      role: this.executionRole.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    });
    this.allowSecrets(props);
    this.taskRole = new IamRole(this, "task-role", { name: `${props.name}-task`, assumeRolePolicy: trust });

    const definition = new EcsTaskDefinition(this, "task", {
      family: props.name,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(props.cpu),
      memory: String(props.memoryMb),
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      containerDefinitions: JSON.stringify([
        {
          name: "app",
          image: props.image,
          essential: true,
          readonlyRootFilesystem: true,
          portMappings: [{ containerPort: props.containerPort, protocol: "tcp" }],
          environment: Object.entries(props.environment).map(([name, value]) => ({ name, value })),
          // Injected by ECS from Secrets Manager at start; the values never appear in Terraform.
          secrets: props.secrets.map((s) => ({ name: s.name, valueFrom: `${s.secretArn}:${s.jsonKey}::` })),
          logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": logGroup.name, "awslogs-region": props.region, "awslogs-stream-prefix": "app" },
          },
        },
      ]),
    });

    this.service = new EcsService(this, "service", {
      name: props.name,
      cluster: this.cluster.arn,
      taskDefinition: definition.arn,
      desiredCount: props.desiredCount,
      launchType: "FARGATE",
      networkConfiguration: {
        subnets: props.subnetIds,
        securityGroups: [props.securityGroupId],
        assignPublicIp: false,
      },
      loadBalancer: [
        { targetGroupArn: props.loadBalancer.targetGroupArn, containerName: "app", containerPort: props.containerPort },
      ],
      deploymentCircuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriodSeconds: 60,
      dependsOn: props.loadBalancer.dependsOn,
    });
  }

  /** The execution role may read exactly the secrets the container is given, and decrypt them. */
  private allowSecrets(props: FargateServiceProps): void {
    const secretArns = [...new Set(props.secrets.map((s) => s.secretArn))];
    if (secretArns.length > 0) {
      new IamRolePolicy(this, "execution-secrets", {
        role: this.executionRole.id,
        name: "read-secrets",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["secretsmanager:GetSecretValue"],
              Resource: secretArns.length === 1 ? secretArns[0] : secretArns,
            },
            { Effect: "Allow", Action: ["kms:Decrypt"], Resource: props.kmsKeyArn },
          ],
        }),
      });
    }
  }
}

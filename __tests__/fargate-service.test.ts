import { FargateService, type FargateServiceProps } from "../constructs/fargate-service";
import { awsTestStack, onlyResource, policy, resourcesOf, type StackJson, synthJson } from "./helpers";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/k";
const SECRET = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:acme-x/orders/db";

function service(props: Partial<FargateServiceProps> = {}): StackJson {
  const stack = awsTestStack();
  new FargateService(stack, "api", {
    name: "acme-x-orders",
    region: "eu-west-1",
    image: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/orders:1.2.0",
    cpu: 256,
    memoryMb: 512,
    desiredCount: 2,
    containerPort: 8080,
    subnetIds: ["subnet-a", "subnet-b"],
    securityGroupId: "sg-tasks",
    loadBalancer: { targetGroupArn: "arn:aws:elasticloadbalancing:tg/orders", dependsOn: [] },
    environment: { MODE: "api" },
    secrets: [
      { name: "DB_PASSWORD", secretArn: SECRET, jsonKey: "password" },
      { name: "DB_USER", secretArn: SECRET, jsonKey: "username" },
    ],
    kmsKeyArn: KEY,
    logRetentionDays: 30,
    ...props,
  });
  return synthJson(stack);
}

describe("FargateService", () => {
  const json = service();

  test("the service: Fargate in private subnets without public IPs, behind the target group, rolled back when a deploy fails", () => {
    expect(onlyResource(json, "aws_ecs_service")).toMatchObject({
      name: "acme-x-orders",
      desired_count: 2,
      launch_type: "FARGATE",
      network_configuration: {
        subnets: ["subnet-a", "subnet-b"],
        security_groups: ["sg-tasks"],
        assign_public_ip: false,
      },
      load_balancer: [
        { target_group_arn: "arn:aws:elasticloadbalancing:tg/orders", container_name: "app", container_port: 8080 },
      ],
      deployment_circuit_breaker: { enable: true, rollback: true },
      health_check_grace_period_seconds: 60,
    });
    expect(onlyResource(json, "aws_ecs_cluster").setting).toEqual([{ name: "containerInsights", value: "enabled" }]);
  });

  test("the container: read-only root, its port, plain config, secrets injected by reference, logs to an encrypted group", () => {
    const task = onlyResource(json, "aws_ecs_task_definition");
    expect(task).toMatchObject({
      family: "acme-x-orders",
      requires_compatibilities: ["FARGATE"],
      network_mode: "awsvpc",
      cpu: "256",
      memory: "512",
    });
    const [container] = JSON.parse(String(task.container_definitions));
    expect(container).toMatchObject({
      name: "app",
      image: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/orders:1.2.0",
      essential: true,
      readonlyRootFilesystem: true,
      portMappings: [{ containerPort: 8080, protocol: "tcp" }],
      environment: [{ name: "MODE", value: "api" }],
      secrets: [
        { name: "DB_PASSWORD", valueFrom: `${SECRET}:password::` },
        { name: "DB_USER", valueFrom: `${SECRET}:username::` },
      ],
    });
    expect(container.logConfiguration.options).toMatchObject({
      "awslogs-region": "eu-west-1",
      "awslogs-stream-prefix": "app",
    });
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toEqual({
      name: "/ecs/acme-x-orders",
      retention_in_days: 30,
      kms_key_id: KEY,
    });
  });

  test("roles: the execution role reads exactly the given secrets (once each) and decrypts; the task role starts empty", () => {
    expect(
      Object.values(resourcesOf(json, "aws_iam_role"))
        .map((r) => r.name)
        .sort(),
    ).toEqual(["acme-x-orders-execution", "acme-x-orders-task"]);
    expect(policy(onlyResource(json, "aws_iam_role_policy").policy).Statement).toEqual([
      { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: SECRET },
      { Effect: "Allow", Action: ["kms:Decrypt"], Resource: KEY },
    ]);
    expect(onlyResource(json, "aws_iam_role_policy_attachment").policy_arn).toBe(
      "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    );
    expect(resourcesOf(service({ secrets: [] }), "aws_iam_role_policy")).toEqual({});
  });
});

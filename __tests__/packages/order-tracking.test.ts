import { Testing } from "cdktf";
import { orderTracking } from "../../packages/order-tracking";
import { ModuleStack } from "../../stacks/module-stack";
import { env, onlyResource, policy, resourcesOf, synthJson } from "../helpers";

function synth(name: string, settings: unknown) {
  const e = env(name);
  return synthJson(new ModuleStack(Testing.app(), { env: e, module: orderTracking, settings: orderTracking.settings.parse(settings) }));
}

describe("order-tracking", () => {
  const prod = synth("prod", env("prod").modules["order-tracking"].settings);
  const local = synth("local", env("local").modules["order-tracking"].settings);

  test("PostgreSQL in private subnets, credentials managed by RDS in Secrets Manager, never in code", () => {
    const db = onlyResource(prod, "aws_db_instance");
    expect(db).toMatchObject({
      engine: "postgres",
      manage_master_user_password: true,
      publicly_accessible: false,
      storage_encrypted: true,
      deletion_protection: true,
      multi_az: true,
      instance_class: "db.t4g.medium",
    });
    expect(db.password).toBeUndefined();
    expect(String(onlyResource(prod, "aws_db_subnet_group").subnet_ids)).toContain("private_subnet_ids");
  });

  test("security groups: SG-to-SG rules only, except the ALB's public HTTP", () => {
    const ingress = Object.values(resourcesOf(prod, "aws_vpc_security_group_ingress_rule"));
    const open = ingress.filter((r) => r.cidr_ipv4);
    expect(open).toEqual([expect.objectContaining({ cidr_ipv4: "0.0.0.0/0", from_port: 80, to_port: 80 })]);
    expect(ingress.filter((r) => r.referenced_security_group_id)).toHaveLength(2);
    const dbRule = ingress.find((r) => r.from_port === 5432);
    expect(dbRule?.referenced_security_group_id).toBe("${aws_security_group.service-sg.id}");
  });

  test("Fargate service behind the ALB with health checks and CloudWatch logs", () => {
    expect(onlyResource(prod, "aws_lb_target_group")).toMatchObject({ target_type: "ip", health_check: { path: "/health" } });
    expect(onlyResource(prod, "aws_ecs_service")).toMatchObject({ launch_type: "FARGATE", desired_count: 3, network_configuration: { assign_public_ip: false } });
    const containers = JSON.parse(String(onlyResource(prod, "aws_ecs_task_definition").container_definitions));
    expect(containers[0].logConfiguration.logDriver).toBe("awslogs");
    expect(containers[0].image).toMatch(/^\$\{local\.[A-Za-z0-9_]+\}:0\.1\.0$/);
    expect(JSON.stringify(prod.locals)).toContain("ecr_repository_urls");
    expect(containers[0].secrets.map((s: { name: string }) => s.name)).toEqual(["DB_USERNAME", "DB_PASSWORD"]);
  });

  test("the task may read only its own database secret", () => {
    const secretPolicy = Object.values(resourcesOf(prod, "aws_iam_role_policy")).find((p) => p.name === "read-db-secret");
    expect(policy(secretPolicy?.policy).Statement[0]).toMatchObject({
      Action: ["secretsmanager:GetSecretValue"],
      Resource: "${aws_db_instance.db.master_user_secret[0].secret_arn}",
    });
  });

  test("local switches off database and service by configuration, the queue stays", () => {
    expect(resourcesOf(local, "aws_db_instance")).toEqual({});
    expect(resourcesOf(local, "aws_ecs_service")).toEqual({});
    expect(resourcesOf(local, "aws_lb")).toEqual({});
    expect(Object.keys(resourcesOf(local, "aws_sqs_queue"))).toHaveLength(2);
  });

  test("an image tag of latest is refused", () => {
    const result = orderTracking.settings.safeParse({ service: { imageTag: "latest" } });
    expect(result.error?.issues[0]).toMatchObject({ path: ["service", "imageTag"], message: "must name a release, not latest" });
  });
});

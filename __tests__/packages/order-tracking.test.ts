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

  test("security groups: SG-to-SG rules only, except the ALB's public HTTPS and its HTTP redirect", () => {
    const ingress = Object.values(resourcesOf(prod, "aws_vpc_security_group_ingress_rule"));
    const open = ingress.filter((r) => r.cidr_ipv4);
    expect(open.map((r) => [r.cidr_ipv4, r.from_port, r.to_port])).toEqual([
      ["0.0.0.0/0", 80, 80],
      ["0.0.0.0/0", 443, 443],
    ]);
    expect(ingress.filter((r) => r.referenced_security_group_id)).toHaveLength(2);
    const dbRule = ingress.find((r) => r.from_port === 5432);
    expect(dbRule?.referenced_security_group_id).toBe("${aws_security_group.service-sg.id}");
  });

  test("the ALB serves HTTPS only, TLS 1.2+, with the domain's issued certificate; HTTP redirects", () => {
    const listeners = resourcesOf(prod, "aws_lb_listener");
    expect(listeners.https).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificate_arn: "${data.aws_acm_certificate.certificate.arn}",
      default_action: [{ type: "forward" }],
    });
    expect(listeners.http).toMatchObject({
      port: 80,
      protocol: "HTTP",
      default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }],
    });
    expect(prod.data?.aws_acm_certificate?.certificate).toMatchObject({ domain: "orders.acme.example", statuses: ["ISSUED"], most_recent: true });
    expect(prod.output?.api_url?.value).toBe("https://orders.acme.example");
  });

  test("a WAF web ACL with AWS managed rules and a per-IP rate limit guards the ALB, logging to an encrypted group", () => {
    const acl = onlyResource(prod, "aws_wafv2_web_acl") as { scope: string; default_action: unknown; rule: { name: string; statement: Record<string, unknown> }[] };
    expect(acl.scope).toBe("REGIONAL");
    expect(acl.rule.map((r) => r.name)).toEqual([
      "AWSManagedRulesAmazonIpReputationList",
      "AWSManagedRulesCommonRuleSet",
      "AWSManagedRulesKnownBadInputsRuleSet",
      "rate-limit-per-ip",
    ]);
    expect(acl.rule[3].statement).toEqual({ rate_based_statement: { limit: 2000, aggregate_key_type: "IP" } });
    expect(onlyResource(prod, "aws_wafv2_web_acl_association")).toMatchObject({ resource_arn: "${aws_lb.alb.arn}" });
    const logging = onlyResource(prod, "aws_wafv2_web_acl_logging_configuration") as { log_destination_configs: string[] };
    const group = Object.entries(resourcesOf(prod, "aws_cloudwatch_log_group")).find(([, g]) => String(g.name).startsWith("aws-waf-logs-"));
    expect(group?.[1]).toMatchObject({ retention_in_days: 365, kms_key_id: expect.stringContaining("outputs.kms_key_arn") });
    expect(logging.log_destination_configs).toEqual([`\${aws_cloudwatch_log_group.${group?.[0]}.arn}`]);
  });

  test("the database logs DDL and slow statements, forces TLS, exports logs to encrypted groups, has insights and monitoring", () => {
    const db = onlyResource(prod, "aws_db_instance");
    expect(db).toMatchObject({
      enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"],
      performance_insights_enabled: true,
      performance_insights_kms_key_id: expect.stringContaining("outputs.kms_key_arn"),
      monitoring_interval: 60,
      monitoring_role_arn: "${aws_iam_role.db-monitoring-role.arn}",
      parameter_group_name: "${aws_db_parameter_group.db-parameters.name}",
    });
    const parameters = onlyResource(prod, "aws_db_parameter_group") as { family: string; parameter: { name: string; value: string }[] };
    expect(parameters.family).toBe("postgres16");
    expect(parameters.parameter).toEqual([
      { name: "rds.force_ssl", value: "1" },
      { name: "log_statement", value: "ddl" },
      { name: "log_min_duration_statement", value: "1000" },
    ]);
    const groups = Object.values(resourcesOf(prod, "aws_cloudwatch_log_group")).map((g) => g.name);
    expect(groups).toEqual(expect.arrayContaining(["/aws/rds/instance/acme-prod-order-tracking-db/postgresql", "/aws/rds/instance/acme-prod-order-tracking-db/upgrade"]));
    const monitoring = resourcesOf(prod, "aws_iam_role")["db-monitoring-role"];
    expect(policy(monitoring.assume_role_policy).Statement[0].Principal).toEqual({ Service: "monitoring.rds.amazonaws.com" });
    expect(Object.values(resourcesOf(prod, "aws_iam_role_policy_attachment")).map((a) => a.policy_arn)).toContain(
      "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    );
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

  test("local deploys no security group: nothing would use it", () => {
    expect(resourcesOf(local, "aws_security_group")).toEqual({});
  });

  test("a service without a domain is refused: it serves HTTPS only", () => {
    const result = orderTracking.settings.safeParse({ service: { enabled: true } });
    expect(result.error?.issues[0]).toMatchObject({ path: ["service", "domain"] });
    expect(result.error?.issues[0].message).toContain("is required while the service is enabled");
    expect(orderTracking.settings.safeParse({ service: { enabled: false } }).success).toBe(true);
  });

  test("an image tag of latest is refused", () => {
    const result = orderTracking.settings.safeParse({ service: { imageTag: "latest" } });
    expect(result.error?.issues[0]).toMatchObject({ path: ["service", "imageTag"], message: "must name a release, not latest" });
  });
});

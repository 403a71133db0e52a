import { moduleNamed } from "..";
import { Testing } from "cdktf";

import { ModuleStack } from "../../stacks/module-stack";
import { env, onlyResource, policy, resourcesOf, resourceUnder, synthJson } from "../../__tests__/helpers";

const orderTracking = moduleNamed("order-tracking");

function synth(name: string, settings: unknown) {
  const e = env(name);
  return synthJson(
    new ModuleStack(Testing.app(), { env: e, module: orderTracking, settings: orderTracking.settings.parse(settings) }),
  );
}

describe("order-tracking", () => {
  const prod = synth("prod", env("prod").modules["order-tracking"].settings);
  const local = synth("local", env("local").modules["order-tracking"].settings);
  /** The `${aws_security_group.<id>.id}` reference of the one group whose logical id starts with `prefix`. */
  const sgId = (json: typeof prod, prefix: string) => {
    const found = Object.keys(resourcesOf(json, "aws_security_group")).filter((id) => id.startsWith(prefix));
    if (found.length !== 1) throw new Error(`expected one security group ${prefix}*, found ${found.join(", ")}`);
    return `\${aws_security_group.${found[0]}.id}`;
  };

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
    expect(open.map((r) => [r.cidr_ipv4, r.from_port, r.to_port]).sort()).toEqual([
      ["0.0.0.0/0", 443, 443],
      ["0.0.0.0/0", 80, 80],
    ]);
    const service = sgId(prod, "service-sg");
    const byPort = Object.fromEntries(
      ingress.filter((r) => r.referenced_security_group_id).map((r) => [r.from_port, r]),
    );
    expect(Object.keys(byPort).sort()).toEqual(["5432", "8080", "9098"]);
    expect(byPort[5432]).toMatchObject({
      security_group_id: sgId(prod, "database_sg"),
      referenced_security_group_id: service,
      to_port: 5432,
    });
    expect(byPort[9098]).toMatchObject({
      security_group_id: sgId(prod, "events_sg"),
      referenced_security_group_id: service,
      to_port: 9098,
    });
    expect(byPort[8080]).toMatchObject({
      security_group_id: service,
      referenced_security_group_id: sgId(prod, "api_sg"),
      to_port: 8080,
    });
  });

  test("the tasks reach only PostgreSQL, the Kafka brokers (each SG to SG) and HTTPS", () => {
    const service = sgId(prod, "service-sg");
    const egress = Object.values(resourcesOf(prod, "aws_vpc_security_group_egress_rule")).filter(
      (r) => r.security_group_id === service,
    );
    expect(egress.map((r) => [r.from_port, r.to_port, r.referenced_security_group_id ?? r.cidr_ipv4]).sort()).toEqual([
      [443, 443, "0.0.0.0/0"],
      [5432, 5432, sgId(prod, "database_sg")],
      [9098, 9098, sgId(prod, "events_sg")],
    ]);
  });

  test("the ALB serves HTTPS only, TLS 1.2+, with a DNS-validated certificate in the public zone; HTTP redirects", () => {
    const listeners = Object.values(resourcesOf(prod, "aws_lb_listener"));
    const validation = Object.keys(resourcesOf(prod, "aws_acm_certificate_validation"))[0];
    expect(listeners.find((l) => l.port === 443)).toMatchObject({
      protocol: "HTTPS",
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificate_arn: `\${aws_acm_certificate_validation.${validation}.certificate_arn}`,
      default_action: [{ type: "forward" }],
    });
    expect(listeners.find((l) => l.port === 80)).toMatchObject({
      protocol: "HTTP",
      default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }],
    });
    expect(resourceUnder(prod, "aws_acm_certificate", "api")).toMatchObject({
      domain_name: "orders.acme.example",
      validation_method: "DNS",
      lifecycle: { create_before_destroy: true },
    });
    expect(prod.data?.aws_acm_certificate).toBeUndefined();
    expect(prod.output?.api_url?.value).toBe("https://orders.acme.example");
  });

  test("validation records and the alias go to the environment's public zone; validation waits for them", () => {
    const records = Object.entries(resourcesOf(prod, "aws_route53_record"));
    const validation = records.find(([id, r]) => id.startsWith("api_") && r.for_each !== undefined);
    expect(validation?.[1]).toMatchObject({
      type: "${each.value.resource_record_type}",
      records: ["${each.value.resource_record_value}"],
      zone_id: expect.stringContaining("outputs.public_zone_id"),
    });
    expect(String(validation?.[1].for_each)).toContain("domain_validation_options");
    expect(String(resourceUnder(prod, "aws_acm_certificate_validation", "api").validation_record_fqdns)).toContain(
      `aws_route53_record.${validation?.[0]}`,
    );
    const alias = records.find(([id, r]) => id.startsWith("api_") && r.alias !== undefined)?.[1];
    expect(alias).toMatchObject({
      name: "orders.acme.example",
      type: "A",
      zone_id: expect.stringContaining("outputs.public_zone_id"),
    });
    const lb = Object.keys(resourcesOf(prod, "aws_lb"))[0];
    expect(alias?.alias).toMatchObject({
      name: `\${aws_lb.${lb}.dns_name}`,
      zone_id: `\${aws_lb.${lb}.zone_id}`,
      evaluate_target_health: true,
    });
  });

  test("the ALB writes access logs to the central log bucket and refuses destroy in prod", () => {
    expect(onlyResource(prod, "aws_lb")).toMatchObject({
      access_logs: {
        bucket: expect.stringContaining("outputs.log_bucket_name"),
        prefix: "alb/acme-prod-order-tracking",
        enabled: true,
      },
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
    });
  });

  test("order events: MSK Serverless with IAM authentication only, in private subnets, behind its own security group", () => {
    const cluster = onlyResource(prod, "aws_msk_serverless_cluster");
    expect(cluster).toMatchObject({
      cluster_name: "acme-prod-order-tracking-events",
      client_authentication: { sasl: { iam: { enabled: true } } },
    });
    const vpc = (cluster.vpc_config as { subnet_ids: string; security_group_ids: string[] }[])[0];
    expect(String(vpc.subnet_ids)).toContain("private_subnet_ids");
    expect(vpc.security_group_ids).toEqual([sgId(prod, "events_sg")]);
    expect(resourcesOf(prod, "aws_sqs_queue")).toEqual({});
    expect(prod.output?.events_bootstrap_brokers?.value).toMatch(/bootstrap_brokers_sasl_iam/);
  });

  test("the task role may connect to its cluster and write only the declared topics, by ARN", () => {
    const grant = Object.values(resourcesOf(prod, "aws_iam_role_policy")).find((p) => p.name === "kafka-service");
    const statements = policy(grant?.policy).Statement;
    const cluster = `aws_msk_serverless_cluster.${Object.keys(resourcesOf(prod, "aws_msk_serverless_cluster"))[0]}`;
    expect(statements).toEqual([
      {
        Sid: "Connect",
        Effect: "Allow",
        Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
        Resource: `\${${cluster}.arn}`,
      },
      {
        Sid: "Produce",
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData", "kafka-cluster:CreateTopic"],
        Resource: [
          `arn:aws:kafka:eu-west-1:333333333333:topic/\${${cluster}.cluster_name}/\${${cluster}.cluster_uuid}/order-events`,
        ],
      },
    ]);
    expect(JSON.stringify(statements)).not.toMatch(/kafka-cluster:\*|"Resource":"\*"/);
    const role = Object.keys(resourcesOf(prod, "aws_iam_role")).find((id) => id.startsWith("service_task-role"));
    expect(grant?.role).toBe(`\${aws_iam_role.${role}.id}`);
  });

  test("the service gets the bootstrap servers and the database host from configuration, credentials as secrets", () => {
    const containers = JSON.parse(String(onlyResource(prod, "aws_ecs_task_definition").container_definitions));
    const environment = Object.fromEntries(
      containers[0].environment.map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expect(environment.KAFKA_BOOTSTRAP_SERVERS).toMatch(
      /^\$\{aws_msk_serverless_cluster\.[^.]+\.bootstrap_brokers_sasl_iam\}$/,
    );
    expect(environment).toMatchObject({
      KAFKA_TOPIC: "order-events",
      KAFKA_SASL_MECHANISM: "AWS_MSK_IAM",
      DB_PORT: "5432",
      DB_NAME: "orders",
    });
    expect(environment.DB_HOST).toMatch(/^\$\{aws_db_instance\.[^.]+\.address\}$/);
  });

  test("alarms to the alerts topic: database CPU and free storage, target 5xx", () => {
    const alarms = Object.values(resourcesOf(prod, "aws_cloudwatch_metric_alarm"));
    expect(alarms.map((a) => [a.namespace, a.metric_name]).sort()).toEqual([
      ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"],
      ["AWS/RDS", "CPUUtilization"],
      ["AWS/RDS", "FreeStorageSpace"],
    ]);
    for (const alarm of alarms)
      expect(alarm.alarm_actions).toEqual([expect.stringContaining("outputs.alerts_topic_arn")]);
    expect(alarms.find((a) => a.metric_name === "FreeStorageSpace")).toMatchObject({
      threshold: 20 * 1024 ** 3 * 0.1,
      comparison_operator: "LessThanThreshold",
    });
  });

  test("a WAF web ACL with AWS managed rules and a per-IP rate limit guards the ALB, logging to an encrypted group", () => {
    const acl = onlyResource(prod, "aws_wafv2_web_acl") as {
      scope: string;
      default_action: unknown;
      rule: { name: string; statement: Record<string, unknown> }[];
    };
    expect(acl.scope).toBe("REGIONAL");
    expect(acl.rule.map((r) => r.name)).toEqual([
      "AWSManagedRulesAmazonIpReputationList",
      "AWSManagedRulesCommonRuleSet",
      "AWSManagedRulesKnownBadInputsRuleSet",
      "rate-limit-per-ip",
    ]);
    expect(acl.rule[3].statement).toEqual({ rate_based_statement: { limit: 2000, aggregate_key_type: "IP" } });
    expect(onlyResource(prod, "aws_wafv2_web_acl_association").resource_arn).toMatch(/^\$\{aws_lb\.[^.]+\.arn\}$/);
    const logging = onlyResource(prod, "aws_wafv2_web_acl_logging_configuration") as {
      log_destination_configs: string[];
    };
    const group = Object.entries(resourcesOf(prod, "aws_cloudwatch_log_group")).find(([, g]) =>
      String(g.name).startsWith("aws-waf-logs-"),
    );
    expect(group?.[1]).toMatchObject({
      retention_in_days: 365,
      kms_key_id: expect.stringContaining("outputs.kms_key_arn"),
    });
    expect(logging.log_destination_configs).toEqual([`\${aws_cloudwatch_log_group.${group?.[0]}.arn}`]);
  });

  test("the database logs DDL and slow statements, forces TLS, exports logs to encrypted groups, has insights and monitoring", () => {
    const db = onlyResource(prod, "aws_db_instance");
    expect(db).toMatchObject({
      enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"],
      performance_insights_enabled: true,
      performance_insights_kms_key_id: expect.stringContaining("outputs.kms_key_arn"),
      monitoring_interval: 60,
      monitoring_role_arn: expect.stringMatching(/^\$\{aws_iam_role\.database_monitoring-role[^.]*\.arn\}$/),
      parameter_group_name: expect.stringMatching(/^\$\{aws_db_parameter_group\.database_parameters[^.]*\.name\}$/),
    });
    const parameters = onlyResource(prod, "aws_db_parameter_group") as {
      family: string;
      parameter: { name: string; value: string }[];
    };
    expect(parameters.family).toBe("postgres16");
    expect(parameters.parameter).toEqual([
      { name: "rds.force_ssl", value: "1" },
      { name: "log_statement", value: "ddl" },
      { name: "log_min_duration_statement", value: "1000" },
    ]);
    const groups = Object.values(resourcesOf(prod, "aws_cloudwatch_log_group")).map((g) => g.name);
    expect(groups).toEqual(
      expect.arrayContaining([
        "/aws/rds/instance/acme-prod-order-tracking-db/postgresql",
        "/aws/rds/instance/acme-prod-order-tracking-db/upgrade",
      ]),
    );
    const monitoring = Object.entries(resourcesOf(prod, "aws_iam_role")).find(([id]) =>
      id.startsWith("database_monitoring-role"),
    )?.[1];
    expect(policy(monitoring?.assume_role_policy).Statement[0].Principal).toEqual({
      Service: "monitoring.rds.amazonaws.com",
    });
    expect(Object.values(resourcesOf(prod, "aws_iam_role_policy_attachment")).map((a) => a.policy_arn)).toContain(
      "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    );
  });

  test("Fargate service behind the ALB with health checks and CloudWatch logs", () => {
    expect(onlyResource(prod, "aws_lb_target_group")).toMatchObject({
      target_type: "ip",
      health_check: { path: "/health" },
    });
    expect(onlyResource(prod, "aws_ecs_service")).toMatchObject({
      launch_type: "FARGATE",
      desired_count: 3,
      network_configuration: { assign_public_ip: false },
    });
    const containers = JSON.parse(String(onlyResource(prod, "aws_ecs_task_definition").container_definitions));
    expect(containers[0].logConfiguration.logDriver).toBe("awslogs");
    expect(containers[0].image).toMatch(/^\$\{local\.[A-Za-z0-9_]+\}:0\.1\.0$/);
    expect(JSON.stringify(prod.locals)).toContain("ecr_repository_urls");
    expect(containers[0].secrets.map((s: { name: string }) => s.name)).toEqual([
      "DB_USERNAME",
      "DB_PASSWORD",
      "WEBHOOK_SIGNING_KEY",
    ]);
  });

  test("the task may read only its own database secret and its declared secret", () => {
    const secretPolicy = Object.values(resourcesOf(prod, "aws_iam_role_policy")).find((p) => p.name === "read-secrets");
    expect(policy(secretPolicy?.policy).Statement[0]).toMatchObject({
      Action: ["secretsmanager:GetSecretValue"],
      Resource: [
        expect.stringMatching(/^\$\{aws_db_instance\.database_db[^.]*\.master_user_secret\[0\]\.secret_arn\}$/),
        expect.stringMatching(/^\$\{aws_secretsmanager_secret\.secret-webhook-signing_secret_[^.]*\.arn\}$/),
      ],
    });
  });

  test("local applies the whole module: database, Kafka cluster, HTTPS load balancer and CloudFront frontend with their certificates, service", () => {
    for (const type of [
      "aws_db_instance",
      "aws_msk_serverless_cluster",
      "aws_lb",
      "aws_ecs_service",
      "aws_cloudfront_distribution",
      "aws_cloudfront_origin_access_control",
    ]) {
      expect(Object.keys(resourcesOf(local, type))).toHaveLength(1);
    }
    expect(
      Object.values(resourcesOf(local, "aws_acm_certificate"))
        .map((c) => c.domain_name)
        .sort(),
    ).toEqual(["orders.local.acme.example", "track.local.acme.example"]);
    expect(Object.keys(resourcesOf(local, "aws_acm_certificate_validation"))).toHaveLength(2);
    // No alarms where the emulator cannot take them (alarms: false).
    expect(resourcesOf(local, "aws_cloudwatch_metric_alarm")).toEqual({});
  });

  test("an emulator without RDS, ECS or MSK (LocalStack community) gets them switched off by configuration", () => {
    // Only the declared secret is left: Secrets Manager is something every emulator runs.
    expect(
      Object.keys(
        synth("local", {
          database: { enabled: false },
          service: { enabled: false },
          events: { enabled: false },
          frontend: { enabled: false },
        }).resource ?? {},
      ),
    ).toEqual(["aws_secretsmanager_secret"]);
    const eventsOnly = synth("local", {
      database: { enabled: false },
      service: { enabled: false },
      frontend: { enabled: false },
    });
    expect(Object.keys(resourcesOf(eventsOnly, "aws_msk_serverless_cluster"))).toHaveLength(1);
    expect(resourcesOf(eventsOnly, "aws_lb")).toEqual({});
  });

  test("a service without a domain is refused: it serves HTTPS only", () => {
    const result = orderTracking.settings.safeParse({ service: { enabled: true } });
    expect(result.error?.issues[0]).toMatchObject({ path: ["service", "domain"] });
    expect(result.error?.issues[0].message).toContain("is required while the service is enabled");
    expect(
      orderTracking.settings.safeParse({ service: { enabled: false }, frontend: { enabled: false } }).success,
    ).toBe(true);
  });

  test("an image tag of latest is refused", () => {
    const result = orderTracking.settings.safeParse({ service: { imageTag: "latest" } });
    expect(result.error?.issues[0]).toMatchObject({
      path: ["service", "imageTag"],
      message: "must name a release, not latest",
    });
  });

  describe("frontend: a static site behind CloudFront", () => {
    const distribution = () =>
      onlyResource(prod, "aws_cloudfront_distribution") as Record<string, unknown> & {
        origin: Record<string, unknown>[];
        default_cache_behavior: Record<string, unknown>;
      };

    test("the private bucket is the only origin, read through an origin access control (SigV4)", () => {
      expect(onlyResource(prod, "aws_cloudfront_origin_access_control")).toMatchObject({
        origin_access_control_origin_type: "s3",
        signing_behavior: "always",
        signing_protocol: "sigv4",
      });
      expect(distribution().origin).toEqual([
        {
          origin_id: "site-bucket",
          domain_name: "acme-prod-order-tracking-frontend-333333333333.s3.eu-west-1.amazonaws.com",
          origin_access_control_id: expect.stringMatching(
            /^\$\{aws_cloudfront_origin_access_control\.frontend_origin-access_.*\.id\}$/,
          ),
        },
      ]);
      const site = Object.values(resourcesOf(prod, "aws_s3_bucket")).find(
        (b) => b.bucket === "acme-prod-order-tracking-frontend-333333333333",
      );
      expect(site).toBeDefined();
      const policies = Object.values(resourcesOf(prod, "aws_s3_bucket_policy")).map((p) => policy(p.policy).Statement);
      const reads = policies.flat().filter((st) => st.Sid === "ThisDistributionReads");
      expect(reads).toEqual([
        {
          Sid: "ThisDistributionReads",
          Effect: "Allow",
          Principal: { Service: "cloudfront.amazonaws.com" },
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::acme-prod-order-tracking-frontend-333333333333/*",
          Condition: {
            StringEquals: {
              "AWS:SourceArn": expect.stringMatching(
                /^\$\{aws_cloudfront_distribution\.frontend_distribution_.*\.arn\}$/,
              ),
            },
          },
        },
      ]);
    });

    test("HTTPS only with TLS 1.2+ on the domain's certificate from us-east-1, validated through DNS; security headers", () => {
      expect(distribution()).toMatchObject({
        aliases: ["track.acme.example"],
        price_class: "PriceClass_200",
        viewer_certificate: {
          acm_certificate_arn: expect.stringMatching(
            /aws_acm_certificate_validation\.frontend_validation_.*\.certificate_arn/,
          ),
          ssl_support_method: "sni-only",
          minimum_protocol_version: "TLSv1.2_2021",
        },
      });
      expect(distribution().default_cache_behavior).toMatchObject({
        viewer_protocol_policy: "redirect-to-https",
        allowed_methods: ["GET", "HEAD"],
        response_headers_policy_id: "67f7725c-6f97-4210-82d7-5512b31e9d03",
      });
      const certificate = Object.values(resourcesOf(prod, "aws_acm_certificate")).find(
        (c) => c.domain_name === "track.acme.example",
      );
      expect(certificate).toMatchObject({ provider: "aws.us-east-1", validation_method: "DNS" });
      const providers = (prod.provider as { aws: Record<string, unknown>[] }).aws;
      expect(providers.map((p) => [p.alias, p.region])).toEqual([
        [undefined, "eu-west-1"],
        ["us-east-1", "us-east-1"],
      ]);
      // Same account guard and tags as the stack's own provider.
      expect(providers[1]).toMatchObject({
        allowed_account_ids: ["333333333333"],
        default_tags: providers[0].default_tags,
      });
    });

    test("A and AAAA aliases of the domain point at the distribution", () => {
      const aliases = Object.values(resourcesOf(prod, "aws_route53_record")).filter(
        (r) => r.name === "track.acme.example",
      );
      expect(aliases.map((r) => r.type).sort()).toEqual(["A", "AAAA"]);
      expect(aliases[0].alias).toEqual({
        name: expect.stringContaining("domain_name"),
        zone_id: expect.stringContaining("hosted_zone_id"),
        evaluate_target_health: false,
      });
    });

    test("a frontend without a domain is refused: CloudFront serves it over HTTPS on that domain", () => {
      const result = orderTracking.settings.safeParse({ service: { enabled: false } });
      expect(result.error?.issues[0]).toMatchObject({ path: ["frontend", "domain"] });
      expect(
        orderTracking.settings.safeParse({ service: { enabled: false }, frontend: { enabled: false } }).success,
      ).toBe(true);
    });
  });
});

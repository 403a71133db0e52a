import { HttpsLoadBalancer, type HttpsLoadBalancerProps, TLS_POLICY } from "../constructs/https-load-balancer";
import { awsTestStack, onlyResource, resourcesOf, type StackJson, synthJson } from "./helpers";

function loadBalancer(props: Partial<HttpsLoadBalancerProps> = {}): StackJson {
  const stack = awsTestStack();
  new HttpsLoadBalancer(stack, "api", {
    name: "acme-x-order-tracking-api-public",
    vpcId: "vpc-1",
    publicSubnetIds: ["subnet-a", "subnet-b"],
    domain: "api.example.com",
    zoneId: "Z1",
    target: { port: 8080, healthCheckPath: "/healthz", securityGroupId: "sg-service" },
    accessLogs: { bucket: "acme-x-logs", prefix: "alb/api" },
    waf: { rateLimitPer5Minutes: 1000, kmsKeyArn: "arn:aws:kms:eu-west-1:1:key/k", logRetentionDays: 30 },
    protect: false,
    ...props,
  });
  return synthJson(stack);
}

const listeners = (json: StackJson) =>
  Object.values(resourcesOf(json, "aws_lb_listener")).sort((a, b) => Number(a.port) - Number(b.port));

describe("HttpsLoadBalancer", () => {
  const json = loadBalancer();

  test("a public ALB with names cut to ELB's 32 characters, invalid headers dropped, access logs on", () => {
    expect(onlyResource(json, "aws_lb")).toMatchObject({
      name: "acme-x-order-tracking-api-public",
      load_balancer_type: "application",
      internal: false,
      subnets: ["subnet-a", "subnet-b"],
      drop_invalid_header_fields: true,
      enable_deletion_protection: false,
      access_logs: { bucket: "acme-x-logs", prefix: "alb/api", enabled: true },
    });
    const group = onlyResource(json, "aws_lb_target_group");
    expect(group).toMatchObject({
      name: "acme-x-order-tracking-api-pub-tg",
      port: 8080,
      protocol: "HTTP",
      target_type: "ip",
      health_check: {
        path: "/healthz",
        matcher: "200-299",
        interval: 15,
        healthy_threshold: 2,
        unhealthy_threshold: 3,
      },
    });
    expect(String(group.name).length).toBeLessThanOrEqual(32);
  });

  test("HTTPS with TLS 1.2+ on the DNS-validated certificate forwards to the targets; HTTP only redirects", () => {
    const [http, https] = listeners(json);
    expect(https).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      ssl_policy: TLS_POLICY,
      certificate_arn: expect.stringMatching(/aws_acm_certificate_validation\./),
      default_action: [{ type: "forward", target_group_arn: expect.stringMatching(/aws_lb_target_group\./) }],
    });
    expect(TLS_POLICY).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
    expect(http).toMatchObject({
      port: 80,
      protocol: "HTTP",
      default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }],
    });
    expect(onlyResource(json, "aws_acm_certificate")).toMatchObject({
      domain_name: "api.example.com",
      validation_method: "DNS",
    });
  });

  test("open on 80 and 443 only, and the targets accept the load balancer only, on their port", () => {
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"))
      .map((r) => [r.from_port, r.cidr_ipv4 ?? r.referenced_security_group_id])
      .sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(ingress).toEqual([
      [80, "0.0.0.0/0"],
      [443, "0.0.0.0/0"],
      [8080, expect.stringMatching(/aws_security_group\.api_sg_/)],
    ]);
    const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule"));
    expect(egress.map((r) => [r.referenced_security_group_id, r.from_port])).toEqual([["sg-service", 8080]]);
  });

  test("the domain's alias, a web ACL, and with a topic a 5xx alarm; protection as asked", () => {
    expect(
      Object.values(resourcesOf(json, "aws_route53_record"))
        .filter((r) => r.alias)
        .map((r) => [r.name, r.type]),
    ).toEqual([["api.example.com", "A"]]);
    expect(onlyResource(json, "aws_wafv2_web_acl").name).toBe("acme-x-order-tracking-api-public");
    expect(resourcesOf(json, "aws_cloudwatch_metric_alarm")).toEqual({});
    const alarmed = loadBalancer({ alarmTopicArn: "arn:aws:sns:eu-west-1:1:alerts", protect: true });
    expect(onlyResource(alarmed, "aws_cloudwatch_metric_alarm")).toMatchObject({
      alarm_name: "acme-x-order-tracking-api-public-target-5xx",
      metric_name: "HTTPCode_Target_5XX_Count",
      threshold: 10,
      evaluation_periods: 3,
      alarm_actions: ["arn:aws:sns:eu-west-1:1:alerts"],
    });
    expect(onlyResource(alarmed, "aws_lb").enable_deletion_protection).toBe(true);
  });
});

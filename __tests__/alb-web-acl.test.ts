import { AlbWebAcl, type AlbWebAclProps, MANAGED_RULE_GROUPS } from "../constructs/alb-web-acl";
import { awsTestStack, onlyResource, type StackJson, synthJson } from "./helpers";

function acl(props: Partial<AlbWebAclProps> = {}): StackJson {
  const stack = awsTestStack();
  new AlbWebAcl(stack, "waf", {
    name: "acme-x-api",
    loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/api/1",
    kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/k",
    logRetentionDays: 30,
    ...props,
  });
  return synthJson(stack);
}

type Rule = {
  name: string;
  priority: number;
  statement: Record<string, unknown>;
  action?: unknown;
  override_action?: unknown;
};

describe("AlbWebAcl", () => {
  const json = acl();

  test("a regional ACL that allows by default; AWS's managed groups first, then a per-IP limit of 2000 that blocks", () => {
    const web = onlyResource(json, "aws_wafv2_web_acl");
    expect(web).toMatchObject({ name: "acme-x-api", scope: "REGIONAL", default_action: { allow: {} } });
    const rules = web.rule as Rule[];
    expect(rules.map((r) => [r.priority, r.name])).toEqual([
      [1, "AWSManagedRulesAmazonIpReputationList"],
      [2, "AWSManagedRulesCommonRuleSet"],
      [3, "AWSManagedRulesKnownBadInputsRuleSet"],
      [4, "rate-limit-per-ip"],
    ]);
    expect(MANAGED_RULE_GROUPS).toHaveLength(3);
    for (const rule of rules.slice(0, 3)) {
      expect(rule.statement).toEqual({ managed_rule_group_statement: { name: rule.name, vendor_name: "AWS" } });
      expect(rule.override_action).toEqual({ none: {} });
    }
    expect(rules[3]).toMatchObject({
      action: { block: {} },
      statement: { rate_based_statement: { limit: 2000, aggregate_key_type: "IP" } },
    });
  });

  test("on the load balancer, logging to an encrypted aws-waf-logs- group without credentials or cookies", () => {
    expect(onlyResource(json, "aws_wafv2_web_acl_association").resource_arn).toBe(
      "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/api/1",
    );
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toEqual({
      name: "aws-waf-logs-acme-x-api",
      retention_in_days: 30,
      kms_key_id: "arn:aws:kms:eu-west-1:111111111111:key/k",
    });
    expect(onlyResource(json, "aws_wafv2_web_acl_logging_configuration").redacted_fields).toEqual([
      { single_header: { name: "authorization" } },
      { single_header: { name: "cookie" } },
    ]);
  });

  test("the rate limit is a prop", () => {
    const rules = onlyResource(acl({ rateLimitPer5Minutes: 500 }), "aws_wafv2_web_acl").rule as Rule[];
    expect(rules[3].statement).toEqual({ rate_based_statement: { limit: 500, aggregate_key_type: "IP" } });
  });
});

import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAcl, type Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";

/** AWS managed rule groups every public load balancer gets, in evaluation order. */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesCommonRuleSet",
  // Includes the Log4j (CVE-2021-44228) signatures.
  "AWSManagedRulesKnownBadInputsRuleSet",
] as const;

export interface AlbWebAclProps {
  /** Name of the web ACL and its metrics. */
  readonly name: string;
  /** Load balancer the ACL protects. */
  readonly loadBalancerArn: string;
  /** Requests per 5 minutes from one IP address before it is blocked. @default 2000 */
  readonly rateLimitPer5Minutes?: number;
  /** KMS key for the request log group. */
  readonly kmsKeyArn: string;
  /** Request log retention in days. */
  readonly logRetentionDays: number;
}

/**
 * A regional WAF web ACL in front of a public ALB: AWS managed rule groups (IP reputation, common
 * exploits, known bad inputs) and a per-IP rate limit, with request logs in an encrypted log group.
 * Allowed by default; the rules block.
 */
export class AlbWebAcl extends Construct {
  public readonly acl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: AlbWebAclProps) {
    super(scope, id);
    const visibility = (metricName: string) => ({
      cloudwatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });

    // `statement` is passed through to Terraform as written, so its keys are Terraform's.
    const managed: Wafv2WebAclRule[] = MANAGED_RULE_GROUPS.map((group, i) => ({
      name: group,
      priority: i + 1,
      overrideAction: { none: {} },
      statement: { managed_rule_group_statement: { name: group, vendor_name: "AWS" } },
      visibilityConfig: visibility(`${props.name}-${group}`),
    }));
    const rateLimit: Wafv2WebAclRule = {
      name: "rate-limit-per-ip",
      priority: MANAGED_RULE_GROUPS.length + 1,
      action: { block: {} },
      statement: { rate_based_statement: { limit: props.rateLimitPer5Minutes ?? 2000, aggregate_key_type: "IP" } },
      visibilityConfig: visibility(`${props.name}-rate-limit`),
    };

    this.acl = new Wafv2WebAcl(this, "acl", {
      name: props.name,
      description: `Protects the load balancer ${props.name}`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rule: [...managed, rateLimit],
      visibilityConfig: visibility(props.name),
    });

    new Wafv2WebAclAssociation(this, "association", { resourceArn: props.loadBalancerArn, webAclArn: this.acl.arn });

    // WAF accepts only log groups whose name starts with aws-waf-logs-.
    const logs = new CloudwatchLogGroup(this, "logs", {
      name: `aws-waf-logs-${props.name}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    new Wafv2WebAclLoggingConfiguration(this, "logging", {
      resourceArn: this.acl.arn,
      logDestinationConfigs: [logs.arn],
      // Credentials and session cookies stay out of the request log.
      redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
    });
  }
}

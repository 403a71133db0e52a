import type { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { AlbWebAcl } from "./alb-web-acl";
import { dnsValidatedCertificate } from "./dns-certificate";
import { linkSecurityGroups } from "./security-group-link";

const HTTPS_PORT = 443;
const HTTP_PORT = 80;
/** TLS 1.2 and 1.3 only, forward-secret ciphers. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface HttpsLoadBalancerProps {
  /** Name of the load balancer and its parts (cut to the 32 characters ELB allows). */
  readonly name: string;
  readonly vpcId: string;
  /** Public subnets the load balancer listens in. */
  readonly publicSubnetIds: string[];
  /** Domain it answers on; must lie in the public zone. */
  readonly domain: string;
  /** Route53 public zone holding the domain: certificate validation and alias records go there. */
  readonly zoneId: string;
  /** Targets: their port, health check and security group (which gets ingress from the load balancer only). */
  readonly target: { readonly port: number; readonly healthCheckPath: string; readonly securityGroupId: string };
  /** Access logs go to this bucket under `prefix`. */
  readonly accessLogs: { readonly bucket: string; readonly prefix: string };
  /** Web ACL settings. */
  readonly waf: {
    readonly rateLimitPer5Minutes: number;
    readonly kmsKeyArn: string;
    readonly logRetentionDays: number;
  };
  /** Deletion protection on the load balancer. */
  readonly protect: boolean;
  /** SNS topic told when the targets answer with server errors (5xx). */
  readonly alarmTopicArn?: string;
}

/**
 * A public application load balancer that serves one domain over HTTPS only: an ACM certificate
 * validated through DNS in the public zone (no manual step on a fresh account), TLS 1.2+, HTTP
 * answered with a redirect, an alias record for the domain, access logs to the central log bucket,
 * and a WAF web ACL. Its security group accepts 80 and 443 from anywhere and reaches only the targets.
 */
export class HttpsLoadBalancer extends Construct {
  public readonly lb: Lb;
  public readonly targetGroup: LbTargetGroup;
  public readonly securityGroup: SecurityGroup;
  public readonly certificate: AcmCertificate;
  public readonly https: LbListener;

  constructor(scope: Construct, id: string, props: HttpsLoadBalancerProps) {
    super(scope, id);
    const short = (suffix: string) => props.name.slice(0, 32 - suffix.length) + suffix;
    this.securityGroup = this.securityGroups(props);

    this.lb = new Lb(this, "alb", {
      name: short(""),
      loadBalancerType: "application",
      internal: false,
      securityGroups: [this.securityGroup.id],
      subnets: props.publicSubnetIds,
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.protect,
      accessLogs: { bucket: props.accessLogs.bucket, prefix: props.accessLogs.prefix, enabled: true },
    });
    this.targetGroup = new LbTargetGroup(this, "targets", {
      name: short("-tg"),
      port: props.target.port,
      protocol: "HTTP",
      targetType: "ip",
      vpcId: props.vpcId,
      healthCheck: {
        path: props.target.healthCheckPath,
        matcher: "200-299",
        interval: 15,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    });

    const { certificate, validatedArn } = dnsValidatedCertificate(this, { domain: props.domain, zoneId: props.zoneId });
    this.certificate = certificate;

    this.https = new LbListener(this, "https", {
      loadBalancerArn: this.lb.arn,
      port: HTTPS_PORT,
      protocol: "HTTPS",
      sslPolicy: TLS_POLICY,
      certificateArn: validatedArn,
      defaultAction: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
    });
    new LbListener(this, "http", {
      loadBalancerArn: this.lb.arn,
      port: HTTP_PORT,
      protocol: "HTTP",
      defaultAction: [
        { type: "redirect", redirect: { protocol: "HTTPS", port: String(HTTPS_PORT), statusCode: "HTTP_301" } },
      ],
    });
    new Route53Record(this, "alias", {
      zoneId: props.zoneId,
      name: props.domain,
      type: "A",
      alias: { name: this.lb.dnsName, zoneId: this.lb.zoneId, evaluateTargetHealth: true },
    });
    new AlbWebAcl(this, "waf", { name: props.name, loadBalancerArn: this.lb.arn, ...props.waf });
    if (props.alarmTopicArn) {
      new CloudwatchMetricAlarm(this, "5xx-alarm", {
        alarmName: `${props.name}-target-5xx`,
        alarmDescription: `${props.domain}: the targets answered 10 or more 5xx in each of 3 minutes; read the service's logs.`,
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_Target_5XX_Count",
        dimensions: { LoadBalancer: this.lb.arnSuffix },
        statistic: "Sum",
        period: 60,
        evaluationPeriods: 3,
        threshold: 10,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [props.alarmTopicArn],
        okActions: [props.alarmTopicArn],
      });
    }
  }

  private securityGroups(props: HttpsLoadBalancerProps): SecurityGroup {
    const sg = new SecurityGroup(this, "sg", {
      name: props.name,
      description: `Load balancer of ${props.domain}`,
      vpcId: props.vpcId,
    });
    const rules: [string, number, string][] = [
      ["https", HTTPS_PORT, "Public HTTPS to the load balancer"],
      ["http", HTTP_PORT, "Public HTTP, answered only with a redirect to HTTPS"],
    ];
    for (const [ruleId, port, description] of rules) {
      new VpcSecurityGroupIngressRule(this, `public-${ruleId}`, {
        securityGroupId: sg.id,
        cidrIpv4: "0.0.0.0/0",
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        description,
      });
    }
    linkSecurityGroups(this, {
      client: sg.id,
      server: props.target.securityGroupId,
      port: props.target.port,
      ingress: { id: "targets-from-lb", description: "Targets accept traffic from the load balancer only" },
      egress: { id: "to-targets", description: "Load balancer forwards to the targets" },
    });
    return sg;
  }
}

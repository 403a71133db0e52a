import type { Finding, PolicyRule } from "../rule";
import { blocks, ref, type StackConfig, strings } from "../stack-config";

const ANYWHERE = ["0.0.0.0/0", "::/0"];
const WEB_PORTS = [80, 443];

/** Security groups that an application load balancer of this stack uses, as references. */
function albSecurityGroups(stack: StackConfig): Set<string> {
  return new Set(
    ["aws_lb", "aws_alb"]
      .flatMap((type) => stack.resources(type))
      .filter((lb) => lb.config.load_balancer_type === undefined || lb.config.load_balancer_type === "application")
      .flatMap((lb) => strings(lb.config.security_groups)),
  );
}

/** Exactly one web port over TCP; `-1` (all traffic) and ranges never qualify. */
function webPortOnly(protocol: unknown, from: unknown, to: unknown): boolean {
  return (protocol === "tcp" || protocol === "6") && from === to && WEB_PORTS.includes(Number(from));
}

function traffic(protocol: unknown, from: unknown, to: unknown): string {
  if (protocol === "-1" || protocol === -1 || protocol === "all") return "all traffic";
  return from === to ? `${protocol} ${from}` : `${protocol} ${from}-${to}`;
}

/**
 * Public traffic enters through an ALB on 80/443 only. A rule counts as an ALB's when an aws_lb of
 * the same stack lists its security group; anything else open to the internet is a finding.
 */
export const noPublicIngress: PolicyRule = {
  id: "ACME-SG-1",
  description:
    "No security group ingress from 0.0.0.0/0 or ::/0, except to an application load balancer's security group on tcp 80 or 443.",
  fix: "Allow the port from a security group (referencedSecurityGroupId) or a private CIDR instead; internet traffic must come through an ALB whose security group opens only tcp 80/443.",
  check(stack) {
    const albGroups = albSecurityGroups(stack);
    const findings: Finding[] = [];

    for (const rule of stack.resources("aws_vpc_security_group_ingress_rule")) {
      const c = rule.config;
      const source = [c.cidr_ipv4, c.cidr_ipv6].find((cidr) => typeof cidr === "string" && ANYWHERE.includes(cidr));
      if (!source) continue;
      if (albGroups.has(String(c.security_group_id)) && webPortOnly(c.ip_protocol, c.from_port, c.to_port)) continue;
      findings.push({
        path: rule.path,
        message: `ingress rule allows ${traffic(c.ip_protocol, c.from_port, c.to_port)} from ${source}`,
      });
    }

    for (const rule of stack.resources("aws_security_group_rule")) {
      const c = rule.config;
      if (c.type !== "ingress") continue;
      const source = [...strings(c.cidr_blocks), ...strings(c.ipv6_cidr_blocks)].find((cidr) =>
        ANYWHERE.includes(cidr),
      );
      if (!source) continue;
      if (albGroups.has(String(c.security_group_id)) && webPortOnly(c.protocol, c.from_port, c.to_port)) continue;
      findings.push({
        path: rule.path,
        message: `ingress rule allows ${traffic(c.protocol, c.from_port, c.to_port)} from ${source}`,
      });
    }

    for (const group of stack.resources("aws_security_group")) {
      const isAlb = albGroups.has(ref(group, "id"));
      for (const ingress of blocks(group.config.ingress)) {
        const source = [...strings(ingress.cidr_blocks), ...strings(ingress.ipv6_cidr_blocks)].find((cidr) =>
          ANYWHERE.includes(cidr),
        );
        if (!source) continue;
        if (isAlb && webPortOnly(ingress.protocol, ingress.from_port, ingress.to_port)) continue;
        findings.push({
          path: group.path,
          message: `inline ingress allows ${traffic(ingress.protocol, ingress.from_port, ingress.to_port)} from ${source}`,
        });
      }
    }
    return findings;
  },
};

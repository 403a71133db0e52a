import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { Construct } from "constructs";

export interface SecurityGroupLinkProps {
  /** The group whose members open connections. */
  readonly client: string;
  /** The group whose members accept them. */
  readonly server: string;
  /** TCP port, the only one the link opens. */
  readonly port: number;
  /** Ids of the two rules in `scope`, and what each says. */
  readonly ingress: { readonly id: string; readonly description: string };
  readonly egress: { readonly id: string; readonly description: string };
}

/**
 * One TCP port from one security group to another, SG to SG in both directions: ingress on the
 * server's group from the client's, egress on the client's group to the server's. No CIDR on either.
 */
export function linkSecurityGroups(scope: Construct, props: SecurityGroupLinkProps): void {
  const tcp = { ipProtocol: "tcp", fromPort: props.port, toPort: props.port };
  new VpcSecurityGroupIngressRule(scope, props.ingress.id, {
    securityGroupId: props.server,
    referencedSecurityGroupId: props.client,
    ...tcp,
    description: props.ingress.description,
  });
  new VpcSecurityGroupEgressRule(scope, props.egress.id, {
    securityGroupId: props.client,
    referencedSecurityGroupId: props.server,
    ...tcp,
    description: props.egress.description,
  });
}

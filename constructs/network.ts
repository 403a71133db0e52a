import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "constructs";
import { cidrSubnet } from "../core/cidr";
import { trustedByService } from "./iam";

export type NatMode = "none" | "single" | "per-az";

/**
 * What a private workload reaches AWS through without NAT besides S3 (which every VPC reaches through
 * its gateway endpoint): interface endpoints for pulling images (ECR API and registry), reading
 * secrets, writing logs and getting credentials (STS).
 */
export const INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "secretsmanager", "logs", "sts"] as const;

export interface NetworkProps {
  /** Prefix for resource names, e.g. acme-dev. */
  readonly namePrefix: string;
  /** VPC address range. */
  readonly cidr: string;
  /** Availability zones, one public and one private subnet in each. */
  readonly availabilityZones: string[];
  /** NAT gateways for private egress: none, one shared, or one per AZ. @default "single" */
  readonly natMode?: NatMode;
  /** Send VPC flow logs to CloudWatch Logs. @default true */
  readonly flowLogs?: boolean;
  /** KMS key that encrypts the flow log group. @default AWS-managed encryption */
  readonly kmsKeyArn?: string;
  /** Flow log retention in days. @default 90 */
  readonly logRetentionDays?: number;
  /** Region of the VPC, which names its endpoints' services. */
  readonly region: string;
  /**
   * INTERFACE_ENDPOINTS in every private subnet (each billed per AZ and hour). The S3 gateway
   * endpoint is always there: it costs nothing, and S3 traffic through it pays no NAT processing.
   * @default false
   */
  readonly interfaceEndpoints?: boolean;
}

/** Subnets are /+4 of the VPC: public ones from index 0, private ones from index 8. */
const SUBNET_NEW_BITS = 4;
const PRIVATE_SUBNET_OFFSET = 8;

/** A VPC with public and private subnets per AZ, internet gateway, NAT per mode and flow logs. */
export class Network extends Construct {
  public readonly vpc: Vpc;
  public readonly publicSubnets: Subnet[];
  public readonly privateSubnets: Subnet[];
  public readonly natGateways: NatGateway[];
  public readonly endpoints: VpcEndpoint[] = [];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const natMode = props.natMode ?? "single";
    const azs = props.availabilityZones;
    if (azs.length > PRIVATE_SUBNET_OFFSET)
      throw new Error(`at most ${PRIVATE_SUBNET_OFFSET} availability zones are supported, got ${azs.length}`);

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.namePrefix },
    });

    // Every VPC comes with a default security group that lets its members talk to each other and
    // reach anywhere. Taking it over without rules leaves it denying all, so nothing that lands in
    // it by accident (a resource created without a security group) gets traffic.
    new DefaultSecurityGroup(this, "default-sg", {
      vpcId: this.vpc.id,
      tags: { Name: `${props.namePrefix}-default-deny-all` },
    });

    const igw = new InternetGateway(this, "igw", { vpcId: this.vpc.id, tags: { Name: props.namePrefix } });

    this.publicSubnets = azs.map(
      (az, i) =>
        new Subnet(this, `public-${i}`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: cidrSubnet(props.cidr, SUBNET_NEW_BITS, i),
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.namePrefix}-public-${az}`, Tier: "public" },
        }),
    );
    this.privateSubnets = azs.map(
      (az, i) =>
        new Subnet(this, `private-${i}`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: cidrSubnet(props.cidr, SUBNET_NEW_BITS, PRIVATE_SUBNET_OFFSET + i),
          tags: { Name: `${props.namePrefix}-private-${az}`, Tier: "private" },
        }),
    );

    const publicRoutes = new RouteTable(this, "public-rt", {
      vpcId: this.vpc.id,
      tags: { Name: `${props.namePrefix}-public` },
    });
    new Route(this, "public-default", {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    });
    this.publicSubnets.forEach(
      (s, i) => new RouteTableAssociation(this, `public-rta-${i}`, { subnetId: s.id, routeTableId: publicRoutes.id }),
    );

    const natCount = natMode === "none" ? 0 : natMode === "single" ? 1 : azs.length;
    this.natGateways = Array.from({ length: natCount }, (_, i) => {
      const eip = new Eip(this, `nat-eip-${i}`, { domain: "vpc", tags: { Name: `${props.namePrefix}-nat-${i}` } });
      return new NatGateway(this, `nat-${i}`, {
        allocationId: eip.id,
        subnetId: this.publicSubnets[i].id,
        tags: { Name: `${props.namePrefix}-nat-${i}` },
        dependsOn: [igw],
      });
    });

    // One private route table per AZ so per-AZ NAT keeps traffic in its zone.
    const privateRouteTables = this.privateSubnets.map((s, i) => {
      const rt = new RouteTable(this, `private-rt-${i}`, {
        vpcId: this.vpc.id,
        tags: { Name: `${props.namePrefix}-private-${azs[i]}` },
      });
      if (natCount > 0) {
        new Route(this, `private-default-${i}`, {
          routeTableId: rt.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: this.natGateways[Math.min(i, natCount - 1)].id,
        });
      }
      new RouteTableAssociation(this, `private-rta-${i}`, { subnetId: s.id, routeTableId: rt.id });
      return rt;
    });
    this.addS3Gateway(props.namePrefix, props.region, privateRouteTables);
    if (props.interfaceEndpoints) this.addInterfaceEndpoints(props.namePrefix, props.region);

    if (props.flowLogs ?? true) this.addFlowLogs(props);
  }

  /** Every packet's metadata to an encrypted log group, written by a role that may write only there. */
  private addFlowLogs(props: NetworkProps): void {
    const group = new CloudwatchLogGroup(this, "flow-logs", {
      name: `/aws/vpc/${props.namePrefix}/flow-logs`,
      retentionInDays: props.logRetentionDays ?? 90,
      kmsKeyId: props.kmsKeyArn,
    });
    const role = new IamRole(this, "flow-logs-role", {
      name: `${props.namePrefix}-vpc-flow-logs`,
      assumeRolePolicy: trustedByService("vpc-flow-logs.amazonaws.com"),
    });
    new IamRolePolicy(this, "flow-logs-policy", {
      role: role.id,
      name: "write-flow-logs",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [group.arn, `${group.arn}:*`],
          },
        ],
      }),
    });
    new FlowLog(this, "flow-log", {
      vpcId: this.vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.arn,
      iamRoleArn: role.arn,
    });
  }

  private addS3Gateway(namePrefix: string, region: string, privateRouteTables: RouteTable[]): void {
    this.endpoints.push(
      new VpcEndpoint(this, "endpoint-s3", {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: privateRouteTables.map((rt) => rt.id),
        tags: { Name: `${namePrefix}-s3` },
      }),
    );
  }

  private addInterfaceEndpoints(namePrefix: string, region: string): void {
    const group = new SecurityGroup(this, "endpoints-sg", {
      name: `${namePrefix}-endpoints`,
      description: "HTTPS from the VPC to its interface endpoints",
      vpcId: this.vpc.id,
      ingress: [
        {
          description: "HTTPS from the VPC",
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrBlocks: [this.vpc.cidrBlock],
        },
      ],
      tags: { Name: `${namePrefix}-endpoints` },
    });
    for (const service of INTERFACE_ENDPOINTS) {
      this.endpoints.push(
        new VpcEndpoint(this, `endpoint-${service.replace(".", "-")}`, {
          vpcId: this.vpc.id,
          serviceName: `com.amazonaws.${region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: this.privateSubnets.map((s) => s.id),
          securityGroupIds: [group.id],
          tags: { Name: `${namePrefix}-${service}` },
        }),
      );
    }
  }
}

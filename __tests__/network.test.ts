import { INTERFACE_ENDPOINTS, Network, type NetworkProps } from "../constructs/network";
import { awsTestStack, onlyResource, resourcesOf, type StackJson, synthJson } from "./helpers";

const BASE: NetworkProps = {
  namePrefix: "acme-x",
  cidr: "10.40.0.0/16",
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  region: "eu-west-1",
};

function network(props: Partial<NetworkProps> = {}): StackJson {
  const stack = awsTestStack();
  new Network(stack, "network", { ...BASE, ...props });
  return synthJson(stack);
}

const values = (json: StackJson, type: string, key: string) =>
  Object.values(resourcesOf(json, type))
    .map((r) => r[key])
    .sort();

describe("Network", () => {
  const json = network();

  test("defaults: a public and a private subnet per AZ in distinct /20s, one NAT, flow logs 90 days, the S3 gateway, no interface endpoint", () => {
    expect(onlyResource(json, "aws_vpc")).toMatchObject({
      cidr_block: "10.40.0.0/16",
      enable_dns_hostnames: true,
      enable_dns_support: true,
    });
    expect(values(json, "aws_subnet", "cidr_block")).toEqual([
      "10.40.0.0/20",
      "10.40.128.0/20",
      "10.40.144.0/20",
      "10.40.16.0/20",
    ]);
    // No subnet hands out public addresses: public ones say so, private ones never can.
    expect(
      Object.values(resourcesOf(json, "aws_subnet"))
        .map((s) => [(s.tags as Record<string, string>).Tier, s.map_public_ip_on_launch])
        .sort(),
    ).toEqual([
      ["private", undefined],
      ["private", undefined],
      ["public", false],
      ["public", false],
    ]);
    expect(Object.keys(resourcesOf(json, "aws_nat_gateway"))).toHaveLength(1);
    // Every private route table goes through the one NAT gateway.
    const defaults = Object.values(resourcesOf(json, "aws_route")).filter((r) => r.nat_gateway_id);
    expect(defaults).toHaveLength(2);
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toEqual({
      name: "/aws/vpc/acme-x/flow-logs",
      retention_in_days: 90,
    });
    expect(onlyResource(json, "aws_flow_log")).toMatchObject({
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
    });
    expect(onlyResource(json, "aws_vpc_endpoint")).toMatchObject({
      service_name: "com.amazonaws.eu-west-1.s3",
      vpc_endpoint_type: "Gateway",
      route_table_ids: [
        expect.stringMatching(/^\$\{aws_route_table\.network_private-rt-0_[0-9A-F]+\.id\}$/),
        expect.stringMatching(/^\$\{aws_route_table\.network_private-rt-1_[0-9A-F]+\.id\}$/),
      ],
    });
    // The default security group is taken over without rules: it denies all.
    expect(onlyResource(json, "aws_default_security_group")).toEqual({
      vpc_id: expect.stringMatching(/aws_vpc\.network_vpc_/),
      tags: { Name: "acme-x-default-deny-all" },
    });
  });

  test("props: NAT per AZ or none, flow logs off or encrypted with their retention, interface endpoints", () => {
    expect(Object.keys(resourcesOf(network({ natMode: "per-az" }), "aws_nat_gateway"))).toHaveLength(2);
    const none = network({ natMode: "none" });
    expect(resourcesOf(none, "aws_nat_gateway")).toEqual({});
    expect(Object.values(resourcesOf(none, "aws_route")).filter((r) => r.nat_gateway_id)).toEqual([]);
    expect(resourcesOf(network({ flowLogs: false }), "aws_flow_log")).toEqual({});
    expect(
      onlyResource(
        network({ kmsKeyArn: "arn:aws:kms:eu-west-1:1:key/k", logRetentionDays: 365 }),
        "aws_cloudwatch_log_group",
      ),
    ).toEqual({
      name: "/aws/vpc/acme-x/flow-logs",
      retention_in_days: 365,
      kms_key_id: "arn:aws:kms:eu-west-1:1:key/k",
    });
    const endpoints = network({ interfaceEndpoints: true });
    expect(values(endpoints, "aws_vpc_endpoint", "service_name")).toEqual(
      ["s3", ...INTERFACE_ENDPOINTS].map((s) => `com.amazonaws.eu-west-1.${s}`).sort(),
    );
    expect(Object.values(resourcesOf(endpoints, "aws_security_group")).map((g) => [g.name, g.description])).toEqual([
      ["acme-x-endpoints", "HTTPS from the VPC to its interface endpoints"],
    ]);
  });
});

import { Testing } from "cdktf";
import { ConfigError, parseEnvironment } from "../environments";
import { INTERFACE_ENDPOINTS } from "../constructs/network";
import { FoundationStack } from "../stacks/foundation-stack";
import { env, input, resourcesOf, synthJson, thrownMessage } from "./helpers";

const foundation = (name: string) =>
  synthJson(new FoundationStack(Testing.app(), { env: env(name), imageModules: [] }));

describe("VPC endpoints", () => {
  test("natMode none without endpoints is refused, naming what a private workload needs", () => {
    const raw = input("dev");
    const message = thrownMessage(
      () => parseEnvironment({ ...raw, network: { ...raw.network, natMode: "none", interfaceEndpoints: false } }),
      ConfigError,
    );
    expect(message).toContain("network.natMode");
    expect(message).toContain(
      'natMode "none" leaves private subnets only S3 (its gateway endpoint): set network.interfaceEndpoints to true',
    );
    expect(message).toContain("ECR API and registry, Secrets Manager, CloudWatch Logs and STS");
    expect(
      parseEnvironment({ ...raw, network: { ...raw.network, natMode: "none", interfaceEndpoints: true } }).network
        .natMode,
    ).toBe("none");
  });

  test("prod: an S3 gateway on every private route table, the interface endpoints in every private subnet behind HTTPS from the VPC", () => {
    const prod = foundation("prod");
    const endpoints = Object.values(resourcesOf(prod, "aws_vpc_endpoint"));
    expect(endpoints.map((e) => e.service_name).sort()).toEqual(
      ["s3", ...INTERFACE_ENDPOINTS].map((s) => `com.amazonaws.eu-west-1.${s}`).sort(),
    );
    const gateway = endpoints.find((e) => e.vpc_endpoint_type === "Gateway")!;
    expect(gateway.route_table_ids).toHaveLength(3);
    for (const e of endpoints.filter((x) => x.vpc_endpoint_type === "Interface")) {
      expect(e).toMatchObject({ private_dns_enabled: true });
      expect(e.subnet_ids).toHaveLength(3);
    }
    const groups = Object.values(resourcesOf(prod, "aws_security_group")).filter(
      (g) => g.name === "acme-prod-endpoints",
    );
    expect(groups).toHaveLength(1);
    expect(groups[0].ingress).toEqual([
      expect.objectContaining({
        protocol: "tcp",
        from_port: 443,
        to_port: 443,
        cidr_blocks: [expect.stringMatching(/^\$\{aws_vpc\.network_vpc_[0-9A-F]{8}\.cidr_block\}$/)],
      }),
    ]);
  });

  test("dev: the S3 gateway (free; S3 bytes skip NAT), and no interface endpoints: the rest goes through its NAT gateway", () => {
    expect(env("dev").network.interfaceEndpoints).toBe(false);
    const endpoints = Object.values(resourcesOf(foundation("dev"), "aws_vpc_endpoint"));
    expect(endpoints).toEqual([
      expect.objectContaining({
        service_name: "com.amazonaws.eu-west-1.s3",
        vpc_endpoint_type: "Gateway",
        route_table_ids: [expect.stringContaining("private-rt-0"), expect.stringContaining("private-rt-1")],
      }),
    ]);
    expect(Object.values(resourcesOf(foundation("dev"), "aws_security_group")).map((g) => g.name)).not.toContain(
      "acme-dev-endpoints",
    );
  });
});

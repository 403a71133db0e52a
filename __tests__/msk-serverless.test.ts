import { MSK_IAM_PORT, MskServerless, type MskServerlessProps } from "../constructs/msk-serverless";
import { awsTestStack, onlyResource, policy, resourcesOf, type StackJson, synthJson } from "./helpers";

const BASE: MskServerlessProps = {
  clusterName: "acme-x-events",
  region: "eu-west-1",
  accountId: "111111111111",
  vpcId: "vpc-1",
  subnetIds: ["subnet-a", "subnet-b"],
  clientSecurityGroupIds: [],
};

function msk(props: Partial<MskServerlessProps> = {}, use: (m: MskServerless) => void = () => undefined): StackJson {
  const stack = awsTestStack();
  use(new MskServerless(stack, "events", { ...BASE, ...props }));
  return synthJson(stack);
}

const CLUSTER = /^\$\{aws_msk_serverless_cluster\.events_cluster_[0-9A-F]+\.(cluster_name|cluster_uuid|arn)\}$/;

describe("MskServerless", () => {
  test("defaults: a serverless cluster with SASL/IAM only, in the given subnets, behind its own group that admits nobody", () => {
    const json = msk();
    expect(onlyResource(json, "aws_msk_serverless_cluster")).toEqual({
      cluster_name: "acme-x-events",
      client_authentication: { sasl: { iam: { enabled: true } } },
      vpc_config: [
        {
          subnet_ids: ["subnet-a", "subnet-b"],
          security_group_ids: [expect.stringMatching(/^\$\{aws_security_group\.events_sg_[0-9A-F]+\.id\}$/)],
        },
      ],
    });
    expect(onlyResource(json, "aws_security_group")).toMatchObject({
      name: "acme-x-events",
      description: "MSK Serverless acme-x-events",
      vpc_id: "vpc-1",
    });
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).toEqual({});
    expect(resourcesOf(json, "aws_vpc_security_group_egress_rule")).toEqual({});
  });

  test("each client group: ingress to the brokers from it and egress from it to them, on the IAM port only", () => {
    const json = msk({ clientSecurityGroupIds: ["sg-a", "sg-b"] });
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule"));
    expect(ingress.map((r) => [r.referenced_security_group_id, r.from_port, r.to_port, r.ip_protocol])).toEqual([
      ["sg-a", MSK_IAM_PORT, MSK_IAM_PORT, "tcp"],
      ["sg-b", MSK_IAM_PORT, MSK_IAM_PORT, "tcp"],
    ]);
    expect(egress.map((r) => [r.security_group_id, r.from_port, r.to_port, r.ip_protocol])).toEqual([
      ["sg-a", MSK_IAM_PORT, MSK_IAM_PORT, "tcp"],
      ["sg-b", MSK_IAM_PORT, MSK_IAM_PORT, "tcp"],
    ]);
    expect(MSK_IAM_PORT).toBe(9098);
  });

  test("grant: exactly the topics and groups named, with topic creation only when asked", () => {
    const json = msk({}, (m) => {
      m.grant("writer", { id: "role-w" }, { produce: ["orders"], createTopics: true });
      m.grant("reader", { id: "role-r" }, { consume: ["orders", "returns"], groups: ["billing"] });
    });
    const statementsOf = (name: string) =>
      policy(Object.values(resourcesOf(json, "aws_iam_role_policy")).find((p) => p.name === name)?.policy).Statement;
    const arn = (kind: string, name: string) =>
      expect.stringMatching(
        new RegExp(
          `^arn:aws:kafka:eu-west-1:111111111111:${kind}/\\$\\{aws_msk_serverless_cluster\\.events_cluster_[0-9A-F]+\\.cluster_name\\}/\\$\\{aws_msk_serverless_cluster\\.events_cluster_[0-9A-F]+\\.cluster_uuid\\}/${name}$`,
        ),
      );
    expect(statementsOf("kafka-writer")).toEqual([
      {
        Sid: "Connect",
        Effect: "Allow",
        Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
        Resource: expect.stringMatching(CLUSTER),
      },
      {
        Sid: "Produce",
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData", "kafka-cluster:CreateTopic"],
        Resource: [arn("topic", "orders")],
      },
    ]);
    expect(statementsOf("kafka-reader").slice(1)).toEqual([
      {
        Sid: "Consume",
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
        Resource: [arn("topic", "orders"), arn("topic", "returns")],
      },
      {
        Sid: "Groups",
        Effect: "Allow",
        Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
        Resource: [arn("group", "billing")],
      },
    ]);
  });

  test("consuming without a consumer group is refused, naming the grant and the topics", () => {
    expect(() => msk({}, (m) => m.grant("reader", { id: "r" }, { consume: ["orders"] }))).toThrow(
      'MskServerless test/events: grant "reader" consumes orders but names no consumer group; add groups',
    );
  });
});

import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { MskServerlessCluster } from "@cdktf/provider-aws/lib/msk-serverless-cluster";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { linkSecurityGroups } from "./security-group-link";

/** MSK Serverless accepts only SASL/IAM clients, on this port. */
export const MSK_IAM_PORT = 9098;

export interface MskServerlessProps {
  /** Cluster name; topic and group ARNs contain it. */
  readonly clusterName: string;
  /** Where the cluster lives, for the ARNs of its topics and groups. */
  readonly region: string;
  readonly accountId: string;
  readonly vpcId: string;
  /** Private subnets, at least two availability zones. */
  readonly subnetIds: string[];
  /** Security groups of the clients: each gets egress to the brokers and the brokers ingress from it, nothing else. */
  readonly clientSecurityGroupIds: string[];
}

/** What one client role may do: produce to, consume from, and use consumer groups. */
export interface KafkaAccess {
  /** Topics the role writes to. */
  readonly produce?: readonly string[];
  /** Topics the role reads from. */
  readonly consume?: readonly string[];
  /** Consumer groups the role joins (required with `consume`). */
  readonly groups?: readonly string[];
  /** The role may create the topics it produces to (auto-create from the client). @default false */
  readonly createTopics?: boolean;
}

/**
 * An MSK Serverless cluster in private subnets, IAM authentication only (SASL/IAM over TLS, port
 * 9098), reachable from the client security groups alone. Clients get IAM permissions per topic and
 * group with `grant`, never `kafka-cluster:*` or `*` resources.
 */
export class MskServerless extends Construct {
  public readonly cluster: MskServerlessCluster;
  public readonly securityGroup: SecurityGroup;
  private readonly arnPrefix: string;

  constructor(scope: Construct, id: string, props: MskServerlessProps) {
    super(scope, id);
    this.arnPrefix = `arn:aws:kafka:${props.region}:${props.accountId}`;
    this.securityGroup = new SecurityGroup(this, "sg", {
      name: props.clusterName,
      description: `MSK Serverless ${props.clusterName}`,
      vpcId: props.vpcId,
    });
    props.clientSecurityGroupIds.forEach((client, i) => {
      linkSecurityGroups(this, {
        client,
        server: this.securityGroup.id,
        port: MSK_IAM_PORT,
        ingress: { id: `from-client-${i}`, description: "Kafka over SASL/IAM from the cluster's clients only" },
        egress: { id: `client-${i}-to-brokers`, description: "Clients reach the Kafka brokers" },
      });
    });
    this.cluster = new MskServerlessCluster(this, "cluster", {
      clusterName: props.clusterName,
      vpcConfig: [{ subnetIds: props.subnetIds, securityGroupIds: [this.securityGroup.id] }],
      clientAuthentication: { sasl: { iam: { enabled: true } } },
    });
  }

  /** SASL/IAM bootstrap servers (`host:9098`), for the clients' configuration. */
  public get bootstrapBrokers(): string {
    return this.cluster.bootstrapBrokersSaslIam;
  }

  /** ARN of a topic of this cluster: `arn:aws:kafka:<region>:<account>:topic/<cluster name>/<cluster uuid>/<topic>`. */
  public topicArn(topic: string): string {
    return `${this.arnPrefix}:topic/${this.cluster.clusterName}/${this.cluster.clusterUuid}/${topic}`;
  }

  /** ARN of a consumer group of this cluster (`...:group/<cluster name>/<cluster uuid>/<group>`). */
  public groupArn(group: string): string {
    return `${this.arnPrefix}:group/${this.cluster.clusterName}/${this.cluster.clusterUuid}/${group}`;
  }

  /** Attaches an inline policy to `role` allowing exactly `access` on this cluster. */
  public grant(id: string, role: { readonly id: string }, access: KafkaAccess): IamRolePolicy {
    const produce = access.produce ?? [];
    const consume = access.consume ?? [];
    const groups = access.groups ?? [];
    if (consume.length > 0 && groups.length === 0) {
      throw new Error(
        `MskServerless ${this.node.path}: grant "${id}" consumes ${consume.join(", ")} but names no consumer group; add groups`,
      );
    }
    const statements: Record<string, unknown>[] = [
      {
        Sid: "Connect",
        Effect: "Allow",
        Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
        Resource: this.cluster.arn,
      },
    ];
    if (produce.length > 0) {
      statements.push({
        Sid: "Produce",
        Effect: "Allow",
        Action: [
          "kafka-cluster:DescribeTopic",
          "kafka-cluster:WriteData",
          ...(access.createTopics ? ["kafka-cluster:CreateTopic"] : []),
        ],
        Resource: produce.map((t) => this.topicArn(t)),
      });
    }
    if (consume.length > 0) {
      statements.push({
        Sid: "Consume",
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
        Resource: consume.map((t) => this.topicArn(t)),
      });
      statements.push({
        Sid: "Groups",
        Effect: "Allow",
        Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
        Resource: groups.map((g) => this.groupArn(g)),
      });
    }
    return new IamRolePolicy(this, `grant-${id}`, {
      role: role.id,
      name: `kafka-${id}`,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
    });
  }
}

import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { ElasticacheUser } from "@cdktf/provider-aws/lib/elasticache-user";
import { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { alarmDefaults } from "./alarm-defaults";
import { ephemeralRandomPassword } from "./ephemeral";

export const REDIS_PORT = 6379;

export interface RedisCacheProps {
  /** Replication group id; the subnet group, security group, log group and alarms are named after it. */
  readonly name: string;
  readonly description: string;
  readonly vpcId: string;
  /** Private subnets, one per AZ the nodes may use. */
  readonly subnetIds: string[];
  /** Security groups whose members may connect (SG to SG, port 6379 only); none leaves the cache unreachable. */
  readonly clientSecurityGroupIds: string[];
  /** Encrypts the data at rest, the snapshots and the slow log. */
  readonly kmsKeyArn: string;
  readonly nodeType: string;
  readonly engineVersion: string;
  /** Nodes: one primary and the rest replicas. Two or more fail over automatically across AZs. */
  readonly nodes: number;
  readonly snapshotRetentionDays: number;
  readonly logRetentionDays: number;
  /** SNS topic told when CPU or memory stays high or keys are evicted. */
  readonly alarmTopicArn?: string;
  /** The one user clients connect as (Redis ACL user name). */
  readonly userName: string;
  /**
   * Version of the user's password: the password is sent to ElastiCache when the user is created and
   * again whenever this number changes (raise it by one to rotate). @default 1
   */
  readonly passwordVersion?: number;
}

/** What the cache's user may do: every key, every command but the dangerous ones (FLUSHALL, CONFIG, KEYS...). */
export const REDIS_USER_ACCESS = "on ~* +@all -@dangerous";

/**
 * Redis on ElastiCache: a replication group in private subnets, encrypted at rest with the
 * environment's key and in transit (TLS only), reachable on 6379 from the named security groups only,
 * automatic failover and Multi-AZ with two or more nodes, daily snapshots and the slow log in an
 * encrypted log group.
 *
 * Access is by Redis ACL users (an ElastiCache user group), not a shared AUTH token: the group's
 * `default` user is switched off, and clients connect as `userName` with a password that no state,
 * saved plan or output ever holds. It is drawn from Secrets Manager's generator as an ephemeral
 * resource and reaches ElastiCache through the write-only `passwords_wo`; `password` hands the same
 * draw to a write-only argument elsewhere in the stack (the module's secret).
 */
export class RedisCache extends Construct {
  public readonly group: ElasticacheReplicationGroup;
  public readonly securityGroup: SecurityGroup;
  public readonly user: ElasticacheUser;
  public readonly userGroup: ElasticacheUserGroup;
  /**
   * HCL expression of this apply's password draw, for write-only arguments only (inside `${...}`).
   * It equals what ElastiCache gets whenever both are written in the same run: at creation, and at
   * each change of `passwordVersion` given to both.
   */
  public readonly password: string;
  public readonly passwordVersion: number;

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    super(scope, id);
    const { name } = props;
    this.securityGroup = new SecurityGroup(this, "sg", {
      name,
      description: `Redis ${name}: clients on ${REDIS_PORT} only`,
      vpcId: props.vpcId,
    });
    props.clientSecurityGroupIds.forEach((client, i) => {
      new VpcSecurityGroupIngressRule(this, `from-client-${i}`, {
        securityGroupId: this.securityGroup.id,
        referencedSecurityGroupId: client,
        ipProtocol: "tcp",
        fromPort: REDIS_PORT,
        toPort: REDIS_PORT,
        description: "Redis from the cache's clients only",
      });
    });
    const subnets = new ElasticacheSubnetGroup(this, "subnets", {
      name,
      description: `Private subnets of ${name}`,
      subnetIds: props.subnetIds,
    });
    const slowLog = new CloudwatchLogGroup(this, "slow-log", {
      name: `/aws/elasticache/${name}/slow-log`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    const failover = props.nodes >= 2;
    // Letters and digits only: Redis passwords may not hold @, " or /, and env files need no quoting.
    this.password = ephemeralRandomPassword(this, "password", { length: 64, excludePunctuation: true });
    this.passwordVersion = props.passwordVersion ?? 1;
    if (!Number.isInteger(this.passwordVersion) || this.passwordVersion < 1)
      throw new Error(`${name}: passwordVersion must be a whole number from 1 (was ${this.passwordVersion})`);
    // Every user group has a user named default, which connections without a user name get: off here.
    const disabledDefault = new ElasticacheUser(this, "default-user", {
      userId: `${name}-default`,
      userName: "default",
      engine: "redis",
      accessString: "off -@all",
      noPasswordRequired: true,
    });
    this.user = new ElasticacheUser(this, "user", {
      userId: `${name}-${props.userName}`,
      userName: props.userName,
      engine: "redis",
      accessString: REDIS_USER_ACCESS,
    });
    // The bindings predate write-only arguments.
    this.user.addOverride("passwords_wo", `\${${this.password}}`);
    this.user.addOverride("passwords_wo_version", this.passwordVersion);
    this.userGroup = new ElasticacheUserGroup(this, "users", {
      userGroupId: name,
      engine: "redis",
      userIds: [disabledDefault.userId, this.user.userId],
    });
    this.group = new ElasticacheReplicationGroup(this, "group", {
      replicationGroupId: name,
      description: props.description,
      engine: "redis",
      engineVersion: props.engineVersion,
      nodeType: props.nodeType,
      numCacheClusters: props.nodes,
      port: REDIS_PORT,
      subnetGroupName: subnets.name,
      securityGroupIds: [this.securityGroup.id],
      atRestEncryptionEnabled: "true",
      kmsKeyId: props.kmsKeyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      userGroupIds: [this.userGroup.userGroupId],
      automaticFailoverEnabled: failover,
      multiAzEnabled: failover,
      snapshotRetentionLimit: props.snapshotRetentionDays,
      autoMinorVersionUpgrade: "true",
      logDeliveryConfiguration: [
        { destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
      ],
    });
    if (props.alarmTopicArn) this.alarms(name, props.alarmTopicArn);
  }

  /** The primary's address, for clients that write; TLS on REDIS_PORT. */
  get primaryEndpoint(): string {
    return this.group.primaryEndpointAddress;
  }

  private alarms(name: string, topic: string): void {
    const common = alarmDefaults("AWS/ElastiCache", { ReplicationGroupId: name }, topic);
    new CloudwatchMetricAlarm(this, "cpu-alarm", {
      ...common,
      alarmName: `${name}-engine-cpu-high`,
      alarmDescription: `${name}: the Redis engine thread above 80% for 15 minutes; look for slow commands (slow log) or size up nodeType.`,
      metricName: "EngineCPUUtilization",
      statistic: "Average",
      evaluationPeriods: 3,
      threshold: 80,
      comparisonOperator: "GreaterThanThreshold",
    });
    new CloudwatchMetricAlarm(this, "memory-alarm", {
      ...common,
      alarmName: `${name}-memory-high`,
      alarmDescription: `${name}: more than 85% of memory used; keys will be evicted soon. Size up nodeType or shorten TTLs.`,
      metricName: "DatabaseMemoryUsagePercentage",
      statistic: "Maximum",
      evaluationPeriods: 2,
      threshold: 85,
      comparisonOperator: "GreaterThanThreshold",
    });
    new CloudwatchMetricAlarm(this, "evictions-alarm", {
      ...common,
      alarmName: `${name}-evictions`,
      alarmDescription: `${name}: keys evicted for lack of memory; cached values are being lost before their TTL.`,
      metricName: "Evictions",
      statistic: "Sum",
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
    });
  }
}

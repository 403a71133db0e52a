import {
  DB_LOG_EXPORTS,
  POSTGRES_PORT,
  PostgresDatabase,
  type PostgresDatabaseProps,
} from "../constructs/postgres-database";
import { awsTestStack, onlyResource, resourcesOf, type StackJson, synthJson } from "./helpers";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/k";
const BASE: PostgresDatabaseProps = {
  identifier: "acme-x-orders",
  dbName: "orders",
  username: "orders_admin",
  vpcId: "vpc-1",
  subnetIds: ["subnet-a", "subnet-b"],
  clientSecurityGroupId: "sg-client",
  kmsKeyArn: KEY,
  instanceClass: "db.t4g.micro",
  engineVersion: "16.4",
  allocatedStorageGb: 20,
  multiAz: false,
  backupRetentionDays: 7,
  slowStatementMs: 500,
  logRetentionDays: 30,
  protect: false,
};

function database(props: Partial<PostgresDatabaseProps> = {}): StackJson {
  const stack = awsTestStack();
  new PostgresDatabase(stack, "database", { ...BASE, ...props });
  return synthJson(stack);
}

describe("PostgresDatabase", () => {
  const json = database();

  test("the instance: private, encrypted with the key, password kept by RDS in Secrets Manager, IAM auth, insights and monitoring", () => {
    const db = onlyResource(json, "aws_db_instance");
    expect(db).toMatchObject({
      identifier: "acme-x-orders",
      engine: "postgres",
      engine_version: "16.4",
      instance_class: "db.t4g.micro",
      allocated_storage: 20,
      db_name: "orders",
      username: "orders_admin",
      manage_master_user_password: true,
      master_user_secret_kms_key_id: KEY,
      storage_encrypted: true,
      kms_key_id: KEY,
      publicly_accessible: false,
      multi_az: false,
      backup_retention_period: 7,
      deletion_protection: false,
      skip_final_snapshot: true,
      copy_tags_to_snapshot: true,
      auto_minor_version_upgrade: true,
      iam_database_authentication_enabled: true,
      enabled_cloudwatch_logs_exports: DB_LOG_EXPORTS,
      performance_insights_enabled: true,
      performance_insights_kms_key_id: KEY,
      performance_insights_retention_period: 7,
      monitoring_interval: 60,
    });
    expect(db).not.toHaveProperty("password");
    expect(db).not.toHaveProperty("final_snapshot_identifier");
    expect(db).not.toHaveProperty("lifecycle");
  });

  test("TLS forced and DDL and slow statements logged, to encrypted log groups created before the instance", () => {
    expect(onlyResource(json, "aws_db_parameter_group")).toMatchObject({
      name: "acme-x-orders-postgres16",
      family: "postgres16",
      parameter: [
        { name: "rds.force_ssl", value: "1" },
        { name: "log_statement", value: "ddl" },
        { name: "log_min_duration_statement", value: "500" },
      ],
    });
    const groups = Object.values(resourcesOf(json, "aws_cloudwatch_log_group")).map((g) => [
      g.name,
      g.retention_in_days,
      g.kms_key_id,
    ]);
    expect(groups.sort()).toEqual(
      DB_LOG_EXPORTS.map((log) => [`/aws/rds/instance/acme-x-orders/${log}`, 30, KEY]).sort(),
    );
    expect((onlyResource(json, "aws_db_instance").depends_on as string[]).sort()).toEqual(
      DB_LOG_EXPORTS.map((log) => expect.stringContaining(`aws_cloudwatch_log_group.database_logs-${log}_`)),
    );
  });

  test("reachable from the client group only, on the PostgreSQL port, and no alarm without a topic", () => {
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    expect(ingress.map((r) => [r.referenced_security_group_id, r.from_port, r.to_port])).toEqual([
      ["sg-client", POSTGRES_PORT, POSTGRES_PORT],
    ]);
    expect(resourcesOf(json, "aws_cloudwatch_metric_alarm")).toEqual({});
  });

  test("protect: deletion protection, a final snapshot, and destroy refused", () => {
    const kept = onlyResource(database({ protect: true, multiAz: true }), "aws_db_instance");
    expect(kept).toMatchObject({
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "acme-x-orders-final",
      multi_az: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  test("alarms: CPU over 80% for 15 minutes, and less than a tenth of the storage free", () => {
    const alarms = Object.values(
      resourcesOf(
        database({ alarmTopicArn: "arn:aws:sns:eu-west-1:111111111111:alerts" }),
        "aws_cloudwatch_metric_alarm",
      ),
    ).map((a) => [a.alarm_name, a.metric_name, a.threshold, a.comparison_operator]);
    expect(alarms.sort()).toEqual([
      ["acme-x-orders-cpu-high", "CPUUtilization", 80, "GreaterThanThreshold"],
      ["acme-x-orders-free-storage-low", "FreeStorageSpace", 20 * 1024 ** 3 * 0.1, "LessThanThreshold"],
    ]);
  });
});

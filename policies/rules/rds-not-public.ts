import type { PolicyRule } from "../rule";

export const rdsNotPublic: PolicyRule = {
  id: "ACME-RDS-2",
  description: "No RDS instance is publicly accessible.",
  fix: "Set publiclyAccessible: false (the default), keep the database in private subnets and reach it from a security group.",
  check(stack) {
    return ["aws_db_instance", "aws_rds_cluster_instance"]
      .flatMap((type) => stack.resources(type))
      .filter((db) => db.config.publicly_accessible === true)
      .map((db) => ({ path: db.path, message: "database sets publicly_accessible = true" }));
  },
};

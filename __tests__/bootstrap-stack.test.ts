import { Testing } from "cdktf";
import { BootstrapStack } from "../stacks/bootstrap-stack";
import type { LockingMode } from "../environments/schema";
import {
  env,
  envLocking,
  onlyResource,
  policy,
  resourcesOf,
  resourceUnder,
  type StackJson,
  synthJson,
} from "./helpers";

/** A resource of the state bucket construct. */
const state = (json: StackJson, type: string) => resourceUnder(json, type, "state");

function bootstrap(name: string, localStatePath?: string, locking?: LockingMode) {
  return synthJson(
    new BootstrapStack(Testing.app(), { env: locking ? envLocking(name, locking) : env(name), localStatePath }),
  );
}

describe("BootstrapStack", () => {
  const prod = bootstrap("prod");
  const local = bootstrap("local");
  const prodTable = bootstrap("prod", undefined, "dynamodb");

  test("is named <env>-bootstrap", () => {
    expect(new BootstrapStack(Testing.app(), { env: env("dev") }).node.id).toBe("dev-bootstrap");
  });

  test("state bucket: versioned, KMS-encrypted, public access blocked, owner enforced", () => {
    expect(state(prod, "aws_s3_bucket")).toMatchObject({ bucket: "acme-prod-tfstate-333333333333" });
    expect(state(prod, "aws_s3_bucket_versioning")).toMatchObject({ versioning_configuration: { status: "Enabled" } });
    const sse = state(prod, "aws_s3_bucket_server_side_encryption_configuration") as {
      rule: { apply_server_side_encryption_by_default: Record<string, string> }[];
    };
    expect(sse.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
    expect(sse.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe("${aws_kms_key.state-key.arn}");
    expect(state(prod, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(state(prod, "aws_s3_bucket_ownership_controls")).toMatchObject({
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
  });

  test("state bucket denies every request without TLS", () => {
    const doc = policy(state(prod, "aws_s3_bucket_policy").policy);
    expect(doc.Statement).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Action: "s3:*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    );
  });

  test("noncurrent state versions expire", () => {
    const lifecycle = state(prod, "aws_s3_bucket_lifecycle_configuration") as { rule: Record<string, unknown>[] };
    expect(lifecycle.rule[0]).toMatchObject({
      status: "Enabled",
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
    });
  });

  test("state bucket access is logged to its own SSE-S3 bucket that admits only S3 log delivery", () => {
    const logs = (type: string) => resourceUnder(prod, type, "state-access-logs");
    const logging = state(prod, "aws_s3_bucket_logging");
    expect(logging).toMatchObject({
      target_bucket: "${aws_s3_bucket.state-access-logs_bucket_2091920F.bucket}",
      target_prefix: "state/",
    });
    // S3 checks the target's policy when logging is switched on, so the policy comes first.
    expect(logging.depends_on).toContain(
      `aws_s3_bucket_policy.${Object.keys(resourcesOf(prod, "aws_s3_bucket_policy")).find((id) => id.startsWith("state-access-logs_"))}`,
    );
    expect(logs("aws_s3_bucket")).toMatchObject({
      bucket: "acme-prod-tfstate-logs-333333333333",
      lifecycle: { prevent_destroy: true },
    });
    const sse = logs("aws_s3_bucket_server_side_encryption_configuration") as {
      rule: { apply_server_side_encryption_by_default: Record<string, string> }[];
    };
    expect(sse.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("AES256");
    expect(logs("aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_policy: true,
      restrict_public_buckets: true,
    });
    const allow = policy(logs("aws_s3_bucket_policy").policy).Statement.find((s) => s.Effect === "Allow");
    expect(allow).toEqual({
      Sid: "S3ServerAccessLogs",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::acme-prod-tfstate-logs-333333333333/*",
      Condition: { StringEquals: { "aws:SourceAccount": "333333333333" } },
    });
  });

  test("the state key's policy is stated: the account administers it through IAM", () => {
    expect(policy(onlyResource(prod, "aws_kms_key").policy).Statement).toEqual([
      {
        Sid: "AccountAdministers",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::333333333333:root" },
        Action: "kms:*",
        Resource: "*",
      },
    ]);
  });

  test("locking s3 (the default): no lock table", () => {
    expect(env("prod").state.locking).toBe("s3");
    expect(resourcesOf(prod, "aws_dynamodb_table")).toEqual({});
    expect(prod.output?.state_locking?.value).toBe("s3");
  });

  test("lock table, where locking uses one: LockID hash key, on-demand, PITR, KMS encryption", () => {
    expect(resourcesOf(bootstrap("prod", undefined, "both"), "aws_dynamodb_table")).not.toEqual({});
    expect(onlyResource(prodTable, "aws_dynamodb_table")).toMatchObject({
      name: "acme-prod-tflock",
      hash_key: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      billing_mode: "PAY_PER_REQUEST",
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true, kms_key_arn: "${aws_kms_key.state-key.arn}" },
    });
  });

  test.each(["dev", "staging", "prod"])(
    "%s: state bucket, its log bucket, lock table and key refuse destroy, whatever deletionProtection says",
    (name) => {
      const json = bootstrap(name, undefined, "dynamodb");
      expect(env(name).state.protect).toBe(true);
      expect(state(json, "aws_s3_bucket")).toMatchObject({
        lifecycle: { prevent_destroy: true },
        force_destroy: false,
      });
      expect(resourceUnder(json, "aws_s3_bucket", "state-access-logs")).toMatchObject({
        lifecycle: { prevent_destroy: true },
        force_destroy: false,
      });
      expect(onlyResource(json, "aws_dynamodb_table")).toMatchObject({
        lifecycle: { prevent_destroy: true },
        deletion_protection_enabled: true,
      });
      expect(onlyResource(json, "aws_kms_key")).toMatchObject({
        lifecycle: { prevent_destroy: true },
        enable_key_rotation: true,
        deletion_window_in_days: 30,
      });
    },
  );

  test("dev's application data is disposable, its state is not", () => {
    expect(env("dev").deletionProtection).toBe(false);
    expect(state(bootstrap("dev"), "aws_s3_bucket")).toMatchObject({
      lifecycle: { prevent_destroy: true },
      force_destroy: false,
    });
  });

  test("local can be destroyed", () => {
    expect(state(local, "aws_s3_bucket").lifecycle).toBeUndefined();
    expect(state(local, "aws_s3_bucket").force_destroy).toBe(true);
    expect(onlyResource(bootstrap("local", undefined, "dynamodb"), "aws_dynamodb_table")).toMatchObject({
      deletion_protection_enabled: false,
    });
  });

  test("state lives in its own bucket under a key derived from the stack name, locked as the environment says", () => {
    const at = {
      bucket: "acme-prod-tfstate-333333333333",
      key: "acme/prod/prod-bootstrap/terraform.tfstate",
      encrypt: true,
      region: "eu-west-1",
    };
    expect(prod.terraform.backend?.s3).toEqual({ ...at, use_lockfile: true });
    expect(prodTable.terraform.backend?.s3).toEqual({ ...at, dynamodb_table: "acme-prod-tflock" });
    expect(bootstrap("prod", undefined, "both").terraform.backend?.s3).toEqual({
      ...at,
      use_lockfile: true,
      dynamodb_table: "acme-prod-tflock",
    });
  });

  test("before its bucket exists, state is a local file", () => {
    const first = bootstrap("dev", "/tmp/dev-bootstrap.tfstate");
    expect(first.terraform.backend).toEqual({ local: { path: "/tmp/dev-bootstrap.tfstate" } });
  });

  test("publishes bucket, locking, table (where there is one) and key with descriptions", () => {
    expect(Object.fromEntries(Object.entries(prod.output ?? {}).map(([name, o]) => [name, o.description]))).toEqual({
      state_bucket_name: "Bucket that holds every stack's state.",
      state_locking: "How stacks lock state: s3 (lock objects), dynamodb (the table) or both.",
      state_kms_key_arn: "KMS key that encrypts state objects and locks.",
    });
    expect(prodTable.output?.lock_table_name?.description).toBe("DynamoDB table that holds state locks.");
    expect(Object.keys(resourcesOf(prod, "aws_kms_alias"))).toHaveLength(1);
  });
});

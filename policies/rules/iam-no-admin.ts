import { parsePolicy, statementLabel } from "../policy-document";
import type { Finding, PolicyRule } from "../rule";
import { blocks, strings, type TfResource } from "../stack-config";

type PolicyArgument = { readonly name: string; readonly value: unknown };

/** Where policy documents live, per resource type; values are JSON strings. */
const POLICY_ARGUMENTS: Record<string, (r: TfResource) => PolicyArgument[]> = {
  aws_iam_policy: (r) => [{ name: "policy", value: r.config.policy }],
  aws_iam_role_policy: (r) => [{ name: "policy", value: r.config.policy }],
  aws_iam_user_policy: (r) => [{ name: "policy", value: r.config.policy }],
  aws_iam_group_policy: (r) => [{ name: "policy", value: r.config.policy }],
  aws_iam_role: (r) => [
    { name: "assume_role_policy", value: r.config.assume_role_policy },
    ...blocks(r.config.inline_policy).map((p) => ({ name: "inline_policy", value: p.policy })),
  ],
  aws_s3_bucket_policy: (r) => [{ name: "policy", value: r.config.policy }],
  aws_sqs_queue_policy: (r) => [{ name: "policy", value: r.config.policy }],
  aws_sqs_queue: (r) => [{ name: "policy", value: r.config.policy }],
  aws_kms_key: (r) => [{ name: "policy", value: r.config.policy }],
  aws_sns_topic_policy: (r) => [{ name: "policy", value: r.config.policy }],
  aws_ecr_repository_policy: (r) => [{ name: "policy", value: r.config.policy }],
  aws_secretsmanager_secret_policy: (r) => [{ name: "policy", value: r.config.policy }],
};

/**
 * Policies given as a single Terraform expression (a data source's json, jsonencode()) are only
 * known at apply time and are not checked; a string that is neither JSON nor an expression is.
 */
export const iamNoAdmin: PolicyRule = {
  id: "ACME-IAM-1",
  description: 'No policy statement allows Action "*" on Resource "*".',
  fix: "Name the actions the principal needs and the ARNs it needs them on; for broad read access attach a managed policy such as ReadOnlyAccess instead.",
  check(stack) {
    const findings: Finding[] = [];
    for (const [type, argumentsOf] of Object.entries(POLICY_ARGUMENTS)) {
      for (const resource of stack.resources(type)) {
        for (const { name, value } of argumentsOf(resource)) {
          if (value === undefined || value === null) continue;
          const parsed = parsePolicy(value);
          if (parsed.kind === "invalid") {
            findings.push({
              path: resource.path,
              message: `${name} is not a JSON policy document, so it cannot be checked`,
            });
            continue;
          }
          if (parsed.kind === "expression") continue;
          parsed.statements.forEach((statement, i) => {
            if (statement.Effect !== "Allow") return;
            if (!strings(statement.Action).includes("*") || !strings(statement.Resource).includes("*")) return;
            findings.push({
              path: resource.path,
              message: `${name} statement ${statementLabel(statement, i)} allows Action "*" on Resource "*"`,
            });
          });
        }
      }
    }
    return findings;
  },
};

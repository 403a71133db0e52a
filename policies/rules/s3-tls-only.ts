import { parsePolicy, type PolicyStatement, statementValues } from "../policy-document";
import type { PolicyRule } from "../rule";
import { strings, targetsBucket } from "../stack-config";

/** Deny, for everyone, every S3 action, when the request did not come over TLS. */
function deniesPlainHttp(statement: PolicyStatement): boolean {
  if (statement.Effect !== "Deny") return false;
  const everyone = statement.Principal === "*" || statementValues(statement.Principal).includes("*");
  const allActions = strings(statement.Action).some((a) => a === "s3:*" || a === "*");
  const bool = (statement.Condition as { Bool?: Record<string, unknown> } | undefined)?.Bool;
  const secure = bool?.["aws:SecureTransport"];
  const insecure = [secure].flat().some((v) => v === false || v === "false");
  return everyone && allActions && insecure;
}

export const s3TlsOnly: PolicyRule = {
  id: "ACME-S3-3",
  description: "Every S3 bucket has a policy that denies all requests without TLS (Deny, aws:SecureTransport false).",
  fix: 'Create the bucket with PrivateBucket, or give its S3BucketPolicy the statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }.',
  check(stack) {
    const policies = stack.resources("aws_s3_bucket_policy");
    return stack.resources("aws_s3_bucket").flatMap((bucket) => {
      const mine = policies.filter((p) => targetsBucket(p.config.bucket, bucket));
      if (mine.length === 0)
        return [
          { path: bucket.path, message: "bucket has no aws_s3_bucket_policy, so plain-HTTP requests are not denied" },
        ];
      const parsed = mine.map((p) => parsePolicy(p.config.policy));
      if (parsed.some((p) => p.kind === "document" && p.statements.some(deniesPlainHttp))) return [];
      const opaque = parsed.some((p) => p.kind !== "document");
      return [
        {
          path: bucket.path,
          message: opaque
            ? "the bucket policy is not a JSON document at synth time, so a TLS-only statement cannot be verified"
            : "the bucket policy has no statement denying requests without TLS (Deny, Principal *, s3:*, aws:SecureTransport false)",
        },
      ];
    });
  },
};

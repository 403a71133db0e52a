import type { PolicyRule } from "../rule";

export const lambdaGuardrails: PolicyRule = {
  id: "ACME-LAM-1",
  description:
    "Every Lambda function has reserved concurrency, a dead-letter queue, and its environment encrypted with a KMS key.",
  fix: "Create the function with StreamFunction (constructs/stream-function.ts), or set reservedConcurrentExecutions, deadLetterConfig.targetArn and kmsKeyArn on the LambdaFunction.",
  check(stack) {
    return stack.resources("aws_lambda_function").flatMap((f) => {
      const found: { path: string; message: string }[] = [];
      const reserved = f.config.reserved_concurrent_executions;
      if (typeof reserved !== "number" || reserved < 1)
        found.push({ path: f.path, message: "function has no reserved_concurrent_executions of 1 or more" });
      const dlq = f.config.dead_letter_config as { target_arn?: unknown } | { target_arn?: unknown }[] | undefined;
      const target = Array.isArray(dlq) ? dlq[0]?.target_arn : dlq?.target_arn;
      if (typeof target !== "string" || target === "")
        found.push({ path: f.path, message: "function has no dead_letter_config.target_arn" });
      if (typeof f.config.kms_key_arn !== "string" || f.config.kms_key_arn === "")
        found.push({ path: f.path, message: "function has no kms_key_arn for its environment" });
      return found;
    });
  },
};

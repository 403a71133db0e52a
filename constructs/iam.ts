/** Trust policy (assume_role_policy) that lets one AWS service assume a role. */
export function trustedByService(service: string): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });
}

/**
 * Key policy statement that hands a KMS key to the account's IAM policies, as AWS's default key
 * policy does; written out so review sees it.
 */
export function accountAdministersKey(accountId: string): Record<string, unknown> {
  return { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" };
}

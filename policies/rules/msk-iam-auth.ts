import type { PolicyRule } from "../rule";

/** A block as synthesized: an object, or a list of one. */
function block(value: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === "object" ? (first as Record<string, unknown>) : undefined;
}

/** The flag `enabled` (serverless) or `iam`/`scram` (provisioned) of a SASL block. */
function saslIam(auth: Record<string, unknown> | undefined): boolean {
  const sasl = block(auth?.sasl);
  const iam = sasl?.iam;
  return iam === true || block(iam)?.enabled === true || sasl?.scram === true;
}

export const mskIamAuth: PolicyRule = {
  id: "ACME-MSK-1",
  description:
    "Every MSK cluster authenticates its clients (SASL/IAM, SCRAM or TLS, never unauthenticated) and encrypts client traffic.",
  fix: "Create the cluster with MskServerless (constructs/msk-serverless.ts); for a provisioned cluster set client_authentication.sasl.iam = true, leave unauthenticated off, and keep encryption_in_transit.client_broker = TLS.",
  check(stack) {
    const serverless = stack
      .resources("aws_msk_serverless_cluster")
      .filter((c) => !saslIam(block(c.config.client_authentication)))
      .map((c) => ({ path: c.path, message: "serverless cluster does not enable client_authentication.sasl.iam" }));
    const provisioned = stack.resources("aws_msk_cluster").flatMap((c) => {
      const auth = block(c.config.client_authentication);
      const found: { path: string; message: string }[] = [];
      if (auth?.unauthenticated === true || !(saslIam(auth) || block(auth?.tls) !== undefined)) {
        found.push({
          path: c.path,
          message: "cluster admits unauthenticated clients (no sasl iam/scram or tls in client_authentication)",
        });
      }
      const clientBroker = block(block(c.config.encryption_info)?.encryption_in_transit)?.client_broker;
      if (clientBroker !== undefined && clientBroker !== "TLS")
        found.push({ path: c.path, message: `client_broker encryption is ${String(clientBroker)}, not TLS` });
      return found;
    });
    return [...serverless, ...provisioned];
  },
};

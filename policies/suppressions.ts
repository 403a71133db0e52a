import type { Suppression } from "./suppression";

/**
 * Every exception to the policy pack, in one place. Each needs a reason; an entry that matches no
 * violation fails a full synth, so fixed resources drop out of this list. The README's table mirrors it.
 */
export const SUPPRESSIONS: readonly Suppression[] = [
  {
    id: "ACME-S3-3",
    path: "local-*",
    reason:
      "local runs against an emulator on plain HTTP, and moto applies a bucket policy's Deny without its aws:SecureTransport condition, so a TLS-only policy would lock every client out; the environment schema allows s3TlsOnly: false only where an emulator endpoint is set.",
  },
];

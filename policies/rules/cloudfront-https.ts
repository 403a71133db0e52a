import type { PolicyRule } from "../rule";

/** A block the provider writes as an object or a one-element list. */
const one = (v: unknown): Record<string, unknown> | undefined =>
  (Array.isArray(v) ? v[0] : v) as Record<string, unknown> | undefined;
const many = (v: unknown): Record<string, unknown>[] =>
  (Array.isArray(v) ? v : v ? [v] : []) as Record<string, unknown>[];

export const cloudfrontHttps: PolicyRule = {
  id: "ACME-CDN-1",
  description:
    "Every CloudFront distribution serves viewers over HTTPS only, with TLS 1.2 or later on its own certificate, and reads S3 origins through an origin access control.",
  fix: "Use constructs/static-site.ts (StaticSite), or set viewer_protocol_policy redirect-to-https on every cache behaviour, an ACM certificate with minimum_protocol_version TLSv1.2_2021, and origin_access_control_id on S3 origins.",
  check(stack) {
    return stack.resources("aws_cloudfront_distribution").flatMap((d) => {
      const found: { path: string; message: string }[] = [];
      const behaviours = [one(d.config.default_cache_behavior), ...many(d.config.ordered_cache_behavior)].filter(
        (b): b is Record<string, unknown> => b !== undefined,
      );
      if (
        behaviours.some(
          (b) => b.viewer_protocol_policy !== "redirect-to-https" && b.viewer_protocol_policy !== "https-only",
        )
      ) {
        found.push({
          path: d.path,
          message: "a cache behaviour lets viewers use plain HTTP (viewer_protocol_policy allow-all)",
        });
      }
      const certificate = one(d.config.viewer_certificate) ?? {};
      const version = String(certificate.minimum_protocol_version ?? "");
      if (!certificate.acm_certificate_arn || !/^TLSv1\.[23]_/.test(version)) {
        found.push({
          path: d.path,
          message: "viewer certificate is not an ACM certificate with minimum_protocol_version TLSv1.2_2021 or later",
        });
      }
      for (const origin of many(d.config.origin)) {
        if (/\.s3[.-]/.test(String(origin.domain_name)) && !origin.origin_access_control_id) {
          found.push({
            path: d.path,
            message: `S3 origin ${String(origin.origin_id)} has no origin_access_control_id`,
          });
        }
      }
      return found;
    });
  },
};

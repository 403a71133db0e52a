import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { StaticSite, type StaticSiteProps } from "../constructs/static-site";
import { awsTestStack, onlyResource, policy, resourcesOf, type StackJson, synthJson } from "./helpers";

function site(props: Partial<Omit<StaticSiteProps, "certificateProvider">> = {}): StackJson {
  const stack = awsTestStack();
  const usEast1 = new AwsProvider(stack, "aws-us-east-1", { region: "us-east-1", alias: "us-east-1" });
  new StaticSite(stack, "frontend", {
    name: "acme-x-web",
    accountId: "111111111111",
    region: "eu-west-1",
    domain: "app.example.com",
    zoneId: "Z1",
    certificateProvider: usEast1,
    kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/k",
    accessLogs: { bucketName: "acme-x-logs", prefix: "s3/web/" },
    priceClass: "PriceClass_100",
    singlePageApp: false,
    protect: false,
    denyInsecureTransport: true,
    ...props,
  });
  return synthJson(stack);
}

describe("StaticSite", () => {
  const json = site();

  test("the distribution: HTTPS only on the domain's certificate from us-east-1, TLS 1.2+, the bucket through an origin access control", () => {
    const distribution = onlyResource(json, "aws_cloudfront_distribution");
    expect(distribution).toMatchObject({
      comment: "acme-x-web: app.example.com",
      enabled: true,
      is_ipv6_enabled: true,
      http_version: "http2and3",
      price_class: "PriceClass_100",
      aliases: ["app.example.com"],
      default_root_object: "index.html",
      viewer_certificate: { ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021" },
      restrictions: { geo_restriction: { restriction_type: "none" } },
      custom_error_response: [],
    });
    expect(distribution.default_cache_behavior).toMatchObject({
      viewer_protocol_policy: "redirect-to-https",
      allowed_methods: ["GET", "HEAD"],
      compress: true,
    });
    expect(distribution.origin).toEqual([
      {
        origin_id: "site-bucket",
        domain_name: "acme-x-web-111111111111.s3.eu-west-1.amazonaws.com",
        origin_access_control_id: expect.stringMatching(
          /aws_cloudfront_origin_access_control\.frontend_origin-access_/,
        ),
      },
    ]);
    expect(onlyResource(json, "aws_cloudfront_origin_access_control")).toMatchObject({
      origin_access_control_origin_type: "s3",
      signing_behavior: "always",
      signing_protocol: "sigv4",
    });
    expect(onlyResource(json, "aws_acm_certificate")).toMatchObject({
      domain_name: "app.example.com",
      validation_method: "DNS",
      provider: "aws.us-east-1",
    });
  });

  test("the bucket: read by this distribution only, TLS only, its server access logs kept", () => {
    const statements = policy(onlyResource(json, "aws_s3_bucket_policy").policy).Statement;
    expect(statements.find((s) => s.Sid === "ThisDistributionReads")).toEqual({
      Sid: "ThisDistributionReads",
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::acme-x-web-111111111111/*",
      Condition: {
        StringEquals: { "AWS:SourceArn": expect.stringMatching(/aws_cloudfront_distribution\.frontend_distribution_/) },
      },
    });
    expect(statements.map((s) => [s.Sid, s.Effect])).toEqual([
      ["DenyInsecureTransport", "Deny"],
      ["ThisDistributionReads", "Allow"],
    ]);
    expect(onlyResource(json, "aws_s3_bucket_logging")).toMatchObject({
      target_bucket: "acme-x-logs",
      target_prefix: "s3/web/",
    });
  });

  test("A and AAAA aliases of the distribution on the domain", () => {
    expect(
      Object.values(resourcesOf(json, "aws_route53_record"))
        .filter((r) => r.alias)
        .map((r) => [r.type, r.name, r.zone_id])
        .sort(),
    ).toEqual([
      ["A", "app.example.com", "Z1"],
      ["AAAA", "app.example.com", "Z1"],
    ]);
  });

  test("a single-page app's missing paths answer with /index.html and 200", () => {
    expect(onlyResource(site({ singlePageApp: true }), "aws_cloudfront_distribution").custom_error_response).toEqual([
      { error_code: 403, response_code: 200, response_page_path: "/index.html", error_caching_min_ttl: 10 },
      { error_code: 404, response_code: 200, response_page_path: "/index.html", error_caching_min_ttl: 10 },
    ]);
  });
});

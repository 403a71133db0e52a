import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Construct } from "constructs";
import { dnsValidatedCertificate } from "./dns-certificate";
import { PrivateBucket } from "./private-bucket";

/** AWS managed cache policy CachingOptimized: long TTLs, gzip and brotli, no cookies or query strings. */
export const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";
/** AWS managed response headers policy SecurityHeadersPolicy: HSTS, nosniff, frame DENY, referrer, XSS. */
export const SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03";
/** CloudFront serves only certificates from this region. */
export const CLOUDFRONT_CERTIFICATE_REGION = "us-east-1";

export interface StaticSiteProps {
  /** Names the bucket (`<name>-<account>`), the origin access control and the distribution's comment. */
  readonly name: string;
  readonly accountId: string;
  /** The bucket's region, for its regional S3 endpoint as the origin. */
  readonly region: string;
  /** The domain the site answers on, in the public zone `zoneId`. */
  readonly domain: string;
  readonly zoneId: string;
  /** Provider in us-east-1, where CloudFront takes its certificate from. */
  readonly certificateProvider: AwsProvider;
  /** Encrypts the files at rest; CloudFront may decrypt with it (the foundation's key policy). */
  readonly kmsKeyArn: string;
  /** Server access logs of the bucket (what CloudFront fetched). */
  readonly accessLogs: { readonly bucketName: string; readonly prefix: string };
  /** Edge locations served: PriceClass_100 (North America, Europe), _200, _All. */
  readonly priceClass: "PriceClass_100" | "PriceClass_200" | "PriceClass_All";
  /** Paths the bucket does not have answer with /index.html and 200, for a single-page app's routes. */
  readonly singlePageApp: boolean;
  readonly protect: boolean;
  readonly denyInsecureTransport: boolean;
}

/**
 * A static frontend: a private bucket (no public access, KMS) that only this CloudFront distribution
 * may read, through an origin access control (SigV4 signed, the bucket policy names the distribution
 * ARN); HTTPS only (HTTP redirected) with TLS 1.2+ on the domain's ACM certificate from us-east-1,
 * validated through DNS; security headers on every answer; A and AAAA aliases for the domain.
 */
export class StaticSite extends Construct {
  public readonly bucket: PrivateBucket;
  public readonly distribution: CloudfrontDistribution;

  constructor(scope: Construct, id: string, props: StaticSiteProps) {
    super(scope, id);
    const bucketName = `${props.name}-${props.accountId}`;
    const originId = "site-bucket";
    const access = new CloudfrontOriginAccessControl(this, "origin-access", {
      name: props.name,
      description: `CloudFront reads ${bucketName} signed with SigV4`,
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });
    const { validatedArn } = dnsValidatedCertificate(this, {
      domain: props.domain,
      zoneId: props.zoneId,
      provider: props.certificateProvider,
    });

    this.distribution = new CloudfrontDistribution(this, "distribution", {
      comment: `${props.name}: ${props.domain}`,
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: "http2and3",
      priceClass: props.priceClass,
      aliases: [props.domain],
      defaultRootObject: "index.html",
      origin: [
        {
          originId,
          // The regional endpoint: the bucket's name is known before the bucket exists, so the
          // bucket policy below can name this distribution without a cycle.
          domainName: `${bucketName}.s3.${props.region}.amazonaws.com`,
          // No s3_origin_config: the provider sends an empty origin access identity itself, and AWS
          // reports none, so writing one would show as a change in every plan.
          originAccessControlId: access.id,
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: originId,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD"],
        cachedMethods: ["GET", "HEAD"],
        compress: true,
        cachePolicyId: CACHING_OPTIMIZED,
        responseHeadersPolicyId: SECURITY_HEADERS,
      },
      customErrorResponse: props.singlePageApp
        ? [403, 404].map((code) => ({
            errorCode: code,
            responseCode: 200,
            responsePagePath: "/index.html",
            errorCachingMinTtl: 10,
          }))
        : [],
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate: {
        acmCertificateArn: validatedArn,
        sslSupportMethod: "sni-only",
        minimumProtocolVersion: "TLSv1.2_2021",
      },
    });

    this.bucket = new PrivateBucket(this, "bucket", {
      bucketName,
      kmsKeyArn: props.kmsKeyArn,
      accessLogs: props.accessLogs,
      protect: props.protect,
      denyInsecureTransport: props.denyInsecureTransport,
      extraPolicyStatements: [
        {
          Sid: "ThisDistributionReads",
          Effect: "Allow",
          Principal: { Service: "cloudfront.amazonaws.com" },
          Action: "s3:GetObject",
          Resource: `arn:aws:s3:::${bucketName}/*`,
          Condition: { StringEquals: { "AWS:SourceArn": this.distribution.arn } },
        },
      ],
    });

    this.aliasRecords(props);
  }

  /** The domain's A and AAAA records, aliases of the distribution. */
  private aliasRecords(props: StaticSiteProps): void {
    for (const type of ["A", "AAAA"]) {
      new Route53Record(this, `alias-${type.toLowerCase()}`, {
        zoneId: props.zoneId,
        name: props.domain,
        type,
        alias: {
          name: this.distribution.domainName,
          zoneId: this.distribution.hostedZoneId,
          evaluateTargetHealth: false,
        },
      });
    }
  }
}

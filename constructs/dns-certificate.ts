import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { TerraformIterator, Token } from "cdktf";
import type { Construct } from "constructs";

export interface DnsCertificateProps {
  readonly domain: string;
  /** Route53 public zone holding the domain; the validation records go there. */
  readonly zoneId: string;
  /** Provider of the certificate's region (CloudFront takes certificates from us-east-1 only). @default the stack's provider */
  readonly provider?: AwsProvider;
}

/**
 * An ACM certificate for one domain, validated through DNS in the public zone with no manual step:
 * one record per validation option (for_each over domain_validation_options), then a validation
 * resource that waits until ACM has issued it. Created in `scope` as `certificate`,
 * `validation-record` and `validation`. Returns the certificate and the ARN to use, which is known
 * only once it is issued.
 */
export function dnsValidatedCertificate(
  scope: Construct,
  props: DnsCertificateProps,
): { certificate: AcmCertificate; validatedArn: string } {
  const certificate = new AcmCertificate(scope, "certificate", {
    provider: props.provider,
    domainName: props.domain,
    validationMethod: "DNS",
    // A replacement is issued before the old one is released from the listener or distribution.
    lifecycle: { createBeforeDestroy: true },
  });
  const options = TerraformIterator.fromComplexList(certificate.domainValidationOptions, "domain_name");
  const validationRecords = new Route53Record(scope, "validation-record", {
    forEach: options,
    zoneId: props.zoneId,
    name: options.getString("resource_record_name"),
    type: options.getString("resource_record_type"),
    records: [options.getString("resource_record_value")],
    ttl: 60,
    allowOverwrite: true,
  });
  // Waits until ACM has seen the records and issued the certificate.
  const validation = new AcmCertificateValidation(scope, "validation", {
    provider: props.provider,
    certificateArn: certificate.arn,
    validationRecordFqdns: Token.asList(TerraformIterator.fromResources(validationRecords).pluckProperty("fqdn")),
  });
  return { certificate, validatedArn: validation.certificateArn };
}

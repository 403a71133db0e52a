/**
 * What the e2e checks of order-tracking once it is applied in `local`: each part read back from the
 * emulator with the AWS SDK, as a team would check it in an account.
 */
import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand } from "@aws-sdk/client-acm";
import { CloudFrontClient, GetDistributionCommand, GetOriginAccessControlCommand } from "@aws-sdk/client-cloudfront";
import { DescribeServicesCommand, ECSClient } from "@aws-sdk/client-ecs";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  DescribeClusterV2Command,
  GetBootstrapBrokersCommand,
  KafkaClient,
  ListClustersV2Command,
} from "@aws-sdk/client-kafka";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { GetBucketPolicyCommand, GetPublicAccessBlockCommand, S3Client } from "@aws-sdk/client-s3";
import { ListHostedZonesByNameCommand, ListResourceRecordSetsCommand, Route53Client } from "@aws-sdk/client-route-53";
import type { sdkConfig } from "../../scripts/aws";

type SdkConfig = ReturnType<typeof sdkConfig>;

export async function expectOrderTrackingApplied(
  aws: SdkConfig,
  domain: string,
  publicZone: string,
  outputs: Record<string, string>,
): Promise<void> {
  const db = (
    await new RDSClient(aws).send(
      new DescribeDBInstancesCommand({ DBInstanceIdentifier: "acme-local-order-tracking-db" }),
    )
  ).DBInstances?.[0];
  expect(db).toMatchObject({
    Engine: "postgres",
    DBInstanceStatus: "available",
    StorageEncrypted: true,
    PubliclyAccessible: false,
    PerformanceInsightsEnabled: true,
    MasterUserSecret: { SecretArn: outputs.db_secret_arn },
  });

  const kafka = new KafkaClient(aws);
  const clusters =
    (await kafka.send(new ListClustersV2Command({ ClusterNameFilter: "acme-local-order-tracking-events" })))
      .ClusterInfoList ?? [];
  expect(clusters.map((c) => c.ClusterArn)).toEqual([outputs.events_cluster_arn]);
  const cluster = (await kafka.send(new DescribeClusterV2Command({ ClusterArn: outputs.events_cluster_arn })))
    .ClusterInfo;
  expect(cluster).toMatchObject({
    State: "ACTIVE",
    ClusterType: "SERVERLESS",
    Serverless: { ClientAuthentication: { Sasl: { Iam: { Enabled: true } } } },
  });
  const brokers = await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: outputs.events_cluster_arn }));
  expect(brokers.BootstrapBrokerStringSaslIam).toBe(outputs.events_bootstrap_brokers);
  expect(outputs.events_bootstrap_brokers).toMatch(/:9098$/);

  const acm = new ACMClient(aws);
  const certificates = (await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList ?? [];
  const certificate = certificates.find((c) => c.DomainName === domain);
  const described = (await acm.send(new DescribeCertificateCommand({ CertificateArn: certificate?.CertificateArn })))
    .Certificate;
  // Issued because its validation record is in the public zone (local/moto_server.py checks it).
  expect(described?.Status).toBe("ISSUED");

  const elb = new ElasticLoadBalancingV2Client(aws);
  const lb = (await elb.send(new DescribeLoadBalancersCommand({ Names: ["acme-local-order-tracking-alb"] })))
    .LoadBalancers?.[0];
  expect(lb).toMatchObject({ Type: "application", State: { Code: "active" }, DNSName: outputs.alb_dns_name });
  const listeners =
    (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }))).Listeners ?? [];
  const https = listeners.find((l) => l.Port === 443);
  expect(https).toMatchObject({
    Protocol: "HTTPS",
    SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    Certificates: [{ CertificateArn: certificate?.CertificateArn }],
  });
  expect(listeners.find((l) => l.Port === 80)?.DefaultActions?.[0]).toMatchObject({ Type: "redirect" });

  const route53 = new Route53Client(aws);
  const zone = (await route53.send(new ListHostedZonesByNameCommand({ DNSName: publicZone }))).HostedZones?.find(
    (z) => z.Name === `${publicZone}.`,
  );
  expect(zone?.Config?.PrivateZone).toBe(false);
  const records =
    (await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone?.Id }))).ResourceRecordSets ?? [];
  expect(records.find((r) => r.Name === `${domain}.` && r.Type === "A")?.AliasTarget?.DNSName).toMatch(
    new RegExp(`^(dualstack\\.)?${lb?.DNSName?.replace(/\./g, "\\.")}\\.?$`, "i"),
  );
  const validation = described?.DomainValidationOptions?.[0]?.ResourceRecord;
  expect(
    records.find((r) => r.Name === validation?.Name && r.Type === "CNAME")?.ResourceRecords?.map((r) => r.Value),
  ).toEqual([validation?.Value]);

  const service = (
    await new ECSClient(aws).send(
      new DescribeServicesCommand({ cluster: "acme-local-order-tracking", services: ["acme-local-order-tracking"] }),
    )
  ).services?.[0];
  expect(service).toMatchObject({
    status: "ACTIVE",
    launchType: "FARGATE",
    loadBalancers: [{ containerName: "app", containerPort: 8080 }],
  });
  expect(service?.networkConfiguration?.awsvpcConfiguration?.assignPublicIp).toBe("DISABLED");
}

/** The tracking page: a distribution on the frontend domain reading the private bucket through its origin access control. */
export async function expectFrontendApplied(
  aws: SdkConfig,
  domain: string,
  publicZone: string,
  outputs: Record<string, string>,
): Promise<void> {
  const cloudfront = new CloudFrontClient(aws);
  const distribution = (await cloudfront.send(new GetDistributionCommand({ Id: outputs.frontend_distribution_id })))
    .Distribution;
  const config = distribution?.DistributionConfig;
  expect(config).toMatchObject({
    Enabled: true,
    Aliases: { Items: [domain] },
    DefaultRootObject: "index.html",
    DefaultCacheBehavior: { ViewerProtocolPolicy: "redirect-to-https" },
    ViewerCertificate: {
      CloudFrontDefaultCertificate: false,
      SSLSupportMethod: "sni-only",
      MinimumProtocolVersion: "TLSv1.2_2021",
    },
  });
  const origin = config?.Origins?.Items?.[0];
  expect(origin?.DomainName).toBe(`${outputs.frontend_bucket_name}.s3.us-east-1.amazonaws.com`);
  const access = (await cloudfront.send(new GetOriginAccessControlCommand({ Id: origin?.OriginAccessControlId })))
    .OriginAccessControl?.OriginAccessControlConfig;
  expect(access).toMatchObject({
    OriginAccessControlOriginType: "s3",
    SigningBehavior: "always",
    SigningProtocol: "sigv4",
  });

  // Its certificate was issued in us-east-1 through the validation record in the public zone.
  const acm = new ACMClient({ ...aws, region: "us-east-1" });
  const certificate = (
    await acm.send(new DescribeCertificateCommand({ CertificateArn: config?.ViewerCertificate?.ACMCertificateArn }))
  ).Certificate;
  expect(certificate).toMatchObject({ DomainName: domain, Status: "ISSUED" });

  const s3 = new S3Client(aws);
  const statements = JSON.parse(
    (await s3.send(new GetBucketPolicyCommand({ Bucket: outputs.frontend_bucket_name }))).Policy!,
  ).Statement as Record<string, unknown>[];
  expect(statements.find((st) => st.Sid === "ThisDistributionReads")).toMatchObject({
    Principal: { Service: "cloudfront.amazonaws.com" },
    Condition: { StringEquals: { "AWS:SourceArn": distribution?.ARN } },
  });
  expect(
    (await s3.send(new GetPublicAccessBlockCommand({ Bucket: outputs.frontend_bucket_name })))
      .PublicAccessBlockConfiguration,
  ).toMatchObject({
    BlockPublicAcls: true,
    BlockPublicPolicy: true,
    IgnorePublicAcls: true,
    RestrictPublicBuckets: true,
  });

  const route53 = new Route53Client(aws);
  const zone = (await route53.send(new ListHostedZonesByNameCommand({ DNSName: publicZone }))).HostedZones?.find(
    (z) => z.Name === `${publicZone}.`,
  );
  const records =
    (await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone?.Id }))).ResourceRecordSets ?? [];
  const aliases = records.filter((r) => r.Name === `${domain}.` && (r.Type === "A" || r.Type === "AAAA"));
  expect(aliases.map((r) => [r.Type, r.AliasTarget?.DNSName?.replace(/\.$/, "")]).sort()).toEqual([
    ["A", distribution?.DomainName],
    ["AAAA", distribution?.DomainName],
  ]);
}

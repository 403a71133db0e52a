/**
 * What the e2e checks of order-tracking once it is applied in `local`: each part read back from the
 * emulator with the AWS SDK, as a team would check it in an account.
 */
import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand } from "@aws-sdk/client-acm";
import { DescribeServicesCommand, ECSClient } from "@aws-sdk/client-ecs";
import { DescribeListenersCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeClusterV2Command, GetBootstrapBrokersCommand, KafkaClient, ListClustersV2Command } from "@aws-sdk/client-kafka";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { ListHostedZonesByNameCommand, ListResourceRecordSetsCommand, Route53Client } from "@aws-sdk/client-route-53";
import type { sdkConfig } from "../../scripts/aws";

type SdkConfig = ReturnType<typeof sdkConfig>;

export async function expectOrderTrackingApplied(aws: SdkConfig, domain: string, publicZone: string, outputs: Record<string, string>): Promise<void> {
  const db = (await new RDSClient(aws).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "acme-local-order-tracking-db" }))).DBInstances?.[0];
  expect(db).toMatchObject({
    Engine: "postgres",
    DBInstanceStatus: "available",
    StorageEncrypted: true,
    PubliclyAccessible: false,
    PerformanceInsightsEnabled: true,
    MasterUserSecret: { SecretArn: outputs.db_secret_arn },
  });

  const kafka = new KafkaClient(aws);
  const clusters = (await kafka.send(new ListClustersV2Command({ ClusterNameFilter: "acme-local-order-tracking-events" }))).ClusterInfoList ?? [];
  expect(clusters.map((c) => c.ClusterArn)).toEqual([outputs.events_cluster_arn]);
  const cluster = (await kafka.send(new DescribeClusterV2Command({ ClusterArn: outputs.events_cluster_arn }))).ClusterInfo;
  expect(cluster).toMatchObject({ State: "ACTIVE", ClusterType: "SERVERLESS", Serverless: { ClientAuthentication: { Sasl: { Iam: { Enabled: true } } } } });
  const brokers = await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: outputs.events_cluster_arn }));
  expect(brokers.BootstrapBrokerStringSaslIam).toBe(outputs.events_bootstrap_brokers);
  expect(outputs.events_bootstrap_brokers).toMatch(/:9098$/);

  const acm = new ACMClient(aws);
  const certificates = (await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList ?? [];
  const certificate = certificates.find((c) => c.DomainName === domain);
  const described = (await acm.send(new DescribeCertificateCommand({ CertificateArn: certificate?.CertificateArn }))).Certificate;
  // Issued because its validation record is in the public zone (local/moto_server.py checks it).
  expect(described?.Status).toBe("ISSUED");

  const elb = new ElasticLoadBalancingV2Client(aws);
  const lb = (await elb.send(new DescribeLoadBalancersCommand({ Names: ["acme-local-order-tracking-alb"] }))).LoadBalancers?.[0];
  expect(lb).toMatchObject({ Type: "application", State: { Code: "active" }, DNSName: outputs.alb_dns_name });
  const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }))).Listeners ?? [];
  const https = listeners.find((l) => l.Port === 443);
  expect(https).toMatchObject({ Protocol: "HTTPS", SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", Certificates: [{ CertificateArn: certificate?.CertificateArn }] });
  expect(listeners.find((l) => l.Port === 80)?.DefaultActions?.[0]).toMatchObject({ Type: "redirect" });

  const route53 = new Route53Client(aws);
  const zone = (await route53.send(new ListHostedZonesByNameCommand({ DNSName: publicZone }))).HostedZones?.find((z) => z.Name === `${publicZone}.`);
  expect(zone?.Config?.PrivateZone).toBe(false);
  const records = (await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone?.Id }))).ResourceRecordSets ?? [];
  expect(records.find((r) => r.Name === `${domain}.` && r.Type === "A")?.AliasTarget?.DNSName).toMatch(new RegExp(`^(dualstack\\.)?${lb?.DNSName?.replace(/\./g, "\\.")}\\.?$`, "i"));
  const validation = described?.DomainValidationOptions?.[0]?.ResourceRecord;
  expect(records.find((r) => r.Name === validation?.Name && r.Type === "CNAME")?.ResourceRecords?.map((r) => r.Value)).toEqual([validation?.Value]);

  const service = (await new ECSClient(aws).send(new DescribeServicesCommand({ cluster: "acme-local-order-tracking", services: ["acme-local-order-tracking"] }))).services?.[0];
  expect(service).toMatchObject({ status: "ACTIVE", launchType: "FARGATE", loadBalancers: [{ containerName: "app", containerPort: 8080 }] });
  expect(service?.networkConfiguration?.awsvpcConfiguration?.assignPublicIp).toBe("DISABLED");
}

import type { EnvironmentSpec } from "./define";

/** Values every environment shares; environment files state only what differs. */
export const base = {
  project: "acme",
  region: "eu-west-1",
  network: { vpcCidr: "10.0.0.0/16", azCount: 2, natMode: "single", flowLogs: true, interfaceEndpoints: false },
  dns: { privateZone: "acme.internal" },
  deletionProtection: true,
  s3TlsOnly: true,
  alarms: true,
  // Every environment's alerts reach the platform team; add the owning teams' addresses per environment.
  alerts: { emails: ["platform-alerts@acme.example"] },
  logRetentionDays: 90,
  github: { repository: "acme/platform", defaultBranch: "main", deployRef: "refs/heads/main" },
  eks: {
    enabled: false,
    version: "1.31",
    nodeInstanceTypes: ["t3.large"],
    nodeMinSize: 1,
    nodeDesiredSize: 2,
    nodeMaxSize: 4,
    publicEndpoint: false,
  },
} satisfies Omit<EnvironmentSpec, "name" | "accountId">;

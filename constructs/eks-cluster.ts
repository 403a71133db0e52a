import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { trustedByService } from "./iam";

export interface EksClusterProps {
  /** Cluster name. */
  readonly name: string;
  /** Kubernetes minor version, e.g. 1.31. */
  readonly version: string;
  /** Private subnets for the control plane ENIs and the nodes. */
  readonly subnetIds: string[];
  /** KMS key that envelope-encrypts Kubernetes secrets and the control-plane log group. */
  readonly kmsKeyArn: string;
  /** Node instance types of the managed node group. */
  readonly nodeInstanceTypes: string[];
  readonly nodeMinSize: number;
  readonly nodeDesiredSize: number;
  readonly nodeMaxSize: number;
  /** Expose the API endpoint publicly as well as privately. @default false */
  readonly publicEndpoint?: boolean;
  /** Control-plane log retention in days. @default 90 */
  readonly logRetentionDays?: number;
  /**
   * Who may use the Kubernetes API, by IAM role ARN: `admin` roles get cluster admin (the role that
   * applies module stacks), `view` roles read everything including Secrets, which Helm keeps its
   * releases in (the role that plans). Nobody else, the creator included. @default nobody
   */
  readonly access?: { readonly admin?: readonly string[]; readonly view?: readonly string[] };
}

/** EKS access policies (cluster scope) for the two kinds of access. */
export const EKS_ACCESS_POLICIES = {
  admin: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
  view: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
} as const;

const CONTROL_PLANE_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/**
 * An EKS cluster with private API access, all control-plane logs, KMS-encrypted secrets, a managed
 * node group and the IAM OIDC provider that IRSA roles trust.
 */
export class EksClusterWithIrsa extends Construct {
  public readonly cluster: EksCluster;
  public readonly oidcProvider: IamOpenidConnectProvider;
  /** Issuer URL without the scheme, as IRSA trust conditions name it. */
  public readonly oidcIssuer: string;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const logs = new CloudwatchLogGroup(this, "logs", {
      // EKS writes to exactly this name; creating it first sets retention and encryption.
      name: `/aws/eks/${props.name}/cluster`,
      retentionInDays: props.logRetentionDays ?? 90,
      kmsKeyId: props.kmsKeyArn,
    });

    const clusterRole = new IamRole(this, "cluster-role", {
      name: `${props.name}-eks-cluster`,
      assumeRolePolicy: trustedByService("eks.amazonaws.com"),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, "cluster-policy", {
      role: clusterRole.name,
      policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
    });

    this.cluster = new EksCluster(this, "cluster", {
      name: props.name,
      version: props.version,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: props.publicEndpoint ?? false,
      },
      enabledClusterLogTypes: CONTROL_PLANE_LOGS,
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: props.kmsKeyArn } },
      // Access is granted by the entries below, not by who happened to create the cluster.
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      dependsOn: [logs, clusterPolicy],
    });

    const nodeRole = new IamRole(this, "node-role", {
      name: `${props.name}-eks-node`,
      assumeRolePolicy: trustedByService("ec2.amazonaws.com"),
    });
    const nodePolicies = [
      "AmazonEKSWorkerNodePolicy",
      "AmazonEKS_CNI_Policy",
      "AmazonEC2ContainerRegistryReadOnly",
    ].map(
      (policy) =>
        new IamRolePolicyAttachment(this, `node-${policy}`, {
          role: nodeRole.name,
          policyArn: `arn:aws:iam::aws:policy/${policy}`,
        }),
    );
    new EksNodeGroup(this, "nodes", {
      clusterName: this.cluster.name,
      nodeGroupName: "default",
      nodeRoleArn: nodeRole.arn,
      subnetIds: props.subnetIds,
      instanceTypes: props.nodeInstanceTypes,
      scalingConfig: { minSize: props.nodeMinSize, desiredSize: props.nodeDesiredSize, maxSize: props.nodeMaxSize },
      updateConfig: { maxUnavailable: 1 },
      dependsOn: nodePolicies,
    });

    for (const kind of ["admin", "view"] as const) {
      (props.access?.[kind] ?? []).forEach((principalArn, i) => {
        const entry = new EksAccessEntry(this, `${kind}-access-${i}`, {
          clusterName: this.cluster.name,
          principalArn,
          type: "STANDARD",
        });
        new EksAccessPolicyAssociation(this, `${kind}-access-${i}-policy`, {
          clusterName: this.cluster.name,
          principalArn: entry.principalArn,
          policyArn: EKS_ACCESS_POLICIES[kind],
          accessScope: { type: "cluster" },
        });
      });
    }

    const issuer = this.cluster.identity.get(0).oidc.get(0).issuer;
    this.oidcProvider = new IamOpenidConnectProvider(this, "oidc", {
      url: issuer,
      clientIdList: ["sts.amazonaws.com"],
    });
    this.oidcIssuer = Fn.replace(issuer, "https://", "");
  }
}

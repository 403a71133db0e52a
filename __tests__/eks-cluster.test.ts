import { EKS_ACCESS_POLICIES, type EksClusterProps, EksClusterWithIrsa } from "../constructs/eks-cluster";
import { awsTestStack, onlyResource, resourcesOf, type StackJson, synthJson } from "./helpers";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/k";

function eks(props: Partial<EksClusterProps> = {}): StackJson {
  const stack = awsTestStack();
  new EksClusterWithIrsa(stack, "eks", {
    name: "acme-x",
    version: "1.33",
    subnetIds: ["subnet-a", "subnet-b"],
    kmsKeyArn: KEY,
    nodeInstanceTypes: ["m7g.large"],
    nodeMinSize: 2,
    nodeDesiredSize: 3,
    nodeMaxSize: 6,
    ...props,
  });
  return synthJson(stack);
}

describe("EksClusterWithIrsa", () => {
  const json = eks();

  test("defaults: private API only, every control-plane log to an encrypted group kept 90 days, secrets encrypted, access by entries only", () => {
    expect(onlyResource(json, "aws_eks_cluster")).toMatchObject({
      name: "acme-x",
      version: "1.33",
      vpc_config: {
        subnet_ids: ["subnet-a", "subnet-b"],
        endpoint_private_access: true,
        endpoint_public_access: false,
      },
      enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      encryption_config: { resources: ["secrets"], provider: { key_arn: KEY } },
      access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false },
    });
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toEqual({
      name: "/aws/eks/acme-x/cluster",
      retention_in_days: 90,
      kms_key_id: KEY,
    });
    // Nobody is given access unless named.
    expect(resourcesOf(json, "aws_eks_access_entry")).toEqual({});
  });

  test("a managed node group with its sizes and the three node policies; the OIDC provider IRSA roles trust", () => {
    expect(onlyResource(json, "aws_eks_node_group")).toMatchObject({
      node_group_name: "default",
      instance_types: ["m7g.large"],
      scaling_config: { min_size: 2, desired_size: 3, max_size: 6 },
      update_config: { max_unavailable: 1 },
    });
    expect(
      Object.values(resourcesOf(json, "aws_iam_role_policy_attachment"))
        .map((a) => String(a.policy_arn).replace("arn:aws:iam::aws:policy/", ""))
        .sort(),
    ).toEqual([
      "AmazonEC2ContainerRegistryReadOnly",
      "AmazonEKSClusterPolicy",
      "AmazonEKSWorkerNodePolicy",
      "AmazonEKS_CNI_Policy",
    ]);
    expect(onlyResource(json, "aws_iam_openid_connect_provider")).toMatchObject({
      client_id_list: ["sts.amazonaws.com"],
    });
  });

  test("props: a public endpoint, log retention, and cluster-wide admin and view access for the named roles", () => {
    const open = eks({
      publicEndpoint: true,
      logRetentionDays: 30,
      access: {
        admin: ["arn:aws:iam::1:role/apply"],
        view: ["arn:aws:iam::1:role/plan", "arn:aws:iam::1:role/planner"],
      },
    });
    expect((onlyResource(open, "aws_eks_cluster").vpc_config as Record<string, unknown>).endpoint_public_access).toBe(
      true,
    );
    expect(onlyResource(open, "aws_cloudwatch_log_group").retention_in_days).toBe(30);
    const associations = Object.values(resourcesOf(open, "aws_eks_access_policy_association")).map((a) => [
      a.policy_arn,
      a.access_scope,
    ]);
    expect(associations).toEqual([
      [EKS_ACCESS_POLICIES.admin, { type: "cluster" }],
      [EKS_ACCESS_POLICIES.view, { type: "cluster" }],
      [EKS_ACCESS_POLICIES.view, { type: "cluster" }],
    ]);
    expect(
      Object.values(resourcesOf(open, "aws_eks_access_entry"))
        .map((e) => e.principal_arn)
        .sort(),
    ).toEqual(["arn:aws:iam::1:role/apply", "arn:aws:iam::1:role/plan", "arn:aws:iam::1:role/planner"]);
  });
});

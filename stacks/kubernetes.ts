import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { ClusterAccess } from "../constructs/kubernetes-app";
import type { Environment } from "../environments";
import type { FoundationRef } from "./foundation-ref";

/** Foundation outputs a module needs to run workloads on the environment's cluster. */
export const KUBERNETES_INPUTS = [
  "eks_cluster_name",
  "eks_cluster_endpoint",
  "eks_cluster_ca_data",
  "eks_oidc_provider_arn",
  "eks_oidc_provider_url",
  "ecr_repository_urls",
] as const;
export type KubernetesInput = (typeof KUBERNETES_INPUTS)[number];

/** Version ranges written for the providers; the bindings pin the exact versions they came from. */
export const KUBERNETES_PROVIDER_CONSTRAINT = ">= 2.38.0, < 4.0.0";
export const HELM_PROVIDER_CONSTRAINT = ">= 3.1.1, < 4.0.0";

/**
 * Configures the kubernetes and helm providers of a module stack. EKS: endpoint and CA from the
 * foundation's remote state, short-lived tokens from `aws eks get-token` (nothing stored). Kind, the
 * local control plane or any other cluster: a kubeconfig path and context from the environment, and
 * IRSA where the environment names the cluster's service-account issuer.
 */
export function clusterAccess(
  scope: Construct,
  env: Environment,
  foundation: FoundationRef<KubernetesInput>,
): ClusterAccess | undefined {
  let connection: Record<string, unknown>;
  if (env.eks.enabled) {
    connection = {
      host: foundation.string("eks_cluster_endpoint"),
      clusterCaCertificate: Fn.base64decode(foundation.string("eks_cluster_ca_data")),
      exec: {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: "aws",
        args: ["eks", "get-token", "--cluster-name", foundation.string("eks_cluster_name"), "--region", env.region],
      },
    };
  } else if (env.kubeconfig) {
    connection = { configPath: env.kubeconfig.path, configContext: env.kubeconfig.context };
  } else {
    return undefined;
  }
  // The foundation publishes the OIDC provider of EKS, or of the issuer the environment names.
  const irsa =
    env.eks.enabled || env.kubeconfig?.serviceAccountIssuer
      ? {
          oidcProviderArn: foundation.string("eks_oidc_provider_arn"),
          oidcIssuer: foundation.string("eks_oidc_provider_url"),
        }
      : undefined;
  return { ...kubernetesProviders(scope, connection), irsa, vpcCidr: env.network.vpcCidr };
}

/** The kubernetes and helm providers of one cluster connection, at versions the toolchain's builds satisfy. */
export function kubernetesProviders(
  scope: Construct,
  connection: Record<string, unknown>,
): Pick<ClusterAccess, "kubernetes" | "helm"> {
  const stack = TerraformStack.of(scope);
  stack.addOverride("terraform.required_providers.kubernetes.version", KUBERNETES_PROVIDER_CONSTRAINT);
  stack.addOverride("terraform.required_providers.helm.version", HELM_PROVIDER_CONSTRAINT);
  return {
    kubernetes: new KubernetesProvider(scope, "kubernetes", connection),
    helm: new HelmProvider(scope, "helm", { kubernetes: connection }),
  };
}

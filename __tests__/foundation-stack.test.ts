import { Testing } from "cdktf";
import { FOUNDATION_OUTPUTS } from "../stacks/foundation-contract";
import { FoundationStack } from "../stacks/foundation-stack";
import { parseEnvironment } from "../environments";
import { env, envLocking, input, onlyResource, policy, resourcesOf, type StackJson, synthJson } from "./helpers";

function foundation(name: string, imageModules = ["file-processing", "order-tracking"]) {
  return synthJson(new FoundationStack(Testing.app(), { env: env(name), imageModules }));
}

const trustOf = (json: StackJson, suffix: string) => {
  const role = Object.values(resourcesOf(json, "aws_iam_role")).find((r) => String(r.name).endsWith(suffix));
  return policy(role?.assume_role_policy).Statement[0] as { Condition: Record<string, Record<string, unknown>> };
};

describe("FoundationStack", () => {
  const prod = foundation("prod");
  const dev = foundation("dev");

  test("VPC with one public and one private subnet per AZ, in distinct ranges", () => {
    expect(onlyResource(prod, "aws_vpc")).toMatchObject({ cidr_block: "10.30.0.0/16", enable_dns_hostnames: true });
    const subnets = Object.values(resourcesOf(prod, "aws_subnet"));
    expect(subnets).toHaveLength(6);
    expect(subnets.map((s) => s.availability_zone).sort()).toEqual([
      "eu-west-1a",
      "eu-west-1a",
      "eu-west-1b",
      "eu-west-1b",
      "eu-west-1c",
      "eu-west-1c",
    ]);
    expect(new Set(subnets.map((s) => s.cidr_block)).size).toBe(6);
    expect(subnets.map((s) => s.cidr_block)).toContain("10.30.128.0/20");
  });

  test("NAT follows the mode: per-az in prod, single in dev", () => {
    expect(Object.keys(resourcesOf(prod, "aws_nat_gateway"))).toHaveLength(3);
    expect(Object.keys(resourcesOf(dev, "aws_nat_gateway"))).toHaveLength(1);
    const privateDefaults = Object.values(resourcesOf(prod, "aws_route")).filter((r) => r.nat_gateway_id);
    expect(new Set(privateDefaults.map((r) => r.nat_gateway_id)).size).toBe(3);
  });

  test("VPC flow logs go to an encrypted CloudWatch log group", () => {
    expect(onlyResource(prod, "aws_flow_log")).toMatchObject({
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
    });
    const groups = Object.values(resourcesOf(prod, "aws_cloudwatch_log_group"));
    expect(groups.every((g) => String(g.kms_key_id).includes("aws_kms_key.key.arn"))).toBe(true);
  });

  test("a private Route53 zone attached to the VPC", () => {
    expect(resourcesOf(prod, "aws_route53_zone")["private-zone"]).toMatchObject({
      name: "acme.internal",
      vpc: [{ vpc_id: expect.stringContaining("aws_vpc") }],
    });
  });

  test("the environment's public zone, kept from destroy where the environment protects data, published in the contract", () => {
    const zone = resourcesOf(prod, "aws_route53_zone")["public-zone"];
    expect(zone).toMatchObject({ name: "acme.example", force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(zone.vpc).toBeUndefined();
    expect(prod.output?.public_zone_id?.value).toBe("${aws_route53_zone.public-zone.zone_id}");
    expect(prod.output?.public_zone_name_servers?.value).toBe("${aws_route53_zone.public-zone.name_servers}");
  });

  test("without dns.publicZone: no public zone, and the contract's public zone outputs are empty", () => {
    const raw = input("dev");
    const zoneless = synthJson(
      new FoundationStack(Testing.app(), {
        env: parseEnvironment({ ...raw, dns: { privateZone: raw.dns.privateZone } }),
        imageModules: [],
      }),
    );
    expect(Object.keys(resourcesOf(zoneless, "aws_route53_zone"))).toEqual(["private-zone"]);
    expect(zoneless.output?.public_zone_id?.value).toBe("");
    expect(zoneless.output?.public_zone_name_servers?.value).toEqual([]);
  });

  test("one ECR repository per image module: scan on push, immutable, KMS, untagged expiry", () => {
    const repos = resourcesOf(prod, "aws_ecr_repository");
    expect(
      Object.values(repos)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["acme/file-processing", "acme/order-tracking"]);
    for (const repo of Object.values(repos)) {
      expect(repo).toMatchObject({
        image_tag_mutability: "IMMUTABLE",
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: "KMS" }],
      });
    }
    const lifecycle = JSON.parse(String(Object.values(resourcesOf(prod, "aws_ecr_lifecycle_policy"))[0].policy));
    expect(lifecycle.rules[0].selection).toMatchObject({ tagStatus: "untagged", countType: "sinceImagePushed" });
  });

  test("GitHub OIDC: the plan role for pull requests and the default branch, the apply role for the environment's jobs only", () => {
    const github = Object.values(resourcesOf(prod, "aws_iam_openid_connect_provider")).filter(
      (p) => p.url === "https://token.actions.githubusercontent.com",
    );
    expect(github).toEqual([expect.objectContaining({ client_id_list: ["sts.amazonaws.com"] })]);
    expect(trustOf(prod, "github-plan").Condition).toEqual({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": [
          "repo:acme/platform:pull_request",
          "repo:acme/platform:ref:refs/heads/main",
        ],
      },
    });
    expect(trustOf(prod, "github-apply").Condition).toEqual({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": ["repo:acme/platform:environment:prod"],
      },
    });
    expect(trustOf(dev, "github-apply").Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toEqual([
      "repo:acme/platform:environment:dev",
    ]);
  });

  test("the apply role manages only the platform's roles, and passes them only to the services they are made for", () => {
    const iam = Object.values(resourcesOf(prod, "aws_iam_role_policy")).find((p) => p.name === "manage-platform-iam");
    const statements = policy(iam?.policy).Statement;
    const passing = statements.filter((s) => ([] as unknown[]).concat(s.Action).includes("iam:PassRole"));
    expect(passing).toEqual([
      {
        Sid: "PassPlatformRolesToTheirServices",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: "arn:aws:iam::*:role/acme-prod-*",
        Condition: {
          StringEquals: {
            "iam:PassedToService": [
              "ecs-tasks.amazonaws.com",
              "monitoring.rds.amazonaws.com",
              "vpc-flow-logs.amazonaws.com",
              "eks.amazonaws.com",
              "ec2.amazonaws.com",
              "lambda.amazonaws.com",
            ],
          },
        },
      },
    ]);
  });

  test("EKS (prod): the apply role administers the cluster, the plan and planner roles view it, the creator gets nothing implicit", () => {
    expect(onlyResource(prod, "aws_eks_cluster")).toMatchObject({
      access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false },
    });
    const entries = Object.values(resourcesOf(prod, "aws_eks_access_entry")).map((e) => e.principal_arn);
    expect(entries.sort()).toEqual([
      expect.stringMatching(/^\$\{aws_iam_role\.github_apply-role_\w+\.arn\}$/),
      expect.stringMatching(/^\$\{aws_iam_role\.github_plan-role_\w+\.arn\}$/),
      expect.stringMatching(/^\$\{aws_iam_role\.github_planner-role_\w+\.arn\}$/),
    ]);
    const policies = Object.values(resourcesOf(prod, "aws_eks_access_policy_association")).map((a) => [
      a.policy_arn,
      a.access_scope,
    ]);
    expect(policies.sort()).toEqual([
      ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy", { type: "cluster" }],
      ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy", { type: "cluster" }],
      ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", { type: "cluster" }],
    ]);
    expect(resourcesOf(dev, "aws_eks_access_entry")).toEqual({});
  });

  test("saved plans: only the planner role (GitHub environment <env>-plan) writes them, it reads none, and the plan role may not touch them", () => {
    expect(trustOf(prod, "github-planner").Condition).toEqual({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": ["repo:acme/platform:environment:prod-plan"],
      },
    });
    const policyNamed = (name: string) =>
      policy(Object.values(resourcesOf(prod, "aws_iam_role_policy")).find((p) => p.name === name)?.policy).Statement;
    const plans = "arn:aws:s3:::acme-prod-tfstate-333333333333/saved-plans/acme/prod/*";
    expect(policyNamed("save-plans")).toEqual([
      { Sid: "SavePlans", Effect: "Allow", Action: ["s3:PutObject"], Resource: plans },
      { Sid: "ReadNoSavedPlan", Effect: "Deny", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: plans },
    ]);
    expect(policyNamed("no-saved-plans")).toEqual([
      {
        Sid: "NeverTheSavedPlans",
        Effect: "Deny",
        Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject"],
        Resource: "arn:aws:s3:::acme-prod-tfstate-333333333333/saved-plans/*",
      },
    ]);
    const attached = (role: string) =>
      Object.values(resourcesOf(prod, "aws_iam_role_policy_attachment"))
        .filter((a) => String(a.role).includes(`github_${role}-role_`))
        .map((a) => a.policy_arn);
    expect(attached("planner")).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    expect(prod.output?.planner_role_arn).toBeDefined();
  });

  test("the plan role cannot write state: it writes lock objects only, and uses a lock table only where the environment has one", () => {
    const statementsOf = (json: StackJson) =>
      policy(
        Object.values(resourcesOf(json, "aws_iam_role_policy")).find((p) => p.name === "terraform-state-plan")?.policy,
      ).Statement;
    const s3Locks = statementsOf(prod);
    expect(s3Locks.flatMap((s) => s.Action as string[])).toContain("s3:GetObject");
    const writes = s3Locks.filter((s) =>
      (s.Action as string[]).some((a) => a === "s3:PutObject" || a === "s3:DeleteObject"),
    );
    expect(writes).toEqual([
      {
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:DeleteObject"],
        Resource: "arn:aws:s3:::acme-prod-tfstate-333333333333/acme/prod/*.tflock",
      },
    ]);
    expect(s3Locks.flatMap((s) => s.Action as string[]).filter((a) => a.startsWith("dynamodb:"))).toEqual([]);

    const tableLocks = statementsOf(
      synthJson(new FoundationStack(Testing.app(), { env: envLocking("prod", "dynamodb"), imageModules: [] })),
    );
    expect(tableLocks.flatMap((s) => s.Action as string[])).not.toContain("s3:PutObject");
    expect(tableLocks).toContainEqual({
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
      Resource: "arn:aws:dynamodb:eu-west-1:333333333333:table/acme-prod-tflock",
    });
    // Generated secret values are drawn at plan; the plan role may draw them and read no secret.
    expect(s3Locks).toContainEqual({
      Sid: "DrawGeneratedSecretValues",
      Effect: "Allow",
      Action: ["secretsmanager:GetRandomPassword"],
      Resource: "*",
    });
    expect(s3Locks.flatMap((s) => s.Action as string[]).filter((a) => a.startsWith("secretsmanager:"))).toEqual([
      "secretsmanager:GetRandomPassword",
    ]);
    // KMS: bootstrap's state key only (found by its alias), and only through S3 and DynamoDB.
    const stateKey = Object.values(prod.data?.aws_kms_alias ?? {}) as { name: string }[];
    expect(stateKey).toEqual([{ name: "alias/acme-prod-tfstate-333333333333" }]);
    for (const [statements, actions] of [
      [s3Locks, ["kms:Decrypt", "kms:GenerateDataKey"]],
      [tableLocks, ["kms:Decrypt"]],
    ] as const) {
      expect(statements.filter((s) => (s.Action as string[]).some((a) => a.startsWith("kms:")))).toEqual([
        {
          Effect: "Allow",
          Sid: "StateKeyThroughStateServices",
          Action: actions,
          Resource: expect.stringMatching(/^\$\{data\.aws_kms_alias\.state-key\.target_key_arn\}$/),
          Condition: {
            StringEquals: { "kms:ViaService": ["s3.eu-west-1.amazonaws.com", "dynamodb.eu-west-1.amazonaws.com"] },
          },
        },
      ]);
    }
  });

  test("the key lets this account's CloudFront distributions decrypt (static sites' buckets), nothing more", () => {
    const statements = policy(onlyResource(prod, "aws_kms_key").policy).Statement;
    expect(statements.filter((st) => JSON.stringify(st.Principal).includes("cloudfront"))).toEqual([
      {
        Sid: "CloudFrontReadsSiteBuckets",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: ["kms:Decrypt"],
        Resource: "*",
        Condition: { ArnLike: { "AWS:SourceArn": "arn:aws:cloudfront::333333333333:distribution/*" } },
      },
    ]);
  });

  test("publishes exactly the FoundationOutputs contract, each output described", () => {
    expect(Object.keys(prod.output ?? {}).sort()).toEqual(Object.keys(FOUNDATION_OUTPUTS).sort());
    for (const [name, spec] of Object.entries(FOUNDATION_OUTPUTS)) {
      expect(prod.output?.[name]?.description).toBe(spec.description);
    }
  });

  test("central log bucket and log group", () => {
    const buckets = Object.values(resourcesOf(prod, "aws_s3_bucket"));
    expect(buckets.map((b) => b.bucket)).toEqual(["acme-prod-logs-333333333333"]);
    expect(Object.values(resourcesOf(prod, "aws_cloudwatch_log_group")).map((g) => g.name)).toContain(
      "/acme/prod/platform",
    );
  });

  test("state in the environment's bucket under acme/<env>/<env>-foundation", () => {
    expect(dev.terraform.backend?.s3).toMatchObject({
      key: "acme/dev/dev-foundation/terraform.tfstate",
      bucket: "acme-dev-tfstate-111111111111",
    });
  });
});

import { GithubOidcRoles, type GithubOidcRolesProps } from "../constructs/github-oidc";
import { awsTestStack, policy, resourcesOf, type StackJson, synthJson } from "./helpers";

const BASE: GithubOidcRolesProps = {
  namePrefix: "acme-x",
  repository: "acme/platform",
  applyEnvironment: "x",
  planRefs: ["refs/heads/main"],
  stateBucketName: "state-bucket",
  lockObjectsArn: "arn:aws:s3:::state-bucket/acme/x/*.tflock",
  region: "eu-west-1",
  stateKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/state",
  savedPlansArn: "arn:aws:s3:::state-bucket/saved-plans/acme/x/*",
};

function roles(props: Partial<GithubOidcRolesProps> = {}): StackJson {
  const stack = awsTestStack();
  new GithubOidcRoles(stack, "github", { ...BASE, ...props });
  return synthJson(stack);
}

const roleNamed = (json: StackJson, name: string) =>
  Object.values(resourcesOf(json, "aws_iam_role")).find((r) => r.name === name)!;
const subjects = (json: StackJson, name: string) =>
  policy(roleNamed(json, name).assume_role_policy).Statement[0].Condition as Record<string, Record<string, unknown>>;
const inline = (json: StackJson, name: string) =>
  policy(Object.values(resourcesOf(json, "aws_iam_role_policy")).find((p) => p.name === name)?.policy).Statement;

describe("GithubOidcRoles", () => {
  const json = roles();

  test("three roles, each trusting exactly its subjects of GitHub's OIDC tokens for STS", () => {
    expect(
      Object.values(resourcesOf(json, "aws_iam_role"))
        .map((r) => r.name)
        .sort(),
    ).toEqual(["acme-x-github-apply", "acme-x-github-plan", "acme-x-github-planner"]);
    const issuer = "token.actions.githubusercontent.com";
    expect(subjects(json, "acme-x-github-plan")).toEqual({
      StringEquals: {
        [`${issuer}:aud`]: "sts.amazonaws.com",
        [`${issuer}:sub`]: ["repo:acme/platform:pull_request", "repo:acme/platform:ref:refs/heads/main"],
      },
    });
    expect(subjects(json, "acme-x-github-planner").StringEquals[`${issuer}:sub`]).toEqual([
      "repo:acme/platform:environment:x-plan",
    ]);
    expect(subjects(json, "acme-x-github-apply").StringEquals[`${issuer}:sub`]).toEqual([
      "repo:acme/platform:environment:x",
    ]);
  });

  test("plan and planner read state, write only lock objects, and use the state key only through S3 and DynamoDB", () => {
    const statements = inline(json, "terraform-state-plan");
    expect(statements).toEqual([
      {
        Effect: "Allow",
        Action: ["s3:ListBucket", "s3:GetBucketVersioning"],
        Resource: "arn:aws:s3:::state-bucket",
      },
      { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::state-bucket/*" },
      {
        Sid: "DrawGeneratedSecretValues",
        Effect: "Allow",
        Action: ["secretsmanager:GetRandomPassword"],
        Resource: "*",
      },
      {
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:DeleteObject"],
        Resource: "arn:aws:s3:::state-bucket/acme/x/*.tflock",
      },
      {
        Effect: "Allow",
        Sid: "StateKeyThroughStateServices",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: "arn:aws:kms:eu-west-1:111111111111:key/state",
        Condition: {
          StringEquals: { "kms:ViaService": ["s3.eu-west-1.amazonaws.com", "dynamodb.eu-west-1.amazonaws.com"] },
        },
      },
    ]);
    // The same policy on both read-only roles.
    expect(
      Object.values(resourcesOf(json, "aws_iam_role_policy")).filter((p) => p.name === "terraform-state-plan"),
    ).toHaveLength(2);
  });

  test("with a lock table: its items instead of lock objects, and the key only to decrypt", () => {
    const table = roles({
      lockObjectsArn: undefined,
      lockTableArn: "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-x-tflock",
    });
    const statements = inline(table, "terraform-state-plan");
    expect(statements).toContainEqual({
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
      Resource: "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-x-tflock",
    });
    expect(statements.flatMap((s) => s.Action as string[])).not.toContain("s3:PutObject");
    expect(statements.find((s) => s.Sid === "StateKeyThroughStateServices")?.Action).toEqual(["kms:Decrypt"]);
  });

  test("saved plans: the planner writes and never reads them, the plan role may not touch any", () => {
    expect(inline(json, "save-plans")).toEqual([
      {
        Sid: "SavePlans",
        Effect: "Allow",
        Action: ["s3:PutObject"],
        Resource: "arn:aws:s3:::state-bucket/saved-plans/acme/x/*",
      },
      {
        Sid: "ReadNoSavedPlan",
        Effect: "Deny",
        Action: ["s3:GetObject", "s3:GetObjectVersion"],
        Resource: "arn:aws:s3:::state-bucket/saved-plans/acme/x/*",
      },
    ]);
    expect(inline(json, "no-saved-plans")).toEqual([
      {
        Sid: "NeverTheSavedPlans",
        Effect: "Deny",
        Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject"],
        Resource: "arn:aws:s3:::state-bucket/saved-plans/*",
      },
    ]);
  });

  test("the apply role: PowerUser, and IAM only on the prefix's roles, passed only to their services", () => {
    const attached = Object.values(resourcesOf(json, "aws_iam_role_policy_attachment"))
      .map((a) => a.policy_arn)
      .sort();
    expect(attached).toEqual([
      "arn:aws:iam::aws:policy/PowerUserAccess",
      "arn:aws:iam::aws:policy/ReadOnlyAccess",
      "arn:aws:iam::aws:policy/ReadOnlyAccess",
    ]);
    const iam = inline(json, "manage-platform-iam");
    expect(iam[0].Resource).toBe("arn:aws:iam::*:role/acme-x-*");
    expect(iam.find((s) => s.Sid === "PassPlatformRolesToTheirServices")?.Resource).toBe(
      "arn:aws:iam::*:role/acme-x-*",
    );
  });
});

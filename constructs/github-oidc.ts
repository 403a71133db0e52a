import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { ROLE_SERVICES } from "./iam";
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_ISSUER, githubSubject, planEnvironment } from "../core/github";
import { SAVED_PLANS } from "../core/naming";

export interface GithubOidcRolesProps {
  /** Prefix for role names, e.g. acme-dev. */
  readonly namePrefix: string;
  /** `owner/repo` whose workflows may assume the roles. */
  readonly repository: string;
  /**
   * GitHub environment whose jobs may assume the apply role. Which branches or tags may deploy to
   * it is that environment's deployment rule in GitHub.
   */
  readonly applyEnvironment: string;
  /** Refs whose jobs (without an environment) may assume the plan role, e.g. the default branch for drift checks. */
  readonly planRefs: readonly string[];
  /** State bucket the plan role reads. */
  readonly stateBucketName: string;
  /** Lock table the plan role takes locks in, where the environment locks with one. */
  readonly lockTableArn?: string;
  /** Lock objects (`<state key>.tflock`) the plan role writes and deletes, where the environment locks with S3. */
  readonly lockObjectsArn?: string;
  /** Region of the state bucket (for the KMS via-service condition). */
  readonly region: string;
  /** The key that encrypts the state bucket: the one key the plan role may decrypt (and lock with). */
  readonly stateKeyArn: string;
  /**
   * Where this environment's plans saved for review go (`arn:aws:s3:::<bucket>/saved-plans/<prefix>/*`):
   * the planner role writes them, the apply role reads them, the plan role may not touch any.
   */
  readonly savedPlansArn: string;
}

/**
 * GitHub Actions OIDC federation with three roles, no long-lived keys: a read-only plan role for pull
 * requests and scheduled checks on the listed refs; a planner role, read-only too but for saving the
 * plans an apply will apply, that only jobs in the GitHub environment `<environment>-plan` can
 * assume (no reviewers, the environment's deployment rule); and an apply role that only jobs in the
 * GitHub environment itself can assume. Subjects are matched exactly (StringEquals), never by pattern.
 * Saved plans are out of the plan role's reach: a pull request can change its own workflow, and must
 * not be able to read or plant the plan an apply will run.
 */
export class GithubOidcRoles extends Construct {
  public readonly provider: IamOpenidConnectProvider;
  public readonly planRole: IamRole;
  public readonly plannerRole: IamRole;
  public readonly applyRole: IamRole;

  constructor(scope: Construct, id: string, props: GithubOidcRolesProps) {
    super(scope, id);
    this.provider = new IamOpenidConnectProvider(this, "provider", {
      url: `https://${GITHUB_OIDC_ISSUER}`,
      clientIdList: [GITHUB_OIDC_AUDIENCE],
    });

    this.planRole = this.createReadOnlyRole(props, "plan", {
      name: `${props.namePrefix}-github-plan`,
      description: "Assumed by pull-request and drift-check workflows to run terraform plan; read-only.",
      subjects: [
        githubSubject.pullRequest(props.repository),
        ...props.planRefs.map((ref) => githubSubject.ref(props.repository, ref)),
      ],
    });
    new IamRolePolicy(this, "plan-no-saved-plans", {
      role: this.planRole.id,
      name: "no-saved-plans",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "NeverTheSavedPlans",
            Effect: "Deny",
            Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject"],
            Resource: `arn:aws:s3:::${props.stateBucketName}/${SAVED_PLANS}/*`,
          },
        ],
      }),
    });
    this.plannerRole = this.createReadOnlyRole(props, "planner", {
      name: `${props.namePrefix}-github-planner`,
      description:
        "Assumed by the apply workflow's plan job to save the plan its apply job applies; read-only otherwise.",
      subjects: [githubSubject.environment(props.repository, planEnvironment(props.applyEnvironment))],
    });
    new IamRolePolicy(this, "planner-saved-plans", {
      role: this.plannerRole.id,
      name: "save-plans",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "SavePlans", Effect: "Allow", Action: ["s3:PutObject"], Resource: props.savedPlansArn },
          // It writes them (encrypted with the state key, GenerateDataKey above) and reads none.
          {
            Sid: "ReadNoSavedPlan",
            Effect: "Deny",
            Action: ["s3:GetObject", "s3:GetObjectVersion"],
            Resource: props.savedPlansArn,
          },
        ],
      }),
    });
    this.applyRole = this.createApplyRole(props);
  }

  /** A trust policy for GitHub's OIDC tokens of this audience and these subjects only. */
  private trust(subjects: string[]): string {
    return JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: this.provider.arn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${GITHUB_OIDC_ISSUER}:aud`]: GITHUB_OIDC_AUDIENCE,
              [`${GITHUB_OIDC_ISSUER}:sub`]: subjects,
            },
          },
        },
      ],
    });
  }

  /** A role that plans: AWS ReadOnlyAccess, reads state and takes state locks; it never writes state. */
  private createReadOnlyRole(
    props: GithubOidcRolesProps,
    id: "plan" | "planner",
    role: { name: string; description: string; subjects: string[] },
  ): IamRole {
    const readOnly = new IamRole(this, `${id}-role`, {
      name: role.name,
      description: role.description,
      assumeRolePolicy: this.trust(role.subjects),
      maxSessionDuration: 3600,
    });
    new IamRolePolicyAttachment(this, `${id}-readonly`, {
      role: readOnly.name,
      policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
    });
    new IamRolePolicy(this, `${id}-state`, {
      role: readOnly.id,
      name: "terraform-state-plan",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          // GetBucketVersioning: the locking preflight of npm run plan and drift reads it.
          {
            Effect: "Allow",
            Action: ["s3:ListBucket", "s3:GetBucketVersioning"],
            Resource: `arn:aws:s3:::${props.stateBucketName}`,
          },
          { Effect: "Allow", Action: ["s3:GetObject"], Resource: `arn:aws:s3:::${props.stateBucketName}/*` },
          // Generated passwords are ephemeral resources, drawn again at every plan (constructs/ephemeral.ts);
          // drawing one reads and changes nothing.
          {
            Sid: "DrawGeneratedSecretValues",
            Effect: "Allow",
            Action: ["secretsmanager:GetRandomPassword"],
            Resource: "*",
          },
          ...(props.lockTableArn
            ? [
                {
                  Effect: "Allow",
                  Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
                  Resource: props.lockTableArn,
                },
              ]
            : []),
          // A lock object is the only thing the plan role writes; the bucket encrypts it with the state key.
          ...(props.lockObjectsArn
            ? [{ Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: props.lockObjectsArn }]
            : []),
          {
            Effect: "Allow",
            Sid: "StateKeyThroughStateServices",
            Action: props.lockObjectsArn ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"],
            Resource: props.stateKeyArn,
            Condition: {
              StringEquals: {
                "kms:ViaService": [`s3.${props.region}.amazonaws.com`, `dynamodb.${props.region}.amazonaws.com`],
              },
            },
          },
        ],
      }),
    });

    return readOnly;
  }

  private createApplyRole(props: GithubOidcRolesProps): IamRole {
    const applyRole = new IamRole(this, "apply-role", {
      name: `${props.namePrefix}-github-apply`,
      description: `Assumed by workflow jobs running in the GitHub environment ${props.applyEnvironment} to apply.`,
      assumeRolePolicy: this.trust([githubSubject.environment(props.repository, props.applyEnvironment)]),
      maxSessionDuration: 3600,
    });
    new IamRolePolicyAttachment(this, "apply-poweruser", {
      role: applyRole.name,
      policyArn: "arn:aws:iam::aws:policy/PowerUserAccess",
    });
    // PowerUser excludes IAM; allow only the IAM the stacks manage: roles and policies under the prefix.
    new IamRolePolicy(this, "apply-iam", {
      role: applyRole.id,
      name: "manage-platform-iam",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: [
              "iam:CreateRole",
              "iam:DeleteRole",
              "iam:GetRole",
              "iam:UpdateRole",
              "iam:TagRole",
              "iam:UntagRole",
              "iam:UpdateAssumeRolePolicy",
              "iam:PutRolePolicy",
              "iam:DeleteRolePolicy",
              "iam:GetRolePolicy",
              "iam:ListRolePolicies",
              "iam:AttachRolePolicy",
              "iam:DetachRolePolicy",
              "iam:ListAttachedRolePolicies",
              "iam:ListInstanceProfilesForRole",
            ],
            Resource: `arn:aws:iam::*:role/${props.namePrefix}-*`,
          },
          {
            Sid: "PassPlatformRolesToTheirServices",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: `arn:aws:iam::*:role/${props.namePrefix}-*`,
            Condition: { StringEquals: { "iam:PassedToService": [...ROLE_SERVICES] } },
          },
          {
            Effect: "Allow",
            Action: [
              "iam:CreateOpenIDConnectProvider",
              "iam:DeleteOpenIDConnectProvider",
              "iam:GetOpenIDConnectProvider",
              "iam:TagOpenIDConnectProvider",
              "iam:UpdateOpenIDConnectProviderThumbprint",
              "iam:AddClientIDToOpenIDConnectProvider",
            ],
            Resource: "arn:aws:iam::*:oidc-provider/*",
          },
        ],
      }),
    });
    return applyRole;
  }
}

/**
 * The `sub` claim GitHub Actions puts in its OIDC token, in the formats GitHub documents. Written
 * here once: the roles' trust policies and the workflow checks both use these functions.
 *
 * A job that names an `environment` gets the environment form whatever triggered it; otherwise a
 * pull request gets the pull_request form and anything else the ref form of the branch or tag it
 * ran on (schedule and workflow_dispatch run on a branch).
 */

/** The OIDC issuer of GitHub Actions (host only, as IAM condition keys name it). */
export const GITHUB_OIDC_ISSUER = "token.actions.githubusercontent.com";
/** The audience aws-actions/configure-aws-credentials requests. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

export const githubSubject = {
  environment: (repository: string, environment: string) => `repo:${repository}:environment:${environment}`,
  pullRequest: (repository: string) => `repo:${repository}:pull_request`,
  /** `ref` is a full ref: refs/heads/main, refs/tags/v1.2.0. */
  ref: (repository: string, ref: string) => `repo:${repository}:ref:${ref}`,
};

/**
 * The GitHub environment of the apply workflow's plan job for `environment`: no reviewers, and the
 * same deployment rule (branches, tags) as `environment` itself, so that only refs that may deploy
 * there may save the plan its apply job applies.
 */
export const planEnvironment = (environment: string) => `${environment}-plan`;

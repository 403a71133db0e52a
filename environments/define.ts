import type { EnvironmentInput, LockingMode } from "./schema";

/**
 * Lock objects beside the state (S3 conditional writes): no table to create, pay for or grant, and
 * the way both engines lock from 1.10 on (Terraform 1.11 deprecated the DynamoDB table).
 */
export const DEFAULT_LOCKING: LockingMode = "s3";

/** Fields an environment file may leave out because they are derived from the others. */
type Derived = "state" | "tags" | "allowedAccountIds";
type StateInput = Partial<EnvironmentInput["state"]>;
type TagsInput = Partial<EnvironmentInput["tags"]>;

/** What an environment file states: the base plus what differs, derived fields optional. */
export type EnvironmentSpec = Omit<EnvironmentInput, Derived> & {
  readonly state?: StateInput;
  readonly tags?: TagsInput;
  readonly allowedAccountIds?: string[];
};

/**
 * Fills in the derived fields: state bucket, its access log bucket and key prefix from project, name and
 * account; locking "s3", and a lock table only where locking uses one; state protection on unless the
 * environment runs against an emulator; tags from the environment; allowed accounts from the account.
 * Overrides win.
 * Validation happens later, once, in loadEnvironments.
 */
export function defineEnvironment(spec: EnvironmentSpec): EnvironmentInput {
  const { project, name, accountId } = spec;
  return {
    ...spec,
    allowedAccountIds: spec.allowedAccountIds ?? [accountId],
    state: {
      bucket: `${project}-${name}-tfstate-${accountId}`,
      accessLogBucket: `${project}-${name}-tfstate-logs-${accountId}`,
      keyPrefix: `${project}/${name}`,
      protect: spec.endpoint === undefined,
      locking: DEFAULT_LOCKING,
      ...spec.state,
      // The table exists while the environment locks with it; after a move to "s3" it stays only
      // if the environment names it (the runbook's last step removes it).
      lockTable:
        spec.state?.lockTable ??
        ((spec.state?.locking ?? DEFAULT_LOCKING) === "s3" ? undefined : `${project}-${name}-tflock`),
    },
    tags: {
      Project: project,
      Environment: name,
      Owner: "platform",
      CostCenter: "platform",
      ManagedBy: "cdktf",
      ...spec.tags,
    },
  };
}

import type { EnvironmentInput } from "./schema";

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
 * Fills in the derived fields: state bucket, its access log bucket, lock table and key prefix from project, name and
 * account, state protection on unless the environment runs against an emulator; tags from the environment; allowed
 * accounts from the account. Overrides win.
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
      lockTable: `${project}-${name}-tflock`,
      keyPrefix: `${project}/${name}`,
      protect: spec.endpoint === undefined,
      ...spec.state,
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

import { ConfigError, parseEnvironment } from "../environments";
import { defineEnvironment } from "../environments/define";
import { localEnvironment } from "../environments/local";
import { engineProblems, parseEngine, versioningProblems } from "../scripts/lib/engine";
import { describeLocking } from "../scripts/state";
import { stateBackendConfig } from "../stacks/state";
import { env, envLocking, input, thrownMessage } from "./helpers";

const errorOf = (fn: () => unknown) => thrownMessage(fn, ConfigError);

describe("state locking modes", () => {
  test("an unknown mode is refused, naming the valid ones and what each does", () => {
    const raw = input("dev");
    const message = errorOf(() => parseEnvironment({ ...raw, state: { ...raw.state, locking: "dynamo" as never } }));
    expect(message).toContain("state.locking");
    expect(message).toContain('must be one of "s3", "dynamodb", "both"');
  });

  test("locking with a table needs the table's name", () => {
    const raw = input("dev");
    const message = errorOf(() =>
      parseEnvironment({ ...raw, state: { ...raw.state, locking: "both", lockTable: undefined } }),
    );
    expect(message).toContain("state.lockTable");
    expect(message).toContain('locking "dynamodb" and "both" need state.lockTable');
  });

  test("the table is derived where locking uses it, absent for s3, and kept when an s3 environment names it", () => {
    const spec = { ...input("dev"), state: undefined, tags: undefined, allowedAccountIds: undefined };
    expect(defineEnvironment(spec).state).toMatchObject({ locking: "s3", lockTable: undefined });
    expect(defineEnvironment({ ...spec, state: { locking: "dynamodb" } }).state.lockTable).toBe("acme-dev-tflock");
    expect(defineEnvironment({ ...spec, state: { locking: "both" } }).state.lockTable).toBe("acme-dev-tflock");
    expect(defineEnvironment({ ...spec, state: { locking: "s3", lockTable: "acme-dev-tflock" } }).state).toMatchObject({
      locking: "s3",
      lockTable: "acme-dev-tflock",
    });
  });

  test("PLATFORM_LOCAL_LOCKING picks local's mode; a wrong value is named", () => {
    expect(parseEnvironment(localEnvironment({ PLATFORM_LOCAL_LOCKING: "dynamodb" })).state).toMatchObject({
      locking: "dynamodb",
      lockTable: "acme-local-tflock",
    });
    expect(parseEnvironment(localEnvironment({})).state.locking).toBe("s3");
    expect(errorOf(() => parseEnvironment(localEnvironment({ PLATFORM_LOCAL_LOCKING: "s4" })))).toContain(
      "PLATFORM_LOCAL_LOCKING",
    );
  });

  test("one function writes the locking of every backend and remote-state read", () => {
    expect(stateBackendConfig(env("dev"), "foundation")).toMatchObject({ useLockfile: true });
    expect(stateBackendConfig(env("dev"), "foundation")).not.toHaveProperty("dynamodbTable");
    expect(stateBackendConfig(envLocking("dev", "dynamodb"), "foundation")).toMatchObject({
      dynamodbTable: "acme-dev-tflock",
    });
    expect(stateBackendConfig(envLocking("dev", "dynamodb"), "foundation")).not.toHaveProperty("useLockfile");
    expect(stateBackendConfig(envLocking("dev", "both"), "foundation")).toMatchObject({
      useLockfile: true,
      dynamodbTable: "acme-dev-tflock",
    });
  });
});

describe("engine and locking preflight", () => {
  const tofu = parseEngine("tofu", "OpenTofu v1.12.6\non linux_amd64\n");
  const oldTerraform = parseEngine("terraform", "Terraform v1.9.8\non linux_amd64\n");

  test("reads both engines' version lines, and refuses anything else", () => {
    expect(tofu).toEqual({ binary: "tofu", name: "OpenTofu", version: "1.12.6" });
    expect(parseEngine("terraform", "Terraform v1.11.4\non linux_amd64\n")).toEqual({
      binary: "terraform",
      name: "Terraform",
      version: "1.11.4",
    });
    expect(() => parseEngine("x", "x 1.0")).toThrow('x version printed neither "OpenTofu v..." nor "Terraform v..."');
  });

  test("the stacks need 1.11 or later of either engine (ephemeral resources, write-only arguments); the refusal names both versions", () => {
    expect(engineProblems(tofu)).toEqual([]);
    expect(engineProblems(parseEngine("terraform", "Terraform v1.11.0"))).toEqual([]);
    expect(engineProblems(parseEngine("terraform", "Terraform v2.0.0"))).toEqual([]);
    for (const old of [oldTerraform, parseEngine("tofu", "OpenTofu v1.10.6")]) {
      expect(engineProblems(old)).toEqual([
        `${old.name} ${old.version} (${old.binary}) is older than the stacks need: they use ephemeral resources and write-only arguments (generated secrets stay out of state and saved plans) and S3 lock objects, which need OpenTofu or Terraform 1.11 or later; install one (the offline toolchain builds OpenTofu: bash local/toolchain.sh) or point TERRAFORM_BINARY_NAME at it`,
      ]);
    }
  });

  test("S3 locks on a bucket without versioning are refused; a bucket not created yet is not", () => {
    const bucket = env("dev").state.bucket;
    expect(versioningProblems([env("dev")], new Map([[bucket, "Enabled"]]))).toEqual([]);
    expect(versioningProblems([env("dev")], new Map([[bucket, undefined]]))).toEqual([]);
    expect(versioningProblems([envLocking("dev", "dynamodb")], new Map([[bucket, ""]]))).toEqual([]);
    expect(versioningProblems([envLocking("dev", "both")], new Map([[bucket, "Suspended"]]))).toEqual([
      `environment dev: state.locking "both" needs versioning on the state bucket ${bucket}, which is suspended; run npm run bootstrap -- dev (it enables versioning), or set state.locking to "dynamodb"`,
    ]);
    expect(versioningProblems([env("dev")], new Map([[bucket, ""]]))[0]).toContain("which is not enabled");
  });

  test("bootstrap says where locks live and what the table protects", () => {
    expect(describeLocking(env("dev"))).toBe(
      "state locking: s3; each stack's lock is the object acme/dev/<stack>/terraform.tfstate.tflock in acme-dev-tfstate-111111111111; no lock table",
    );
    expect(describeLocking(envLocking("dev", "dynamodb"))).toBe(
      "state locking: dynamodb; the lock table acme-dev-tflock holds every stack's lock",
    );
    expect(describeLocking(envLocking("dev", "both"))).toContain(
      "and its item in the lock table acme-dev-tflock: a stack is locked only when it holds both",
    );
    const kept = parseEnvironment({
      ...input("dev"),
      state: { ...input("dev").state, locking: "s3", lockTable: "acme-dev-tflock" },
    });
    expect(describeLocking(kept)).toContain(
      "The lock table acme-dev-tflock protects nothing now: it is kept until state.lockTable is removed",
    );
  });
});

import { planPlatform } from "../app";
import { loadEnvironments } from "../environments";
import { MODULE_NAMES, MODULES, platformInputs } from "../packages";
import { FoundationStack } from "../stacks/foundation-stack";
import { stateBackendConfig } from "../stacks/state";
import { stacksOfEnvironment, synthesizedPlatform } from "./helpers";

/** Every stack of every environment as synth wrote it, and the plans it was built from. */
const { stacks: json, dependencies } = synthesizedPlatform();
const plans = planPlatform(loadEnvironments(platformInputs({}), undefined), MODULES);
const moduleStackNames = plans.flatMap((p) => p.modules.map((m) => `${p.env.name}-${m.module.name}`));

describe("state contract", () => {
  test("4 environments x (bootstrap + foundation + each registered module)", () => {
    expect(json.size).toBe(4 * (2 + MODULE_NAMES.length));
    expect(moduleStackNames).toHaveLength(4 * MODULE_NAMES.length);
  });

  test.each(moduleStackNames)("%s reads the foundation through exactly the foundation's own backend config", (name) => {
    const stack = json.get(name)!;
    const foundationName = name.split("-")[0] + "-foundation";
    const foundationBackend = json.get(foundationName)!.terraform.backend?.s3;
    const remoteStates = Object.values(stack.data?.terraform_remote_state ?? {});
    expect(remoteStates).toHaveLength(1);
    expect(remoteStates[0]).toEqual({ backend: "s3", config: foundationBackend });
  });

  test("no module reads another module's state or a key other than its foundation's", () => {
    for (const name of moduleStackNames) {
      const keys = Object.values(json.get(name)!.data?.terraform_remote_state ?? {}).map(
        (r) => (r.config as { key: string }).key,
      );
      const envName = name.split("-")[0];
      expect(keys).toEqual([`acme/${envName}/${envName}-foundation/terraform.tfstate`]);
    }
  });

  test("every stack, bootstrap once migrated, uses the S3 backend with S3 lock objects (the default) and encryption", () => {
    for (const [name, stack] of json) {
      const s3 = stack.terraform.backend?.s3 as Record<string, unknown>;
      expect(s3).toMatchObject({ encrypt: true, use_lockfile: true, key: expect.stringContaining(`/${name}/`) });
      expect(s3.dynamodb_table).toBeUndefined();
    }
  });

  test("all state keys are unique", () => {
    const keys = [...json.values()].map((s) => (s.terraform.backend?.s3 as { key: string }).key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test("backend config comes from one function: a stack's backend equals stateBackendConfig", () => {
    for (const { env } of plans) {
      const backend = json.get(`${env.name}-foundation`)!.terraform.backend?.s3 as Record<string, unknown>;
      const expected = stateBackendConfig(env, FoundationStack.STACK);
      expect(backend.key).toBe(expected.key);
      expect(backend.bucket).toBe(expected.bucket);
    }
  });

  test("no automatic cross-stack references: no stack exposes or reads another's outputs implicitly", () => {
    for (const [, stack] of json) {
      const outputs = Object.keys(stack.output ?? {});
      expect(outputs.filter((o) => o.startsWith("cross-stack-output"))).toEqual([]);
      expect(Object.keys(stack.data?.terraform_remote_state ?? {}).every((id) => id.startsWith("foundation"))).toBe(
        true,
      );
    }
  });

  test("local writes the emulator endpoint into provider, backend and every remote state (tflocal reads no JSON)", () => {
    for (const [name, stack] of json) {
      if (!name.startsWith("local-")) continue;
      expect((stack.terraform.backend?.s3 as { endpoints: Record<string, string> }).endpoints.s3).toBe(
        "http://localhost:4566",
      );
      expect((stack.provider?.aws[0].endpoints as Record<string, string>[])[0].s3).toBe("http://localhost:4566");
      for (const rs of Object.values(stack.data?.terraform_remote_state ?? {})) {
        expect(rs.config).toMatchObject({ endpoints: { s3: "http://localhost:4566" }, use_path_style: true });
      }
    }
    for (const [name, stack] of json) {
      if (name.startsWith("local-")) continue;
      expect(JSON.stringify(stack)).not.toContain("localhost");
    }
  });
});

describe("stack names and order", () => {
  test("names are <env>-<stack>", () => {
    expect([...json.keys()].filter((n) => n.startsWith("dev-")).sort()).toEqual(stacksOfEnvironment("dev").sort());
  });

  test("dependencies run bootstrap -> foundation -> modules within one environment", () => {
    for (const [name, deps] of dependencies) {
      const [envName, ...rest] = name.split("-");
      const kind = rest.join("-");
      if (kind === "bootstrap") expect(deps).toEqual([]);
      else if (kind === "foundation") expect(deps).toEqual([`${envName}-bootstrap`]);
      else expect(deps).toEqual([`${envName}-foundation`]);
    }
  });

  test("every provider has default tags; every real-account provider is pinned to its account", () => {
    for (const [name, stack] of json) {
      const aws = stack.provider?.aws[0] as {
        default_tags: { tags: Record<string, string> }[];
        allowed_account_ids?: string[];
      };
      expect(aws.default_tags[0].tags).toMatchObject({
        Project: "acme",
        Environment: name.split("-")[0],
        ManagedBy: "cdktf",
      });
      const envName = name.split("-")[0];
      if (envName === "local") expect(aws.allowed_account_ids).toBeUndefined();
      else expect(aws.allowed_account_ids).toEqual([plans.find((p) => p.env.name === envName)!.env.accountId]);
    }
  });
});

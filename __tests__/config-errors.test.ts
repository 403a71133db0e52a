import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planPlatform, selectStacks } from "../app";
import { moduleEntry, unknownEnvironmentKeys } from "../environments/module-entries";
import { ConfigError, loadEnvironments, parseEnvironment } from "../environments";
import { MODULE_NAMES, MODULES, moduleEnvironments, platformInputs } from "../packages";
import type { ModuleDefinition } from "../stacks/module-api";
import { FoundationRef } from "../stacks/foundation-ref";
import { env, input, stacksOfEnvironment, thrownMessage } from "./helpers";
import { synthProcess } from "./synth-process";
import { TerraformStack, Testing } from "cdktf";

const messageOf = (fn: () => unknown) => thrownMessage(fn);

const plans = () => planPlatform(loadEnvironments(platformInputs({}), undefined), MODULES);

describe("bad input is refused with a message that says what and how to fix", () => {
  test("more AZs than the region has", () => {
    const bad = input("staging");
    bad.network.azCount = 4;
    expect(messageOf(() => parseEnvironment(bad))).toContain(
      "network.azCount: is more than the region has availability zones",
    );
  });

  test("a region without a zone list", () => {
    const bad = input("dev");
    bad.region = "me-central-1";
    expect(messageOf(() => parseEnvironment(bad))).toContain(
      "region: has no availability zone list in environments/regions.ts",
    );
  });

  test("prod without deletion protection", () => {
    const bad = input("prod");
    bad.deletionProtection = false;
    expect(messageOf(() => parseEnvironment(bad))).toContain("deletionProtection: must be true in prod");
  });

  test("prod keeping logs for less than a year", () => {
    const bad = input("prod");
    bad.logRetentionDays = 90;
    expect(messageOf(() => parseEnvironment(bad))).toContain("logRetentionDays: must be at least 365 in prod");
  });

  test("a state bucket that would receive its own access logs", () => {
    const bad = input("dev");
    bad.state = { ...bad.state, accessLogBucket: bad.state.bucket };
    expect(messageOf(() => parseEnvironment(bad))).toContain("state.accessLogBucket: must differ from state.bucket");
  });

  test("unprotected state outside an emulator", () => {
    const bad = input("dev");
    bad.state = { ...bad.state, protect: false };
    expect(messageOf(() => parseEnvironment(bad))).toContain(
      'environment "dev" is invalid:\n  - state.protect: may be false only for an environment that runs against an emulator (endpoint set)',
    );
    const local = input("local");
    local.state = { ...local.state, protect: false };
    expect(parseEnvironment(local).state.protect).toBe(false);
  });

  test("a deploy ref that is not a full ref", () => {
    const bad = input("prod");
    bad.github = { ...bad.github, deployRef: "v*" };
    expect(messageOf(() => parseEnvironment(bad))).toContain(
      "github.deployRef: must be a full ref or ref pattern such as refs/heads/main or refs/tags/v*",
    );
  });

  test("prod deploying from a branch", () => {
    const bad = input("prod");
    bad.github = { ...bad.github, deployRef: "refs/heads/main" };
    expect(messageOf(() => parseEnvironment(bad))).toContain(
      "github.deployRef: must be a tag pattern in prod (such as refs/tags/v*)",
    );
  });

  test("overlapping VPC ranges of two environments", () => {
    const a = input("dev");
    const b = input("staging");
    b.network.vpcCidr = "10.10.128.0/17";
    expect(messageOf(() => loadEnvironments([a, b], undefined))).toBe(
      'environment "staging": network.vpcCidr 10.10.128.0/17 overlaps environment "dev" (10.10.0.0/16); give each environment its own range',
    );
  });

  test("an unknown module in an environment", () => {
    const bad = input("dev");
    bad.modules = { ...bad.modules, "file-procesing": { enabled: true, settings: {} } };
    const [parsed] = loadEnvironments([bad], undefined);
    expect(messageOf(() => planPlatform([parsed], MODULES))).toBe(
      `environment "dev": modules.file-procesing: unknown module; known modules: ${MODULE_NAMES.join(", ")}`,
    );
  });

  test("a module registered twice", () => {
    expect(messageOf(() => planPlatform([env("dev")], [...MODULES, MODULES[0]]))).toBe(
      'module "file-processing" is registered twice in packages/index.ts; module names must be unique',
    );
  });

  test("module settings that fail the module's schema, with environment and path", () => {
    const bad = input("dev");
    bad.modules = { ...bad.modules, "order-tracking": { enabled: true, settings: { service: { desiredCount: -1 } } } };
    const [parsed] = loadEnvironments([bad], undefined);
    expect(messageOf(() => planPlatform([parsed], MODULES))).toMatch(
      /^environment "dev": modules\.order-tracking\.settings\.service\.desiredCount: /,
    );
  });

  test("workload settings the Kubernetes API would refuse are refused at synth, naming the setting", () => {
    const refused = (module: string, workload: Record<string, unknown>) => {
      const bad = input("staging");
      bad.modules = { ...bad.modules, [module]: { enabled: true, settings: { workload } } };
      return messageOf(() => planPlatform(loadEnvironments([bad], undefined), MODULES));
    };
    expect(refused("ml-platform", { port: 80808 })).toBe(
      'environment "staging": modules.ml-platform.settings.workload.port: Too big: expected number to be <=65535',
    );
    expect(refused("file-processing", { memoryLimit: "1 GB" })).toBe(
      'environment "staging": modules.file-processing.settings.workload.memoryLimit: must be a Kubernetes quantity such as 250m or 512Mi',
    );
    expect(refused("data-pipeline", { imageTag: "latest" })).toBe(
      'environment "staging": modules.data-pipeline.settings.workload.imageTag: must name a release, not latest',
    );
    expect(refused("data-pipeline", { cpuRequest: "2", cpuLimit: "1500m" })).toBe(
      'environment "staging": modules.data-pipeline.settings.workload.cpuRequest: 2 is more than cpuLimit 1500m: a container may not request more than its limit',
    );
  });

  test("a service or frontend domain outside the environment's public zone, or without one", () => {
    const outside = input("dev");
    outside.modules = {
      ...outside.modules,
      "order-tracking": {
        enabled: true,
        settings: { service: { domain: "orders.acme.example" }, frontend: { domain: "track.dev.acme.example.com" } },
      },
    };
    expect(messageOf(() => planPlatform(loadEnvironments([outside], undefined), MODULES))).toBe(
      [
        'environment "dev": modules.order-tracking.settings.service.domain: "orders.acme.example" is not in the environment\'s public zone "dev.acme.example"; use a name ending in .dev.acme.example',
        'environment "dev": modules.order-tracking.settings.frontend.domain: "track.dev.acme.example.com" is not in the environment\'s public zone "dev.acme.example"; use a name ending in .dev.acme.example',
      ].join("\n"),
    );
    const zoneless = input("dev");
    zoneless.dns = { privateZone: zoneless.dns.privateZone };
    expect(messageOf(() => planPlatform(loadEnvironments([zoneless], undefined), MODULES))).toBe(
      [
        'environment "dev": modules.order-tracking.settings.service.domain: needs a public zone to validate its certificate in: set dns.publicZone of environment "dev"',
        'environment "dev": modules.order-tracking.settings.frontend.domain: needs a public zone to validate its certificate in: set dns.publicZone of environment "dev"',
      ].join("\n"),
    );
    // Without the service and the frontend there is nothing to check.
    zoneless.modules = {
      ...zoneless.modules,
      "order-tracking": { enabled: true, settings: { service: { enabled: false }, frontend: { enabled: false } } },
    };
    expect(() => planPlatform(loadEnvironments([zoneless], undefined), MODULES)).not.toThrow();
  });

  test("a module consuming an output the foundation does not publish", () => {
    const stack = new TerraformStack(Testing.app(), "x");
    const consumes = ["vpc_id", "database_url"] as unknown as "vpc_id"[];
    expect(messageOf(() => new FoundationRef(stack, "foundation", env("dev"), consumes, "billing"))).toMatch(
      /^module "billing" consumes "database_url", which the foundation does not publish; FoundationOutputs has: vpc_id, /,
    );
  });

  test("a module reading a foundation output it did not declare", () => {
    const stack = new TerraformStack(Testing.app(), "x");
    const ref = new FoundationRef(stack, "foundation", env("dev"), ["vpc_id"], "billing") as unknown as FoundationRef<
      "vpc_id" | "kms_key_arn"
    >;
    expect(messageOf(() => ref.string("kms_key_arn"))).toBe(
      'module "billing" reads foundation output "kms_key_arn" without declaring it; add it to the module\'s consumes list',
    );
  });

  test("a module named like a platform stack", () => {
    const clash = { ...MODULES[0], name: "foundation" } as ModuleDefinition;
    expect(messageOf(() => planPlatform([env("dev")], [clash]))).toBe(
      'module name "foundation" is reserved for a platform stack; rename the module',
    );
  });

  test("an unknown stack name lists the valid ones; globs select", () => {
    expect(messageOf(() => selectStacks(plans(), "dev-foundaton"))).toMatch(
      /^unknown stack "dev-foundaton" in PLATFORM_STACKS; valid names: local-bootstrap, /,
    );
    expect([...(selectStacks(plans(), "prod-*,dev-foundation") ?? [])].sort()).toEqual(
      ["dev-foundation", ...stacksOfEnvironment("prod")].sort(),
    );
  });

  test("ConfigError is what the CLI turns into exit 1", () => {
    expect(messageOf(() => loadEnvironments(platformInputs({}), "qa"))).toContain('unknown environment "qa"');
    expect(() => loadEnvironments(platformInputs({}), "qa")).toThrow(ConfigError);
  });
});

describe("synth as a process", () => {
  const synth = (extra: NodeJS.ProcessEnv) => {
    const outdir = join(mkdtempSync(join(tmpdir(), "synth-")), "out");
    return { ...synthProcess(outdir, extra), outdir };
  };

  test("invalid config exits 1, names environment, path and reason, and writes nothing", () => {
    const result = synth({ AWS_ENDPOINT_URL: "not a url" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'synth stopped, nothing was written:\nenvironment "local" is invalid:\n  - endpoint: must be a URL',
    );
    expect(existsSync(result.outdir)).toBe(false);
  });

  test("a typo in the environment selection exits 1 with the valid names", () => {
    const result = synth({ PLATFORM_ENVIRONMENTS: "stagin" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'unknown environment "stagin" in PLATFORM_ENVIRONMENTS; valid names: local, dev, staging, prod',
    );
    expect(existsSync(result.outdir)).toBe(false);
  });

  test("a stack selection synthesizes only those stacks, byte for byte as a full synth does", () => {
    const result = synth({ PLATFORM_STACKS: "dev-foundation,prod-order-tracking,local-*" });
    expect(result.status).toBe(0);
    const selected = readdirSync(join(result.outdir, "stacks")).sort();
    expect(selected).toEqual(["dev-foundation", ...stacksOfEnvironment("local"), "prod-order-tracking"].sort());
    // The full synth: the one the global setup ran with the same clean environment (unit.setup.ts).
    const full = process.env.PLATFORM_UNIT_SYNTH!;
    for (const stack of selected) {
      const file = (outdir: string) => readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");
      expect({ stack, same: file(result.outdir) === file(full) }).toEqual({ stack, same: true });
    }
  });

  test("a closure adds the layers below (deploy) or above (destroy) a selection, per environment", () => {
    const deploy = synth({ PLATFORM_STACKS: "dev-data-pipeline", PLATFORM_STACKS_CLOSURE: "dependencies" });
    expect(readdirSync(join(deploy.outdir, "stacks")).sort()).toEqual([
      "dev-bootstrap",
      "dev-data-pipeline",
      "dev-foundation",
    ]);
    const destroy = synth({ PLATFORM_STACKS: "prod-foundation", PLATFORM_STACKS_CLOSURE: "dependants" });
    expect(readdirSync(join(destroy.outdir, "stacks")).sort()).toEqual(
      ["prod-foundation", ...stacksOfEnvironment("prod", "modules")].sort(),
    );
    const bad = synth({ PLATFORM_STACKS: "dev-*", PLATFORM_STACKS_CLOSURE: "everything" });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('PLATFORM_STACKS_CLOSURE is "everything"; use dependencies or dependants');
  });

  describe("per-module environment entries (packages/<m>/environments.ts)", () => {
    const envs = {
      default: { enabled: true, settings: { workload: { replicas: 1, cpuRequest: "100m" }, topics: ["a", "b"] } },
      prod: { settings: { workload: { replicas: 3 }, topics: ["c"] } },
      dev: { enabled: false },
    };

    test("an environment's entry is merged over default: objects key by key, lists replaced", () => {
      expect(moduleEntry(envs, "prod")).toEqual({
        enabled: true,
        settings: { workload: { replicas: 3, cpuRequest: "100m" }, topics: ["c"] },
      });
      expect(moduleEntry(envs, "dev")).toEqual({ enabled: false, settings: envs.default.settings });
      expect(moduleEntry(envs, "staging")).toEqual({ enabled: true, settings: envs.default.settings });
    });

    test("a key that names no environment is refused, naming the valid ones", () => {
      const typo = { "data-pipeline": { default: { enabled: true }, prdo: { enabled: false } } };
      expect(unknownEnvironmentKeys(["local", "dev", "staging", "prod"], typo)).toEqual([
        'packages/data-pipeline/environments.ts: "prdo" is not an environment; use default or one of local, dev, staging, prod',
      ]);
      expect(unknownEnvironmentKeys(["local", "dev", "staging", "prod"], moduleEnvironments())).toEqual([]);
    });

    test("a registered module without entries is refused, not silently left out", () => {
      const dev = input("dev");
      const { "ml-platform": _left, ...rest } = dev.modules!;
      dev.modules = rest;
      expect(messageOf(() => planPlatform(loadEnvironments([dev], undefined), MODULES))).toBe(
        'environment "dev": module "ml-platform" is registered in packages/index.ts but has no entry here; give it one in packages/ml-platform/environments.ts',
      );
    });
  });
});

import { spawnSync } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { z } from "zod";
import { buildPlatform, planPlatform } from "../app";
import { ConfigError, loadEnvironments } from "../environments";
import { AWS_SERVICES, type AwsService, ENVIRONMENT_PARTS } from "../environments/emulators";
import { MODULES, platformInputs } from "../packages";
import { defineModule, type ModuleDefinition } from "../stacks/module-api";
import { resourcesOf, synthesizedPlatform, synthJson, thrownMessage } from "./helpers";

const REPO = join(__dirname, "..");
const serviceOf = new Map<string, AwsService>(
  Object.entries(AWS_SERVICES).flatMap(([service, s]) =>
    s.types.map((t): [string, AwsService] => [t, service as AwsService]),
  ),
);
const awsTypes = (json: { resource?: Record<string, unknown>; data?: Record<string, unknown> }) =>
  [...Object.keys(json.resource ?? {}), ...Object.keys(json.data ?? {})].filter((t) => t.startsWith("aws_"));
const localPlan = (extra: NodeJS.ProcessEnv = {}) =>
  planPlatform(loadEnvironments(platformInputs({ ...extra }), "local"), MODULES)[0];

describe("emulator profiles (environments/emulators.ts)", () => {
  test("every AWS resource and data source type the stacks use, in any environment, belongs to one service of the table", () => {
    const types = new Set([...synthesizedPlatform().stacks.values()].flatMap(awsTypes));
    expect([...types].filter((t) => !serviceOf.has(t) && t !== "aws_partition")).toEqual([]);
  });

  test("each module declares the services its stacks use: what it cannot do without, or a part it can switch off", () => {
    for (const module of MODULES) {
      const declared = new Set<AwsService>([
        ...module.services,
        ...Object.values(module.switchable ?? {}).flat(),
        // The environment's own parts: alarms, the workloads' images.
        ...(Object.keys(ENVIRONMENT_PARTS) as AwsService[]),
      ]);
      const used = [...synthesizedPlatform().stacks]
        .filter(([name]) => name.endsWith(`-${module.name}`))
        .flatMap(([, json]) => awsTypes(json))
        .map((t) => serviceOf.get(t));
      expect({ module: module.name, undeclared: [...new Set(used)].filter((s) => s && !declared.has(s)) }).toEqual({
        module: module.name,
        undeclared: [],
      });
    }
  });

  test("against moto (the default) local leaves out the alarms only, and says so", () => {
    const plan = localPlan();
    expect(plan.env).toMatchObject({ emulator: "moto", alarms: false });
    expect(plan.leftOut).toEqual([
      expect.stringMatching(/^alarms \(cloudwatch: the provider speaks CloudWatch's Smithy RPC v2 \(CBOR\) protocol/),
    ]);
    const orders = plan.modules.find((m) => m.module.name === "order-tracking")!.settings as Record<
      string,
      { enabled: boolean }
    >;
    expect(["database", "service", "events", "frontend"].map((p) => orders[p].enabled)).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  test("against LocalStack local leaves out what LocalStack community cannot serve, part by part, with why, and has its alarms", () => {
    const plan = localPlan({ EMULATOR: "localstack" });
    expect(plan.env).toMatchObject({ emulator: "localstack", alarms: true, kubeconfig: undefined });
    expect(plan.leftOut.map((l) => l.replace(/ \(.*$/, ""))).toEqual([
      "ECR repositories, and the workloads on the cluster, whose images they hold",
      "data-pipeline landing",
      "data-pipeline metadata",
      "order-tracking database",
      "order-tracking service",
      "order-tracking events",
      "order-tracking frontend",
      "ml-platform cache",
    ]);
    expect(plan.leftOut).toContain(
      "order-tracking service (ecs, elbv2, wafv2: not in LocalStack community (its answer: not included in your current license plan))",
    );
    const app = Testing.app();
    buildPlatform(app, [plan], {});
    const stack = (name: string) => synthJson(app.node.findChild(`local-${name}`) as never);
    expect(resourcesOf(stack("foundation"), "aws_ecr_repository")).toEqual({});
    const pipeline = stack("data-pipeline");
    expect([resourcesOf(pipeline, "aws_dynamodb_table"), resourcesOf(pipeline, "aws_lambda_function")]).toEqual([
      {},
      {},
    ]);
    expect(pipeline.provider?.kubernetes).toBeUndefined();
    // What moto cannot serve and LocalStack can: the dead-letter queue's alarm.
    expect(Object.keys(resourcesOf(stack("file-processing"), "aws_cloudwatch_metric_alarm"))).toHaveLength(1);
  });

  test("an unknown EMULATOR is refused with the valid names", () => {
    expect(
      thrownMessage(() => loadEnvironments(platformInputs({ EMULATOR: "localstak" }), "local"), ConfigError),
    ).toContain("emulator: must be one of moto, localstack (EMULATOR)");
  });

  test("a part switched on explicitly against an emulator that cannot serve it stops synth, naming module, part and service", () => {
    const inputs = platformInputs({ EMULATOR: "localstack" });
    const local = inputs.find((i) => i.name === "local")!;
    const entry = local.modules!["ml-platform"];
    local.modules!["ml-platform"] = { ...entry, settings: { ...entry.settings, cache: { enabled: true } } };
    expect(thrownMessage(() => planPlatform(loadEnvironments(inputs, "local"), MODULES), ConfigError)).toBe(
      'environment "local": modules.ml-platform.settings.cache.enabled: is true, but LocalStack community 2026.3.0 does not serve what it uses (elasticache: not in LocalStack community (its answer: not included in your current license plan)); leave it unset there',
    );
  });

  test("a module that cannot do without a service the emulator lacks stops synth, naming module and service", () => {
    const ledger = {
      ...defineModule({
        name: "ledger",
        owner: "@acme/finance",
        description: "d",
        consumes: [],
        image: false,
        services: ["dynamodb", "s3"],
        settings: z.object({}),
        environments: { default: { enabled: true } },
      }),
      build: () => undefined,
    } as unknown as ModuleDefinition;
    const inputs = platformInputs({ EMULATOR: "localstack" }).map((i) => ({
      ...i,
      modules: { ...i.modules, ledger: { enabled: true, settings: {} } },
    }));
    expect(
      thrownMessage(() => planPlatform(loadEnvironments(inputs, "local"), [...MODULES, ledger]), ConfigError),
    ).toBe(
      'environment "local": module "ledger" cannot do without what LocalStack community 2026.3.0 does not serve (dynamodb: LocalStack\'s DynamoDB is DynamoDB Local, under its vendor\'s own licence terms, which the project does not install); disable it there in packages/ledger/environments.ts, or use another emulator (EMULATOR)',
    );
    // The same module against moto is fine.
    const moto = platformInputs({}).map((i) => ({
      ...i,
      modules: { ...i.modules, ledger: { enabled: true, settings: {} } },
    }));
    expect(
      planPlatform(loadEnvironments(moto, "local"), [...MODULES, ledger])[0].modules.map((m) => m.module.name),
    ).toContain("ledger");
  });
});

describe("local/emulator.sh refuses what it cannot run, in one line", () => {
  const script = join(REPO, "local", "emulator.sh");
  const runScript = (args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync("/bin/bash", [script, ...args], {
      encoding: "utf8",
      env: { HOME: mkdtempSync(join(tmpdir(), "emu-")), ...env },
    });

  test("an unknown EMULATOR names the valid ones", () => {
    const result = runScript(["status"], { PATH: process.env.PATH, EMULATOR: "localstak" });
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 2,
      stderr: "[emulator] EMULATOR must be moto (the default) or localstack, not 'localstak'\n",
    });
  });

  test("LocalStack without a Python 3.13 says how to get one", () => {
    // A PATH with only what the script needs before it looks for Python.
    const bin = mkdtempSync(join(tmpdir(), "bin-"));
    for (const tool of ["dirname", "mkdir"]) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
    const pyenv = mkdtempSync(join(tmpdir(), "pyenv-"));
    const result = runScript(["install"], { PATH: bin, EMULATOR: "localstack", PYENV_ROOT: pyenv });
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 1,
      stderr: `[emulator] LocalStack needs Python 3.13 and none was found (PLATFORM_PYTHON313, python3.13 on PATH, ${pyenv}/versions/3.13*): install it (pyenv install 3.13) or set PLATFORM_PYTHON313\n`,
    });
  });
});

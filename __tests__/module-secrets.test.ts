import { TerraformStack, Testing } from "cdktf";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { planPlatform } from "../app";
import { checkSecretDeclarations, envLine, profileMembers, profileVariables, renamedKey } from "../core/secret-env";
import { ConfigError, loadEnvironments } from "../environments";
import { MODULES, moduleNamed } from "../packages";

import { defineModule, type ModuleContext, type ModuleDefinition } from "../stacks/module-api";

import { checkSeedSecrets, readSeed } from "../scripts/seed";
import { filledValue, generateValue, modulesToFill } from "../scripts/secrets-fill";
import {
  outputDirectory,
  parseArgs,
  profilesFor,
  REPOSITORY_ROOT,
  renderProfile,
  writeEnvFile,
} from "../scripts/secrets-init";
import { ModuleSecret } from "../constructs/module-secret";
import { ModuleStack } from "../stacks/module-stack";
import { env, input, onlyResource, policy, resourcesOf, synthJson, thrownMessage } from "./helpers";

const dataPipeline = moduleNamed("data-pipeline");
const mlPlatform = moduleNamed("ml-platform");
const orderTracking = moduleNamed("order-tracking");

function stackOf(
  module: ModuleDefinition,
  e = env("dev"),
  secretRotation?: Record<string, { functionArn: string; days: number }>,
) {
  const settings = module.settings.parse(e.modules[module.name]?.settings ?? {});
  return synthJson(new ModuleStack(Testing.app(), { env: e, module, settings, secretRotation, registry: MODULES }));
}

const variables = (profile: string) =>
  profileVariables(profile, profileMembers(MODULES).get(profile)!).map((s) => [
    s.secret,
    Object.fromEntries(s.variables),
  ]);

describe("env file layout (core/secret-env)", () => {
  test("the seed's renaming rule: a key two secrets of a profile share takes the secret's name", () => {
    expect(renamedKey("postgres-airflow", "POSTGRES_USER")).toBe("POSTGRES_AIRFLOW_USER");
    expect(renamedKey("postgres-metastore", "POSTGRES_USER")).toBe("POSTGRES_METASTORE_USER");
    expect(renamedKey("stripe", "API_KEY")).toBe("STRIPE_API_KEY");
    expect(variables("data-pipeline")).toEqual([
      [
        "postgres-airflow",
        {
          POSTGRES_USER: "POSTGRES_AIRFLOW_USER",
          POSTGRES_PASSWORD: "POSTGRES_AIRFLOW_PASSWORD",
          POSTGRES_DB: "POSTGRES_AIRFLOW_DB",
        },
      ],
      [
        "postgres-metastore",
        {
          POSTGRES_USER: "POSTGRES_METASTORE_USER",
          POSTGRES_PASSWORD: "POSTGRES_METASTORE_PASSWORD",
          POSTGRES_DB: "POSTGRES_METASTORE_DB",
        },
      ],
    ]);
  });

  test("a key only one secret of the profile has keeps its name", () => {
    const layout = profileVariables("core", [
      { module: "a", secret: "postgres-airflow", keys: ["POSTGRES_USER", "AIRFLOW_FERNET_KEY"] },
      { module: "b", secret: "postgres-metastore", keys: ["POSTGRES_USER"] },
    ]);
    expect(Object.fromEntries(layout[0].variables)).toEqual({
      POSTGRES_USER: "POSTGRES_AIRFLOW_USER",
      AIRFLOW_FERNET_KEY: "AIRFLOW_FERNET_KEY",
    });
  });

  test("variables that would still collide after renaming are refused, naming both sources", () => {
    expect(() =>
      profileVariables("core", [
        { module: "a", secret: "postgres", keys: ["POSTGRES_USER"] },
        { module: "b", secret: "postgres", keys: ["POSTGRES_USER"] },
      ]),
    ).toThrow(
      'profile "core": b/postgres POSTGRES_USER and a/postgres POSTGRES_USER would both be written as POSTGRES_USER; rename one of the secrets or keys',
    );
  });

  test("every module's declarations are valid and their profiles have no collisions", () => {
    expect(checkSecretDeclarations(MODULES)).toEqual([]);
    expect([...profileMembers(MODULES).keys()].sort()).toEqual(["data-pipeline", "ml-platform", "order-tracking"]);
  });

  test("bad declarations: each problem named with module and secret", () => {
    const errors = checkSecretDeclarations([
      {
        name: "m",
        secrets: [
          { name: "db", keys: ["USER"], profiles: ["Core"] },
          { name: "db", keys: ["user", "TOKEN", "TOKEN"], generate: ["PASSWORD"] },
        ],
      },
    ]);
    expect(errors).toEqual([
      'module "m": secrets.db: profiles: "Core" must be lowercase letters, digits and hyphens (it names <profile>.env)',
      'module "m": secrets.db: declared twice; each secret is declared once, with all its keys',
      'module "m": secrets.db: keys: "user" must be an environment variable name (A-Z, 0-9, _; starting with a letter)',
      'module "m": secrets.db: keys: "TOKEN" is listed twice',
      'module "m": secrets.db: generate: "PASSWORD" is not one of its keys (user, TOKEN, TOKEN)',
    ]);
  });

  test("a declared-twice secret stops synth before any stack is built", () => {
    const twice = defineModule({ ...dataPipeline, secrets: [...dataPipeline.secrets!, dataPipeline.secrets![0]] });
    const registry = MODULES.map((m) => (m.name === "data-pipeline" ? twice : m)) as ModuleDefinition[];
    expect(thrownMessage(() => planPlatform([env("dev")], registry), ConfigError)).toBe(
      'module "data-pipeline": secrets.postgres-airflow: declared twice; each secret is declared once, with all its keys',
    );
  });

  test("env lines: plain values bare, others single-quoted, newlines and quotes refused without showing the value", () => {
    expect(envLine("A", "abc123", "s A")).toBe("A=abc123");
    expect(envLine("A", "a b$c", "s A")).toBe("A='a b$c'");
    const message = thrownMessage(() => envLine("A", "line1\nhunter2", "acme-dev/m/s A"));
    expect(message).toContain("acme-dev/m/s A: the value contains a newline or a single quote");
    expect(message).not.toContain("hunter2");
  });
});

describe("module secrets in the module's stack", () => {
  const dev = stackOf(dataPipeline);
  const prod = stackOf(dataPipeline, env("prod"));

  test("each declared secret: named by environment and module, KMS-encrypted, keys as a tag, no value in the JSON", () => {
    const secrets = Object.values(resourcesOf(dev, "aws_secretsmanager_secret"));
    expect(secrets.map((s) => s.name)).toEqual([
      "acme-dev/data-pipeline/postgres-airflow",
      "acme-dev/data-pipeline/postgres-metastore",
    ]);
    expect(secrets[0]).toMatchObject({
      kms_key_id: expect.stringMatching(/^\$\{data\.terraform_remote_state\.foundation_.*\.outputs\.kms_key_arn\}$/),
      recovery_window_in_days: 0,
      tags: { SecretKeys: "POSTGRES_USER POSTGRES_PASSWORD POSTGRES_DB" },
    });
    expect(secrets[0]).not.toHaveProperty("lifecycle");
  });

  test("protected environments keep a deleted secret 30 days and refuse to destroy it", () => {
    for (const secret of Object.values(resourcesOf(prod, "aws_secretsmanager_secret"))) {
      expect(secret).toMatchObject({ recovery_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    }
  });

  test("no secret value is stored by a stack: versions only through the write-only secret_string_wo, no data source reads one", () => {
    for (const json of [dev, prod, stackOf(orderTracking), stackOf(mlPlatform, env("prod"))]) {
      for (const version of Object.values(resourcesOf(json, "aws_secretsmanager_secret_version"))) {
        expect(Object.keys(version).sort()).toEqual(["secret_id", "secret_string_wo", "secret_string_wo_version"]);
        expect(version.secret_string_wo).toMatch(
          /^\$\{jsonencode\(\{ [A-Z_]+ = ephemeral\.[a-z_]+\.[A-Za-z0-9_-]+\.[a-z_]+ \}\)\}$/,
        );
      }
      expect(
        Object.keys((json.data as Record<string, unknown> | undefined)?.aws_secretsmanager_secret_version ?? {}),
      ).toEqual([]);
      expect(Object.keys((json.data as Record<string, unknown> | undefined) ?? {})).not.toContain(
        "aws_secretsmanager_random_password",
      );
    }
    // Only ml-platform writes one: the cache user's password.
    expect(
      Object.keys(resourcesOf(stackOf(mlPlatform, env("prod")), "aws_secretsmanager_secret_version")),
    ).toHaveLength(1);
  });

  test("writeOnly: only a secret declared writtenByStack, every key once, a version from 1", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const secret = (writtenByStack: boolean, name = "x") =>
      new ModuleSecret(stack, name, {
        secretName: `acme/${name}`,
        description: "d",
        keys: ["A", "B"],
        writtenByStack,
        kmsKeyArn: "arn:key",
        protect: false,
      });
    expect(() => secret(false, "filled").writeOnly({ A: "ephemeral.x.y.a", B: "ephemeral.x.y.b" }, 1)).toThrow(
      "secret filled is filled by npm run secrets-fill; declare it with writtenByStack: true for its stack to write it",
    );
    const written = secret(true, "written");
    expect(() => written.writeOnly({ A: "ephemeral.x.y.a" }, 1)).toThrow("writeOnly writes every key; missing B");
    expect(() => written.writeOnly({ A: "e.a", B: "e.b", C: "e.c" }, 1)).toThrow('has no key "C"');
    expect(() => written.writeOnly({ A: "e.a", B: "e.b" }, 0)).toThrow("a whole number from 1 (was 0)");
    written.writeOnly({ A: "e.a", B: "e.b" }, 3);
    expect(() => written.writeOnly({ A: "e.a", B: "e.b" }, 3)).toThrow("writeOnly is called once");
    expect(onlyResource(synthJson(stack), "aws_secretsmanager_secret_version")).toMatchObject({
      secret_string_wo: "${jsonencode({ A = e.a, B = e.b })}",
      secret_string_wo_version: 3,
    });
  });

  test("the batch job gets the secrets by reference: ARNs in its config, read by its own role, which the resource policy names", () => {
    const config = onlyResource(prod, "kubernetes_config_map_v1") as { data: Record<string, string> };
    expect(config.data.POSTGRES_AIRFLOW_SECRET_ARN).toMatch(
      /aws_secretsmanager_secret\.secret-postgres-airflow_secret_.*\.arn/,
    );
    expect(JSON.stringify(config.data)).not.toMatch(/random_password|secret_string/);
    const irsa = Object.values(resourcesOf(prod, "aws_iam_role_policy")).find(
      (p) => String(p.name) === "data-pipeline",
    );
    expect(policy(irsa?.policy).Statement).toContainEqual({
      Sid: "ReadDatabaseSecrets",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: [
        expect.stringMatching(/postgres-airflow_secret_.*\.arn/),
        expect.stringMatching(/postgres-metastore_secret_.*\.arn/),
      ],
    });
    const policies = Object.values(resourcesOf(prod, "aws_secretsmanager_secret_policy"));
    expect(policies).toHaveLength(2);
    expect(policies[0]).toMatchObject({ block_public_policy: true });
    expect(policy(policies[0].policy).Statement).toEqual([
      {
        Sid: "ModuleWorkloadsRead",
        Effect: "Allow",
        Principal: { AWS: [expect.stringMatching(/^\$\{aws_iam_role\.batch_irsa-role_.*\.arn\}$/)] },
        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        Resource: "*",
      },
    ]);
  });

  test("without a workload to read them (no cluster in dev) no resource policy is written", () => {
    expect(resourcesOf(dev, "aws_secretsmanager_secret_policy")).toEqual({});
  });

  test("ECS injects a key by reference (<arn>:<key>::) and only the execution role may read it", () => {
    const json = stackOf(orderTracking);
    const task = onlyResource(json, "aws_ecs_task_definition");
    const container = JSON.parse(String(task.container_definitions))[0] as {
      secrets: { name: string; valueFrom: string }[];
    };
    expect(container.secrets).toContainEqual({
      name: "WEBHOOK_SIGNING_KEY",
      valueFrom: expect.stringMatching(
        /^\$\{aws_secretsmanager_secret\.secret-webhook-signing_secret_.*\.arn\}:WEBHOOK_SIGNING_KEY::$/,
      ),
    });
    const secretPolicy = onlyResource(json, "aws_secretsmanager_secret_policy");
    expect(policy(secretPolicy.policy).Statement[0].Principal).toEqual({
      AWS: [expect.stringMatching(/aws_iam_role\.service_execution-role_.*\.arn/)],
    });
  });

  test("rotation where the environment configures it, by secret name", () => {
    const functionArn = "arn:aws:lambda:eu-west-1:222222222222:function:acme-staging-rotate-postgres";
    const json = stackOf(dataPipeline, env("staging"), { "postgres-airflow": { functionArn, days: 30 } });
    expect(onlyResource(json, "aws_secretsmanager_secret_rotation")).toMatchObject({
      secret_id: expect.stringContaining("postgres-airflow_secret_"),
      rotation_lambda_arn: functionArn,
      rotation_rules: { automatically_after_days: 30 },
    });
  });

  test("rotation of a secret the module does not declare is refused, listing its secrets", () => {
    const bad = input("dev");
    bad.modules = {
      ...bad.modules,
      "data-pipeline": {
        enabled: true,
        settings: {},
        secretRotation: {
          "postgres-airflw": { functionArn: "arn:aws:lambda:eu-west-1:111111111111:function:r", days: 30 },
        },
      },
    };
    expect(thrownMessage(() => planPlatform(loadEnvironments([bad], undefined), MODULES), ConfigError)).toBe(
      'environment "dev": modules.data-pipeline.secretRotation.postgres-airflw: the module declares no such secret; its secrets: postgres-airflow, postgres-metastore',
    );
  });

  test("a module asking for another module's secret is refused, naming the owner", () => {
    const thief = {
      ...defineModule({
        name: "reporting",
        owner: "@acme/analytics",
        description: "d",
        consumes: [],
        image: false,
        services: [],
        settings: z.object({}),
        environments: { default: { enabled: true } },
      }),
      build: ({ secret }: ModuleContext<unknown, never>) => void secret("webhook-signing"),
    };
    expect(thrownMessage(() => stackOf(thief as unknown as ModuleDefinition), ConfigError)).toBe(
      'module "reporting" asked for secret "webhook-signing" of module "order-tracking" (its secrets: none); a module reads only its own secrets: declare one in "reporting" or ask @acme/orders-team to expose what you need as an output',
    );
  });
});

describe("secrets-init", () => {
  const local = env("local");

  test("arguments: environment and module or profile, --out optional", () => {
    expect(parseArgs(["local", "data-pipeline", "--out", "/tmp/s"])).toEqual({
      env: "local",
      target: "data-pipeline",
      out: "/tmp/s",
    });
    const usage = "usage: npm run secrets-init -- <env> <module|profile> [--out DIR]";
    expect(thrownMessage(() => parseArgs(["local"]), ConfigError)).toBe(
      `expected an environment and a module or profile, got 1 argument(s)\n${usage}`,
    );
    expect(thrownMessage(() => parseArgs(["local", "x", "--force"]), ConfigError)).toBe(
      `Unknown option '--force'\n${usage}`,
    );
    expect(thrownMessage(() => parseArgs(["local", "x", "--out", ""]), ConfigError)).toBe(
      `--out needs a value, not an empty string\n${usage}`,
    );
  });

  test("a profile or module that does not exist is refused, listing the profiles and modules there are", () => {
    expect(thrownMessage(() => profilesFor(local, "core"), ConfigError)).toBe(
      '"core" is neither a module nor a profile with secrets in local; profiles: data-pipeline, ml-platform, order-tracking; modules with secrets: data-pipeline, order-tracking, ml-platform',
    );
    expect(thrownMessage(() => profilesFor(local, "file-processing"), ConfigError)).toBe(
      'module "file-processing" declares no secrets (its definition\'s `secrets`)',
    );
    expect([...profilesFor(local, "data-pipeline").keys()]).toEqual(["data-pipeline"]);
  });

  test("an output directory inside the repository is refused, also through a symlink", () => {
    expect(thrownMessage(() => outputDirectory(join(REPOSITORY_ROOT, "secrets")), ConfigError)).toContain(
      "is inside the repository",
    );
    const outside = mkdtempSync(join(tmpdir(), "secrets-"));
    symlinkSync(REPOSITORY_ROOT, join(outside, "repo"));
    expect(thrownMessage(() => outputDirectory(join(outside, "repo", "local")), ConfigError)).toContain(
      "is inside the repository",
    );
    expect(outputDirectory(join(outside, "local"))).toBe(join(outside, "local"));
  });

  test("the file: renamed variables, every key; a secret without a value or a key is refused naming it, and nothing is written", () => {
    const profile = profilesFor(local, "data-pipeline").get("data-pipeline")!;
    const values = new Map<string, Record<string, unknown> | undefined>([
      [
        "acme-local/data-pipeline/postgres-airflow",
        { POSTGRES_USER: "airflow", POSTGRES_PASSWORD: "pw1", POSTGRES_DB: "airflow", EXTRA: "x" },
      ],
      [
        "acme-local/data-pipeline/postgres-metastore",
        { POSTGRES_USER: "metastore", POSTGRES_PASSWORD: "pw2", POSTGRES_DB: "metastore" },
      ],
    ]);
    expect(renderProfile(local, "data-pipeline", profile, values).split("\n").slice(1)).toEqual([
      "POSTGRES_AIRFLOW_USER=airflow",
      "POSTGRES_AIRFLOW_PASSWORD=pw1",
      "POSTGRES_AIRFLOW_DB=airflow",
      "POSTGRES_METASTORE_USER=metastore",
      "POSTGRES_METASTORE_PASSWORD=pw2",
      "POSTGRES_METASTORE_DB=metastore",
      "",
    ]);
    values.set("acme-local/data-pipeline/postgres-metastore", { POSTGRES_PASSWORD: "pw2" });
    values.set("acme-local/data-pipeline/postgres-airflow", undefined);
    const message = thrownMessage(() => renderProfile(local, "data-pipeline", profile, values), ConfigError);
    expect(message).toContain(
      "acme-local/data-pipeline/postgres-airflow has no value yet; put one with every key (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB)",
    );
    expect(message).toContain("acme-local/data-pipeline/postgres-metastore lacks POSTGRES_USER, POSTGRES_DB");
    expect(message).not.toContain("pw2");
  });

  test("written whole with mode 0600, also over an existing file that others could read", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "secrets-")), "local");
    const file = writeEnvFile(dir, "core", "A=1\n");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    chmodSync(file, 0o644);
    writeEnvFile(dir, "core", "A=2\n");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toBe("A=2\n");
    expect(readdirSync(dir)).toEqual(["core.env"]);
  });
});

describe("seed values of secrets", () => {
  test("the data-pipeline seed sets the people-set keys of its secrets", () => {
    const { seed } = readSeed("data-pipeline");
    expect(() => checkSeedSecrets("data-pipeline", seed)).not.toThrow();
    expect(Object.keys(seed.secrets)).toEqual(["postgres-airflow", "postgres-metastore"]);
  });

  test("an undeclared secret or key in a seed is refused, listing the declared ones", () => {
    const dir = mkdtempSync(join(tmpdir(), "seed-"));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "seed.json"),
      JSON.stringify({ description: "d", secrets: { "postgres-airflow": { POSTGRES_USERNAME: "a" } } }),
    );
    expect(
      thrownMessage(() => checkSeedSecrets("data-pipeline", readSeed("data-pipeline", dir).seed), ConfigError),
    ).toBe(
      "local/seed/data-pipeline/seed.json: secrets.postgres-airflow.POSTGRES_USERNAME: not a key of the secret; its keys: POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB",
    );
    writeFileSync(join(dir, "seed.json"), JSON.stringify({ description: "d", secrets: { redis: { A: "a" } } }));
    expect(
      thrownMessage(() => checkSeedSecrets("data-pipeline", readSeed("data-pipeline", dir).seed), ConfigError),
    ).toBe(
      "local/seed/data-pipeline/seed.json: secrets.redis: data-pipeline declares no such secret; its secrets: postgres-airflow, postgres-metastore",
    );
  });
});

describe("secrets-fill", () => {
  const declaration = { generate: ["PASSWORD", "TOKEN"] };

  test("generates only what the secret lacks; existing values stay", () => {
    const first = filledValue(declaration, { TOKEN: "set-by-hand" }, () => "generated");
    expect(first).toEqual({ value: { PASSWORD: "generated", TOKEN: "set-by-hand" }, filled: ["PASSWORD"] });
    const again = filledValue(declaration, { PASSWORD: "rotated", TOKEN: "tok2", USER: "app" }, () => "x");
    expect(again).toEqual({ value: { PASSWORD: "rotated", TOKEN: "tok2", USER: "app" }, filled: [] });
  });

  test("generated values: 40 letters and digits, different each time", () => {
    const a = generateValue();
    expect(a).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(generateValue()).not.toBe(a);
  });

  test("modules by name or stack id; platform stacks have nothing to fill; others are refused", () => {
    const local = env("local");
    expect(modulesToFill(local, [])).toEqual(["data-pipeline", "order-tracking", "ml-platform"]);
    expect(modulesToFill(local, ["local-ml-platform", "data-pipeline", "local-foundation"])).toEqual([
      "ml-platform",
      "data-pipeline",
    ]);
    expect(modulesToFill(local, ["local-file-processing"])).toEqual([]);
    expect(thrownMessage(() => modulesToFill(local, ["billing"]), ConfigError)).toBe(
      '"billing" is no module of local; modules with secrets there: data-pipeline, order-tracking, ml-platform',
    );
  });

  test("a secret its stack writes cannot also be generated", () => {
    const errors = checkSecretDeclarations([
      { name: "m", secrets: [{ name: "s", keys: ["A"], generate: ["A"], writtenByStack: true }] },
    ]);
    expect(errors).toEqual([
      'module "m": secrets.s: writtenByStack and generate exclude each other: the stack writes the whole value; drop generate',
    ]);
  });
});

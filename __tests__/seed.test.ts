import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../environments";
import { attributes, readSeed, resolveOutputs, seedModules } from "../scripts/seed";
import { Testing } from "cdktf";
import { MODULES } from "../packages";
import { ModuleStack } from "../stacks/module-stack";
import { env, synthJson, thrownMessage } from "./helpers";

describe("seed data (local/seed)", () => {
  test("every seed names only outputs its module's local stack has", () => {
    expect(seedModules()).toEqual(["data-pipeline", "file-processing"]);
    const local = env("local");
    for (const module of seedModules()) {
      const definition = MODULES.find((m) => m.name === module)!;
      const stack = new ModuleStack(Testing.app(), {
        env: local,
        module: definition,
        settings: definition.settings.parse(local.modules[module].settings),
      });
      const outputs = synthJson(stack).output ?? {};
      const { seed } = readSeed(module);
      const deployed = Object.fromEntries(Object.keys(outputs).map((name) => [name, `value-of-${name}`]));
      expect(resolveOutputs(module, seed, deployed).size).toBeGreaterThan(0);
    }
  });

  test("the hash changes with a file's content, so a changed seed is loaded again", () => {
    const dir = mkdtempSync(join(tmpdir(), "seed-"));
    writeFileSync(
      join(dir, "seed.json"),
      JSON.stringify({ description: "d", objects: [{ bucket: "b", key: "k", file: "f.txt" }] }),
    );
    writeFileSync(join(dir, "f.txt"), "one");
    const before = readSeed("x", dir).sha256;
    writeFileSync(join(dir, "f.txt"), "two");
    expect(readSeed("x", dir).sha256).not.toBe(before);
  });

  test("bad seeds are refused with what is wrong", () => {
    const dir = mkdtempSync(join(tmpdir(), "seed-"));
    writeFileSync(
      join(dir, "seed.json"),
      JSON.stringify({ description: "d", records: [{ stream: "s", partitionKey: "p", data: 1 }] }),
    );
    expect(thrownMessage(() => readSeed("x", dir), ConfigError)).toContain(
      "records and messages need at least one object",
    );
    writeFileSync(
      join(dir, "seed.json"),
      JSON.stringify({ description: "d", objects: [{ bucket: "b", key: "k", file: "missing.csv" }] }),
    );
    expect(thrownMessage(() => readSeed("x", dir), ConfigError)).toContain("objects: missing.csv does not exist");
    const { seed } = readSeed("data-pipeline");
    expect(thrownMessage(() => resolveOutputs("data-pipeline", seed, { stream_name: "s" }), ConfigError)).toBe(
      'local/seed/data-pipeline/seed.json names the output "raw_bucket_name", which local-data-pipeline does not have; its outputs: stream_name',
    );
  });

  test("items become DynamoDB attributes by type", () => {
    expect(attributes({ pk: "dataset#orders", rows: 3, active: true })).toEqual({
      pk: { S: "dataset#orders" },
      rows: { N: "3" },
      active: { BOOL: true },
    });
  });
});

// Seed data for the local environment:
//   npm run seed -- [module ...]        every module with a local/seed/<module>/seed.json, or those named
// Reads each module's deployed stack outputs (its state in the state bucket) to find its buckets,
// tables, streams and queues, then loads local/seed/<module>/: objects and items are written by key
// (a second run overwrites them with the same content); stream records and queue messages are sent
// only on the first load, which the first object remembers in its metadata (seed-sha256), so
// running it again adds no duplicates. The local environment only: seed data never goes to a cloud.
import { type AttributeValue, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { parseCommandLine, runMain } from "./lib/cli";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { ConfigError, type Environment, loadEnvironments } from "../environments";
import { MODULES, platformInputs } from "../packages";
import { secretName } from "../core/naming";
import { httpStatus, sdkConfig } from "./aws";
import { currentSecretValue, putIfAdded, stackOutputs } from "./lib/deployed";

const SEED_DIR = resolve(__dirname, "..", "local", "seed");

/** Outputs are named by the module's stack outputs (e.g. raw_bucket_name), never by physical names. */
const seedSchema = z
  .object({
    description: z.string(),
    objects: z
      .array(
        z
          .object({
            bucket: z.string(),
            key: z.string().min(1),
            file: z.string(),
            contentType: z.string().default("application/octet-stream"),
          })
          .strict(),
      )
      .default([]),
    items: z
      .array(
        z
          .object({ table: z.string(), item: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) })
          .strict(),
      )
      .default([]),
    records: z
      .array(z.object({ stream: z.string(), partitionKey: z.string().min(1), data: z.unknown() }).strict())
      .default([]),
    messages: z.array(z.object({ queue: z.string(), body: z.unknown() }).strict()).default([]),
    /**
     * Sample values of a declared secret's keys that people set (user and database names): added
     * to the secret where a key has no value yet, never over one. Generated keys need none.
     */
    secrets: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  })
  .strict()
  .refine((s) => s.objects.length > 0 || (s.records.length === 0 && s.messages.length === 0), {
    message: "records and messages need at least one object: the first object remembers that they were sent",
  });
type Seed = z.output<typeof seedSchema>;

export function seedModules(): string[] {
  return existsSync(SEED_DIR)
    ? readdirSync(SEED_DIR)
        .filter((m) => existsSync(join(SEED_DIR, m, "seed.json")))
        .sort()
    : [];
}

/** The seed of a module, validated, with a hash over its manifest and files (what "already loaded" compares). */
export function readSeed(module: string, dir = join(SEED_DIR, module)): { seed: Seed; sha256: string } {
  const manifest = join(dir, "seed.json");
  const raw = readFileSync(manifest, "utf8");
  const parsed = seedSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) {
    throw new ConfigError(
      `${manifest}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
    );
  }
  const hash = createHash("sha256").update(raw);
  for (const object of parsed.data.objects) {
    const file = join(dir, object.file);
    if (!existsSync(file)) throw new ConfigError(`${manifest}: objects: ${object.file} does not exist in ${dir}`);
    hash.update(object.file).update(readFileSync(file));
  }
  return { seed: parsed.data, sha256: hash.digest("hex") };
}

/** Every stack output a seed names, resolved from the deployed stack's outputs; a missing one is an error naming those there are. */
export function resolveOutputs(module: string, seed: Seed, outputs: Record<string, unknown>): Map<string, string> {
  const wanted = [
    ...seed.objects.map((o) => o.bucket),
    ...seed.items.map((i) => i.table),
    ...seed.records.map((r) => r.stream),
    ...seed.messages.map((m) => m.queue),
  ];
  const resolved = new Map<string, string>();
  for (const name of new Set(wanted)) {
    const value = outputs[name];
    if (typeof value !== "string" || value === "") {
      throw new ConfigError(
        `local/seed/${module}/seed.json names the output "${name}", which local-${module} does not have; its outputs: ${Object.keys(outputs).sort().join(", ")}`,
      );
    }
    resolved.set(name, value);
  }
  return resolved;
}

async function load(module: string): Promise<string> {
  const env = loadEnvironments(platformInputs(), "local")[0];
  const aws = sdkConfig(env);
  const s3 = new S3Client(aws);
  const { seed, sha256 } = readSeed(module);
  const outputs = await stackOutputs(s3, env, module);
  const name = resolveOutputs(module, seed, outputs);
  const dir = join(SEED_DIR, module);

  const first = seed.objects[0];
  let loadedBefore = false;
  if (first) {
    try {
      const head = await s3.send(new HeadObjectCommand({ Bucket: name.get(first.bucket), Key: first.key }));
      loadedBefore = head.Metadata?.["seed-sha256"] === sha256;
    } catch (e) {
      if (httpStatus(e) !== 404) throw e;
    }
  }
  // The first object goes last: it marks the load complete.
  for (const object of [...seed.objects.slice(1), ...seed.objects.slice(0, 1)]) {
    await s3.send(
      new PutObjectCommand({
        Bucket: name.get(object.bucket),
        Key: object.key,
        Body: readFileSync(join(dir, object.file)),
        ContentType: object.contentType,
        Metadata: { "seed-sha256": sha256 },
      }),
    );
  }
  const dynamo = new DynamoDBClient(aws);
  for (const item of seed.items)
    await dynamo.send(new PutItemCommand({ TableName: name.get(item.table), Item: attributes(item.item) }));
  let sent = 0;
  if (!loadedBefore) {
    // The Kinesis client defaults to HTTP/2, which the emulator does not speak.
    const kinesis = new KinesisClient({ ...aws, requestHandler: new NodeHttpHandler() });
    for (const [stream, records] of groupBy(seed.records, (r) => r.stream)) {
      const out = await kinesis.send(
        new PutRecordsCommand({
          StreamName: name.get(stream),
          Records: records.map((r) => ({ PartitionKey: r.partitionKey, Data: Buffer.from(JSON.stringify(r.data)) })),
        }),
      );
      if (out.FailedRecordCount)
        throw new Error(`${out.FailedRecordCount} record(s) to ${name.get(stream)} failed; run the seed again`);
      sent += records.length;
    }
    const sqs = new SQSClient(aws);
    for (const [queue, messages] of groupBy(seed.messages, (m) => m.queue)) {
      const out = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: name.get(queue),
          Entries: messages.map((m, i) => ({ Id: String(i), MessageBody: JSON.stringify(m.body) })),
        }),
      );
      if (out.Failed?.length)
        throw new Error(`${out.Failed.length} message(s) to ${name.get(queue)} failed; run the seed again`);
      sent += messages.length;
    }
  }
  const filled = `${await fillSecrets(env, module, seed)} secret key(s) filled`;
  const counts = `${seed.objects.length} object(s), ${seed.items.length} item(s)`;
  return loadedBefore
    ? `local-${module}: ${counts} written again, ${filled}; records and messages already loaded, not sent again`
    : `local-${module}: ${counts} written, ${filled}, ${sent} record(s) and message(s) sent`;
}

/** The seed's secret keys checked against the module's declarations: an undeclared secret or key is an error naming those there are. */
export function checkSeedSecrets(module: string, seed: Seed): void {
  const declared = MODULES.find((m) => m.name === module)?.secrets ?? [];
  for (const [name, values] of Object.entries(seed.secrets)) {
    const secret = declared.find((d) => d.name === name);
    if (!secret)
      throw new ConfigError(
        `local/seed/${module}/seed.json: secrets.${name}: ${module} declares no such secret; its secrets: ${declared.map((d) => d.name).join(", ") || "none"}`,
      );
    for (const key of Object.keys(values).filter((k) => !secret.keys.includes(k))) {
      throw new ConfigError(
        `local/seed/${module}/seed.json: secrets.${name}.${key}: not a key of the secret; its keys: ${secret.keys.join(", ")}`,
      );
    }
  }
}

/** Adds the seed's values for keys a secret does not hold yet; returns how many were added. */
async function fillSecrets(env: Environment, module: string, seed: Seed): Promise<number> {
  checkSeedSecrets(module, seed);
  const client = new SecretsManagerClient(sdkConfig(env));
  let filled = 0;
  for (const [name, values] of Object.entries(seed.secrets)) {
    const id = secretName(env, module, name);
    const current = (await currentSecretValue(client, id)) ?? {};
    const missing = Object.keys(values).filter((k) => current[k] === undefined);
    await putIfAdded(client, id, { ...current, ...Object.fromEntries(missing.map((k) => [k, values[k]])) }, missing);
    filled += missing.length;
  }
  return filled;
}

/** A DynamoDB item from plain strings, numbers and booleans. */
export function attributes(item: Record<string, string | number | boolean>): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(item).map(([k, v]) => [
      k,
      typeof v === "string" ? { S: v } : typeof v === "number" ? { N: String(v) } : { BOOL: v },
    ]),
  );
}

function groupBy<T>(list: T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of list) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

const USAGE = "usage: npm run seed [-- <module> ...]";

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseCommandLine(argv, {}, USAGE);
  const available = seedModules();
  const wanted = positionals.length > 0 ? positionals : available;
  const unknown = wanted.filter((m) => !available.includes(m));
  if (unknown.length > 0)
    throw new ConfigError(
      `no seed data for ${unknown.join(", ")}; modules with seed data: ${available.join(", ")} (local/seed/<module>/seed.json)`,
    );
  for (const module of wanted) console.log(await load(module));
  return 0;
}

if (require.main === module) runMain(() => main(process.argv.slice(2)));

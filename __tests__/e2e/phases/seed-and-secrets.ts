/**
 * Data in the deployed platform: the seed loaded (and loaded again without sending twice), the
 * application secrets filled and written to env files.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalPlatform } from "../local-platform";
import type { MainLine } from "../main-line";
import { REPO, must, run } from "../run";
import { seeded } from "../seed";
import { local } from "../stacks";

export function seedAndSecretsPhase(main: MainLine, { tools, aws }: LocalPlatform): void {
  main.step(
    "seed data: npm run seed loads local/seed once; a second run writes objects and items again and sends nothing twice",
    async () => {
      const first = await must("npm", ["run", "--silent", "seed"], { env: tools, log: "seed.log" });
      expect(first.output).toContain(
        `${local("data-pipeline")}: 2 object(s), 2 item(s) written, 4 secret key(s) filled, 4 record(s) and message(s) sent`,
      );
      expect(first.output).toContain(
        `${local("file-processing")}: 1 object(s), 0 item(s) written, 0 secret key(s) filled, 0 record(s) and message(s) sent`,
      );
      const expected = {
        objects: [
          "samples/orders/dt=2026-11-01/orders.jsonl",
          "samples/customers/customers.csv",
          "incoming/partner-a/invoice-0001.csv",
        ],
        item: true,
        events: ["order_placed", "order_placed", "order_shipped"],
        jobs: 1,
      };
      expect(await seeded(aws)).toEqual(expected);
      const again = await must("npm", ["run", "--silent", "seed", "--", "data-pipeline"], {
        env: tools,
        log: "seed.log",
      });
      expect(again.output).toContain(
        `${local("data-pipeline")}: 2 object(s), 2 item(s) written again, 0 secret key(s) filled; records and messages already loaded, not sent again`,
      );
      expect(await seeded(aws)).toEqual(expected);
    },
  );

  main.step(
    "application secrets: secrets-fill generates what the platform owes (once) and leaves what a stack writes, the seed filled the keys people set, secrets-init writes each profile's env file (0600, colliding keys renamed) with what Secrets Manager holds, printing no value",
    async () => {
      const fill = () =>
        must("npm", ["run", "--silent", "secrets-fill", "--", "local"], { env: tools, log: "secrets-fill.log" });
      const filled = (await fill()).output;
      for (const line of [
        "acme-local/data-pipeline/postgres-airflow: filled POSTGRES_PASSWORD",
        "acme-local/data-pipeline/postgres-metastore: filled POSTGRES_PASSWORD",
        "acme-local/order-tracking/webhook-signing: filled WEBHOOK_SIGNING_KEY",
        "acme-local/ml-platform/redis-auth: written by its stack",
      ]) {
        expect(filled).toContain(`secrets-fill: ${line}\n`);
      }
      // A second run owes nothing: no value is replaced.
      expect((await fill()).output.match(/nothing to fill/g)).toHaveLength(3);
      const out = join(mkdtempSync(join(tmpdir(), "secrets-init-")), "local");
      const written = await must(
        "npm",
        ["run", "--silent", "secrets-init", "--", "local", "data-pipeline", "--out", out],
        { env: tools, log: "secrets-init.log" },
      );
      const file = join(out, "data-pipeline.env");
      expect(written.output).toContain(
        `secrets-init: wrote ${file} (0600): 6 variable(s) from 2 secret(s); renamed POSTGRES_USER of postgres-airflow as POSTGRES_AIRFLOW_USER`,
      );
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const secrets = new SecretsManagerClient(aws);
      const value = async (id: string) =>
        JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: id }))).SecretString!) as Record<
          string,
          string
        >;
      const airflow = await value("acme-local/data-pipeline/postgres-airflow");
      const metastore = await value("acme-local/data-pipeline/postgres-metastore");
      // Generated at apply (40 letters and digits, one per secret); the user and database came from the seed.
      expect(airflow.POSTGRES_PASSWORD).toMatch(/^[A-Za-z0-9]{40}$/);
      expect(metastore.POSTGRES_PASSWORD).not.toBe(airflow.POSTGRES_PASSWORD);
      const lines = readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l && !l.startsWith("#"));
      expect(lines).toEqual([
        "POSTGRES_AIRFLOW_USER=airflow",
        `POSTGRES_AIRFLOW_PASSWORD=${airflow.POSTGRES_PASSWORD}`,
        "POSTGRES_AIRFLOW_DB=airflow",
        "POSTGRES_METASTORE_USER=metastore",
        `POSTGRES_METASTORE_PASSWORD=${metastore.POSTGRES_PASSWORD}`,
        "POSTGRES_METASTORE_DB=metastore",
      ]);
      expect(written.output).not.toContain(airflow.POSTGRES_PASSWORD);
      const webhook = await must(
        "npm",
        ["run", "--silent", "secrets-init", "--", "local", "order-tracking", "--out", out],
        { env: tools, log: "secrets-init.log" },
      );
      const signing = (await value("acme-local/order-tracking/webhook-signing")).WEBHOOK_SIGNING_KEY;
      expect(readFileSync(join(out, "order-tracking.env"), "utf8")).toContain(`\nWEBHOOK_SIGNING_KEY=${signing}\n`);
      expect(webhook.output).not.toContain(signing);
      const refused = await run(
        "npm",
        ["run", "--silent", "secrets-init", "--", "local", "data-pipeline", "--out", join(REPO, ".e2e", "secrets")],
        { env: tools, log: "secrets-init.log" },
      );
      expect({ code: refused.code, output: refused.output }).toEqual({
        code: 1,
        output: expect.stringContaining("is inside the repository"),
      });
      expect(existsSync(join(REPO, ".e2e", "secrets"))).toBe(false);
    },
  );
}

/**
 * Drift: the cloud and the cluster changed behind Terraform's back, reported exactly and kept in one
 * issue; a deploy of the drifted stacks puts them back and the issue is closed.
 */
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { GetBucketTaggingCommand, PutBucketTaggingCommand } from "@aws-sdk/client-s3";
import { GetQueueUrlCommand, SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { StackDrift } from "../../../review/drift";
import { startGithubStub } from "../../github-stub";
import { kubectl } from "../kubernetes";
import type { LocalPlatform } from "../local-platform";
import type { MainLine } from "../main-line";
import { REPO, must, run } from "../run";
import { MODULE_STACKS, local } from "../stacks";

export function driftPhase(main: MainLine, { env, tools, s3, dynamo, sqs, mustCdktf }: LocalPlatform): void {
  main.step(
    "drift: changes made behind Terraform's back are reported exactly, kept in one issue, and gone after a deploy",
    async () => {
      const github = await startGithubStub("acme/platform", "drift-token");
      // The first check's report is kept in .e2e/drift-found (README shows it), the second's in .e2e/drift-after.
      let out = join(REPO, ".e2e", "drift-found");
      const selection = MODULE_STACKS.join(",");
      const drift = () =>
        run("npm", ["run", "--silent", "drift", "--", selection, "--out", out, "--parallelism", "2"], {
          env: tools,
          log: "drift.log",
        });
      const issues = () =>
        must("npm", ["run", "--silent", "drift-issues", "--", "--repo", "acme/platform", "--dir", out], {
          env: { GITHUB_TOKEN: "drift-token", GITHUB_API_URL: github.url },
          log: "drift.log",
        });
      const reports = () =>
        (JSON.parse(readFileSync(join(out, "drift.json"), "utf8")) as { reports: StackDrift[] }).reports;
      try {
        // Someone changes the cloud by hand: a queue's visibility timeout, a bucket's tags, a removed
        // redrive policy, a deleted table; and the cluster with kubectl: the model server scaled out, a
        // value of the batch job's ConfigMap.
        const queueUrl = async (name: string) =>
          (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
        await sqs.send(
          new SetQueueAttributesCommand({
            QueueUrl: await queueUrl("acme-local-file-processing-work"),
            Attributes: { VisibilityTimeout: "900" },
          }),
        );
        const raw = "acme-local-data-pipeline-raw-000000000000";
        const tags = (await s3.send(new GetBucketTaggingCommand({ Bucket: raw }))).TagSet ?? [];
        await s3.send(
          new PutBucketTaggingCommand({
            Bucket: raw,
            Tagging: {
              TagSet: [...tags.filter((t) => t.Key !== "CostCenter"), { Key: "CostCenter", Value: "marketing" }],
            },
          }),
        );
        await sqs.send(
          new SetQueueAttributesCommand({
            QueueUrl: await queueUrl("acme-local-data-pipeline-jobs"),
            Attributes: { RedrivePolicy: "" },
          }),
        );
        await dynamo.send(new DeleteTableCommand({ TableName: "acme-local-data-pipeline-metadata" }));
        await kubectl(tools, ["scale", "deployment/ml-platform", "--namespace", "ml-platform", "--replicas=3"]);
        const region = { data: { AWS_REGION: "eu-central-1" } };
        await kubectl(tools, ["patch", "configmap/data-pipeline", "-n", "data-pipeline", "-p", JSON.stringify(region)]);

        const found = await drift();
        expect({ code: found.code, tail: found.code === 2 ? "" : found.output.slice(-3000) }).toEqual({
          code: 2,
          tail: "",
        });
        const byStack = Object.fromEntries(reports().map((r) => [r.stack, r]));
        const shape = (r: StackDrift) =>
          r.drifted.map((d) => ({
            address: d.address.replace(/_[0-9A-F]{8}$/, ""),
            action: d.action,
            attributes: d.attributes,
          }));
        expect(shape(byStack[local("file-processing")])).toEqual([
          {
            address: "aws_sqs_queue.work_queue",
            action: "update",
            attributes: ["~ visibility_timeout_seconds: 300 -> 900"],
          },
        ]);
        expect(shape(byStack[local("data-pipeline")])).toEqual([
          { address: "aws_dynamodb_table.metadata", action: "delete", attributes: [] },
          {
            address: "aws_s3_bucket.lake-raw_bucket",
            action: "update",
            attributes: ['+ tags.CostCenter = "marketing"', '~ tags_all.CostCenter: "platform" -> "marketing"'],
          },
          // The provider reads a queue without a redrive policy as a redrive-policy resource that is gone.
          { address: "aws_sqs_queue_redrive_policy.jobs_redrive", action: "delete", attributes: [] },
          {
            address: "kubernetes_config_map_v1.batch_config",
            action: "update",
            attributes: [`~ data.AWS_REGION: "${env.region}" -> "eu-central-1"`],
          },
        ]);
        expect(shape(byStack[local("ml-platform")])).toEqual([
          {
            address: "kubernetes_deployment_v1.serving_deployment",
            action: "update",
            attributes: ['~ spec[0].replicas: "1" -> "3"'],
          },
        ]);
        // The apply creates the table again, with a new ARN: the batch job's IRSA policy names it.
        expect(byStack[local("data-pipeline")].followsFromDrift?.map((a) => a.replace(/_[0-9A-F]{8}$/, ""))).toEqual([
          "aws_iam_role_policy.batch_irsa-policy",
        ]);
        expect(reports().every((r) => r.pending.length === 0)).toBe(true);
        expect((await issues()).output).toContain("drift issue local: created (#1)");
        expect(github.issues.get(1)).toMatchObject({
          state: "open",
          title: "Drift in local: 3 stacks changed outside Terraform",
        });

        // Re-applying the code of the stacks the report names puts the cloud back; the next check
        // finds nothing and closes the issue.
        const drifted = reports()
          .filter((r) => r.status === "drift")
          .map((r) => r.stack);
        expect(drifted).toEqual(["file-processing", "data-pipeline", "ml-platform"].map(local));
        await mustCdktf(
          ["deploy", ...drifted, "--auto-approve", "--parallelism", "3", "--ignore-missing-stack-dependencies"],
          "drift-deploy.log",
        );
        out = join(REPO, ".e2e", "drift-after");
        const clean = await drift();
        expect({ code: clean.code, tail: clean.code === 0 ? "" : clean.output.slice(-3000) }).toEqual({
          code: 0,
          tail: "",
        });
        expect(reports().map((r) => r.status)).toEqual(MODULE_STACKS.map(() => "in-sync"));
        const replicas = await kubectl(tools, [
          "get",
          "deployment/ml-platform",
          "-n",
          "ml-platform",
          "-o",
          "jsonpath={.spec.replicas}",
        ]);
        expect(replicas.trim()).toBe("1");
        expect((await issues()).output).toContain("drift issue local: closed (#1)");
        expect(github.issues.get(1)?.state).toBe("closed");
      } finally {
        await github.close();
      }
    },
  );
}

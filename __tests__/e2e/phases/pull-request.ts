/**
 * The pull-request workflow rehearsed: a real change in a scratch repository, plans with the read-only
 * role under enforced IAM, one comment per stack, that role's apply refused, a second push.
 */
import { DescribeStreamSummaryCommand } from "@aws-sdk/client-kinesis";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stateKey } from "../../../core/naming";
import { type GithubStub, startGithubStub } from "../../github-stub";
import type { LocalPlatform } from "../local-platform";
import type { MainLine } from "../main-line";
import { rehearsal } from "../rehearsal";
import { local } from "../stacks";

export function pullRequestPhase(
  main: MainLine,
  { env, tools, s3, kinesis, tofu, emulator, stateObject, assumeRole, lockObjects }: LocalPlatform,
): void {
  main.step(
    "pull-request rehearsal: affected, plans with the read-only role under enforced IAM, one comment per stack; apply with that role refused; a second push updates the comments",
    async () => {
      const github: GithubStub = await startGithubStub("acme/platform", "rehearsal-token");
      const pr = rehearsal();
      /** The stack the pull request changes; the others' plans find no change. */
      const changed = local("data-pipeline");
      try {
        const planRole = (await stateObject("foundation")).outputs.plan_role_arn.value as string;
        // Retention of the data-pipeline stream (a real change) and a comment in the module stack class
        // (reaches every module stack, changes nothing).
        const edit = (hours: number) => (repo: string) => {
          const file = join(repo, "packages", "data-pipeline", "settings.ts");
          const before = readFileSync(file, "utf8");
          const after = before.replace(
            /streamRetentionHours: z\.number\(\)\.int\(\)\.min\(24\)\.max\(8760\)\.default\(\d+\)/,
            `streamRetentionHours: z.number().int().min(24).max(8760).default(${hours})`,
          );
          // An edit that changes nothing would rehearse a pull request without the change it is about.
          if (after === before) throw new Error(`${file}: no streamRetentionHours default to change`);
          writeFileSync(file, after);
          appendFileSync(join(repo, "stacks", "module-stack.ts"), `\n// reviewed for ${hours}h retention\n`);
        };
        const assumePlanRole = () => assumeRole(planRole, "pull-request-1");
        const workflow = async (hours: number) => {
          pr.change(`retention ${hours}h`, edit(hours));
          const credentials = await assumePlanRole();
          await emulator(["iam", "on"]);
          try {
            const planEnv = { ...tools, ...credentials, PLATFORM_LOCAL_CREDENTIALS: "environment" };
            const result = await pr.runWorkflow({
              env: { PLATFORM_ENVIRONMENTS: "local" },
              planEnv,
              githubApi: github.url,
              githubToken: "rehearsal-token",
              pr: 1,
              log: "rehearsal.log",
            });
            return { ...result, planEnv };
          } finally {
            await emulator(["iam", "off"]);
          }
        };

        const first = await workflow(48);
        expect(first.matrix.stacks).toEqual(
          ["data-pipeline", "file-processing", "ml-platform", "order-tracking"].map(local),
        );
        for (const [stack, plan] of first.plans)
          expect({ stack, code: plan.code, tail: plan.code === 0 ? "" : plan.output.slice(-2500) }).toEqual({
            stack,
            code: 0,
            tail: "",
          });
        expect(first.comment.output).toContain(
          "plan comments: 2 created, 0 updated, 0 unchanged, 0 deleted (4 stacks)",
        );
        const bodies = () => [...github.comments.values()].map((c) => c.body);
        expect(bodies()).toEqual(
          expect.arrayContaining([
            expect.stringMatching(
              new RegExp(
                `^<!-- cdktf-plan:${changed}:part-1 -->\n### \`${changed}\`: 0 to create, 1 to update, 0 to replace, 0 to destroy`,
              ),
            ),
            `<!-- cdktf-plan:no-changes -->\nNo changes: \`${local("file-processing")}\`, \`${local("ml-platform")}\`, \`${local("order-tracking")}\``,
          ]),
        );
        expect(bodies().find((b) => b.includes(changed))).toMatch(/retention_period[\s\S]*24[\s\S]*48/);

        // The saved plan, applied with the plan role: every write is refused, nothing changes.
        const stateBefore = await s3.send(
          new HeadObjectCommand({ Bucket: env.state.bucket, Key: stateKey(env, "data-pipeline") }),
        );
        const job = first.plans.get(changed)!.workspace;
        await emulator(["iam", "on"]);
        let apply;
        try {
          apply = await tofu(
            join(job, ".plans", "cdktf.out", "stacks", changed),
            ["apply", "-input=false", "-no-color", join(job, ".plans", `${changed}.tfplan`)],
            "rehearsal-apply.log",
            undefined,
            first.planEnv,
          );
        } finally {
          await emulator(["iam", "off"]);
        }
        expect(apply.code).toBe(1);
        expect(apply.output).toMatch(
          /AccessDenied(Exception)?[\s\S]*assumed-role\/acme-local-github-plan\/pull-request-1 is not authorized to perform: kinesis:IncreaseStreamRetentionPeriod/,
        );
        const stream = await kinesis.send(
          new DescribeStreamSummaryCommand({ StreamName: "acme-local-data-pipeline-events" }),
        );
        expect(stream.StreamDescriptionSummary?.RetentionPeriodHours).toBe(24);
        expect(
          (await s3.send(new HeadObjectCommand({ Bucket: env.state.bucket, Key: stateKey(env, "data-pipeline") })))
            .ETag,
        ).toBe(stateBefore.ETag);
        expect(await lockObjects()).toEqual([]);

        // A second push: the same comments, updated in place.
        const ids = [...github.comments.keys()].sort();
        const second = await workflow(72);
        expect(second.comment.output).toContain(
          "plan comments: 0 created, 1 updated, 1 unchanged, 0 deleted (4 stacks)",
        );
        expect([...github.comments.keys()].sort()).toEqual(ids);
        expect(github.calls.filter((c) => c.startsWith("POST"))).toHaveLength(2);
        expect(bodies().find((b) => b.includes(changed))).toMatch(/retention_period[\s\S]*24[\s\S]*72/);
      } finally {
        pr.remove();
        await github.close();
      }
    },
  );
}

/**
 * The apply workflow's reviewed-plan apply, rehearsed on ml-platform: a saved plan applied exactly,
 * a stale one refused, another commit's or stack's refused, and saved plans unreadable by the roles
 * that plan.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { join } from "node:path";
import { savedPlanKey } from "../../../core/naming";
import { type LocalPlatform, OUT } from "../local-platform";
import type { MainLine } from "../main-line";
import { reviewedApply } from "../reviewed-apply";
import { must } from "../run";
import { local } from "../stacks";

export function reviewedApplyPhase(
  main: MainLine,
  { env, tools, aws, s3, emulator, stateObject, assumeRole }: LocalPlatform,
): void {
  main.step(
    "reviewed-plan apply: the plan job saves the plan with the planner role (summary in the run), the apply job applies exactly it; a plan whose state changed since is refused and a new one applied; another commit's, another stack's or no plan is refused; neither the plan role nor the planner can read a saved plan",
    async () => {
      const stack = local("ml-platform");
      const foundation = (await stateObject("foundation")).outputs;
      const rehearsal = reviewedApply("reviewed-apply.log");
      const dir = join(OUT, stack);
      const tofu = (args: string[]) =>
        must(tools.TERRAFORM_BINARY_NAME!, args, { cwd: dir, env: tools, log: "reviewed-apply.log" });
      // "The state changed": a resource replaced behind the saved plan's back, as another apply would.
      const target = (await tofu(["state", "list"])).output
        .split("\n")
        .find((a) => a.startsWith("aws_iam_role_policy."))!;
      const key = (commit: string) => savedPlanKey(env, "ml-platform", commit);
      const saved = async (commit: string) =>
        (await s3.send(new ListObjectsV2Command({ Bucket: env.state.bucket, Prefix: key(commit) }))).KeyCount ?? 0;
      /** The plan job: the planner role's credentials, IAM enforced by the emulator. */
      const planJob = async (commit = rehearsal.commit) => {
        const credentials = await assumeRole(foundation.planner_role_arn.value as string, "apply-plan-job");
        await emulator(["iam", "on"]);
        try {
          return await rehearsal.plan(
            stack,
            { ...tools, ...credentials, PLATFORM_LOCAL_CREDENTIALS: "environment" },
            commit,
          );
        } finally {
          await emulator(["iam", "off"]);
        }
      };
      /** The apply job: the apply role's credentials (configure-aws-credentials), as the saved plan's configuration expects. */
      const applyCredentials = {
        ...(await assumeRole(foundation.apply_role_arn.value as string, "apply-job")),
        PLATFORM_LOCAL_CREDENTIALS: "environment",
      };
      const applyJob = (commit = rehearsal.commit) => rehearsal.apply(stack, { ...tools, ...applyCredentials }, commit);
      try {
        // 1. Reviewed and applied: the plan (one replacement) is saved, its summary is in the run.
        await tofu(["taint", target]);
        const first = await planJob();
        expect({ code: first.code, tail: first.code === 0 ? "" : first.output.slice(-3000) }).toEqual({
          code: 0,
          tail: "",
        });
        expect(first.summary).toContain(`### \`${stack}\`: 0 to create, 0 to update, 1 to replace, 0 to destroy`);
        expect(first.summary).toContain(`Saved for commit \`${rehearsal.commit}\``);
        expect(await saved(rehearsal.commit)).toBe(1);
        // The pull requests' plan role reads state, never a saved plan; the planner writes them, reads none.
        const roles = {
          plan: await assumeRole(foundation.plan_role_arn.value as string, "pull-request-1"),
          planner: await assumeRole(foundation.planner_role_arn.value as string, "apply-plan-job"),
        };
        await emulator(["iam", "on"]);
        try {
          const reads: Record<string, string> = {};
          for (const [role, credentials] of Object.entries(roles)) {
            reads[role] = await new S3Client({
              ...aws,
              credentials: {
                accessKeyId: credentials.AWS_ACCESS_KEY_ID!,
                secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY!,
                sessionToken: credentials.AWS_SESSION_TOKEN,
              },
            })
              .send(new GetObjectCommand({ Bucket: env.state.bucket, Key: key(rehearsal.commit) }))
              .then(
                () => "read",
                (e: Error) => e.name,
              );
          }
          expect(reads).toEqual({ plan: "AccessDenied", planner: "AccessDenied" });
        } finally {
          await emulator(["iam", "off"]);
        }
        const applied = await applyJob();
        expect({ code: applied.code, tail: applied.code === 0 ? "" : applied.output.slice(-3000) }).toEqual({
          code: 0,
          tail: "",
        });
        expect(applied.output).toMatch(/Apply complete! Resources: 1 added, 0 changed, 1 destroyed\./);
        expect(await saved(rehearsal.commit)).toBe(0);

        // 2. Stale: a plan saved, then the state changes; the saved plan is refused, nothing applied.
        expect((await planJob()).summary).toContain(`### \`${stack}\`: no changes`);
        await tofu(["taint", target]);
        const stale = await applyJob();
        expect(stale.code).toBe(1);
        expect(stale.output).toContain(
          `plan-apply: the saved plan s3://${env.state.bucket}/${key(rehearsal.commit)} is stale: the state of ${stack} changed after the plan was made (another apply ran); nothing was applied. Plan again and review the new plan: npm run plan-save -- ${stack}`,
        );
        expect((await tofu(["state", "show", target])).output).toMatch(/# .* \(tainted\)/);

        // 3. What is not that commit's plan of that stack is refused before any engine runs.
        const otherCommit = await applyJob(rehearsal.nextCommit);
        expect(otherCommit.code).toBe(1);
        expect(otherCommit.output).toContain(
          `plan-apply: no saved plan of ${stack} for commit ${rehearsal.nextCommit} (s3://${env.state.bucket}/${key(rehearsal.nextCommit)}); there are plans of this stack for other commits (${rehearsal.commit}), and a plan applies only at its own: plan it first: npm run plan-save -- ${stack}; nothing was applied`,
        );
        const otherStackKey = savedPlanKey(env, "data-pipeline", rehearsal.commit);
        await s3.send(
          new CopyObjectCommand({
            Bucket: env.state.bucket,
            Key: otherStackKey,
            CopySource: `${env.state.bucket}/${key(rehearsal.commit)}`,
          }),
        );
        try {
          const otherStack = await rehearsal.apply(local("data-pipeline"), { ...tools, ...applyCredentials });
          expect(otherStack.code).toBe(1);
          expect(otherStack.output).toContain(
            `plan-apply: the saved plan s3://${env.state.bucket}/${otherStackKey} was saved for ${stack} at commit ${rehearsal.commit}, not ${local("data-pipeline")} at ${rehearsal.commit}`,
          );
        } finally {
          await s3.send(new DeleteObjectCommand({ Bucket: env.state.bucket, Key: otherStackKey }));
        }

        // 4. Planned again, reviewed, applied: the state is what the code says.
        const again = await planJob();
        expect(again.summary).toContain(`### \`${stack}\`: 0 to create, 0 to update, 1 to replace, 0 to destroy`);
        const reapplied = await applyJob();
        expect({ code: reapplied.code, tail: reapplied.code === 0 ? "" : reapplied.output.slice(-3000) }).toEqual({
          code: 0,
          tail: "",
        });
        expect((await planJob()).summary).toContain(`### \`${stack}\`: no changes`);
        await s3.send(new DeleteObjectCommand({ Bucket: env.state.bucket, Key: key(rehearsal.commit) }));
      } finally {
        rehearsal.remove();
      }
    },
  );
}

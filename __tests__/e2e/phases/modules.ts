/** Each module applied whole: what its stack made, read back with the SDK against its outputs. */
import { DescribeStreamSummaryCommand } from "@aws-sdk/client-kinesis";
import { expectLandingApplied } from "../data-pipeline";
import type { LocalPlatform } from "../local-platform";
import type { MainLine } from "../main-line";
import { expectMlPlatformApplied } from "../ml-platform";
import { expectFrontendApplied, expectOrderTrackingApplied } from "../order-tracking";
import { motoUserPasswords } from "../secrets-in-state";

export function modulesPhase(main: MainLine, { env, aws, kinesis, stateObject }: LocalPlatform): void {
  main.step(
    "data-pipeline's landing function: packaged code, reserved concurrency, tracing, dead-letter queue, triggered by the events stream",
    async () => {
      const stream = await kinesis.send(
        new DescribeStreamSummaryCommand({ StreamName: "acme-local-data-pipeline-events" }),
      );
      await expectLandingApplied(aws, stream.StreamDescriptionSummary!.StreamARN!);
    },
  );

  main.step(
    "order-tracking is applied whole: PostgreSQL, MSK Serverless with IAM, issued certificate, HTTPS load balancer and alias, Fargate service, CloudFront frontend",
    async () => {
      const outputs = Object.fromEntries(
        Object.entries((await stateObject("order-tracking")).outputs as Record<string, { value: string }>).map(
          ([k, v]) => [k, v.value],
        ),
      );
      const domains = env.modules["order-tracking"].settings as {
        service: { domain: string };
        frontend: { domain: string };
      };
      await expectOrderTrackingApplied(aws, domains.service.domain, env.dns.publicZone!, outputs);
      await expectFrontendApplied(aws, domains.frontend.domain, env.dns.publicZone!, outputs);
    },
  );

  main.step(
    "ml-platform: Redis encrypted at rest with the environment's key and in transit, ACL users (default off), the user's password in its secret and nowhere else, slow log",
    async () => {
      const outputs = Object.fromEntries(
        Object.entries((await stateObject("ml-platform")).outputs as Record<string, { value: string }>).map(
          ([k, v]) => [k, v.value],
        ),
      );
      const kmsKeyArn = (await stateObject("foundation")).outputs.kms_key_arn.value as string;
      await expectMlPlatformApplied(aws, kmsKeyArn, outputs, (user) => motoUserPasswords(env.endpoint!, user));
    },
  );
}

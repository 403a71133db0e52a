/** What the e2e reads back of data-pipeline's landing function once it is applied in `local`. */
import {
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
} from "@aws-sdk/client-lambda";
import type { sdkConfig } from "../../scripts/aws";

type SdkConfig = ReturnType<typeof sdkConfig>;

export async function expectLandingApplied(aws: SdkConfig, streamArn: string): Promise<void> {
  const lambda = new LambdaClient(aws);
  const name = "acme-local-data-pipeline-land-events";
  const fn = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
  expect(fn.Configuration).toMatchObject({
    Runtime: "nodejs20.x",
    Handler: "index.handler",
    TracingConfig: { Mode: "Active" },
    DeadLetterConfig: { TargetArn: expect.stringMatching(/:acme-local-data-pipeline-land-events-failures$/) },
    Environment: { Variables: { RAW_BUCKET: "acme-local-data-pipeline-raw-000000000000", RAW_PREFIX: "events/" } },
  });
  expect(fn.Configuration?.KMSKeyArn).toMatch(/^arn:aws:kms:/);
  expect(
    (await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }))).ReservedConcurrentExecutions,
  ).toBe(2);
  const mappings =
    (await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: fn.Configuration?.FunctionArn })))
      .EventSourceMappings ?? [];
  expect(mappings).toHaveLength(1);
  expect(mappings[0]).toMatchObject({
    EventSourceArn: streamArn,
    BatchSize: 100,
    DestinationConfig: {
      OnFailure: { Destination: expect.stringMatching(/:acme-local-data-pipeline-land-events-failures$/) },
    },
  });
}

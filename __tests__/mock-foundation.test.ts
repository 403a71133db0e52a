import { moduleNamed } from "../packages";
import { Testing } from "cdktf";

import { mockFoundationOutputs } from "../stacks/foundation-contract";
import { MOCK_REFUSAL } from "../stacks/foundation-ref";
import { ModuleStack } from "../stacks/module-stack";
import { env, resourcesOf, synthJson } from "./helpers";

const fileProcessing = moduleNamed("file-processing");

const prod = env("prod");
const settings = fileProcessing.settings.parse(prod.modules["file-processing"].settings);
const mocked = synthJson(
  new ModuleStack(Testing.app(), { env: prod, module: fileProcessing, settings, mockFoundation: true }),
);
const real = synthJson(new ModuleStack(Testing.app(), { env: prod, module: fileProcessing, settings }));

describe("mock foundation outputs (plan only)", () => {
  test("the mocked stack reads no remote state; the real one does", () => {
    expect(mocked.data?.terraform_remote_state).toBeUndefined();
    expect(Object.keys(real.data?.terraform_remote_state ?? {})).toHaveLength(1);
  });

  test("mock values come from the contract's mockFoundationOutputs", () => {
    const sse = JSON.stringify(resourcesOf(mocked, "aws_s3_bucket_server_side_encryption_configuration"));
    expect(sse).toContain(mockFoundationOutputs(prod).kms_key_arn);
  });

  test("apply is refused: every resource depends on a guard whose creation fails", () => {
    const guards = Object.entries(resourcesOf(mocked, "terraform_data"));
    expect(guards).toHaveLength(1);
    const [guardId, guard] = guards[0];
    expect(JSON.stringify(guard.provisioner)).toContain(MOCK_REFUSAL);
    expect(JSON.stringify(guard.provisioner)).toContain("exit 1");
    for (const [type, byId] of Object.entries(mocked.resource ?? {})) {
      if (type === "terraform_data") continue;
      for (const [id, config] of Object.entries(byId)) {
        expect({ resource: `${type}.${id}`, depends_on: config.depends_on }).toEqual({
          resource: `${type}.${id}`,
          depends_on: expect.arrayContaining([`terraform_data.${guardId}`]),
        });
      }
    }
  });

  test("a stack without mocks has no guard", () => {
    expect(resourcesOf(real, "terraform_data")).toEqual({});
  });
});

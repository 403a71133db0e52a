import { ConfigError } from "../environments";
import { stateReadFailure } from "../scripts/lib/state-object";

/** An SDK error as the S3 client throws it: a name and the HTTP status of the answer. */
const answered = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe("what S3's refusal to read a state object means (one meaning for every command)", () => {
  test("no bucket or no object: missing", () => {
    for (const e of [answered("NotFound", 404), answered("NoSuchKey", 404), answered("NoSuchBucket", 404)])
      expect(stateReadFailure(e, "b", "k")).toBe("missing");
  });

  test("403 is no answer: S3 says it for a missing object to a caller without s3:ListBucket; the error names the object and what to do", () => {
    const failure = stateReadFailure(
      answered("Forbidden", 403),
      "acme-dev-tfstate",
      "acme/dev/dev-foundation/terraform.tfstate",
    );
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toBe(
      "cannot read the state object s3://acme-dev-tfstate/acme/dev/dev-foundation/terraform.tfstate: access denied (with s3:ListBucket on the bucket S3 would say whether it exists); use credentials that may read the environment's state",
    );
  });

  test("anything else is passed on as it is", () => {
    const slow = answered("SlowDown", 503);
    expect(stateReadFailure(slow, "b", "k")).toBe(slow);
  });
});

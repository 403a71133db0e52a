import { readFileSync } from "node:fs";
import { join } from "node:path";
import { scanText, secretLikeOutput } from "../../review/secrets";
import { workingTreeFiles } from "../../scripts/lib/working-tree";
import { synthesizedPlatform } from "../helpers";

const repo = join(__dirname, "..", "..");
// Built at run time so this file does not itself hold the shapes it tests for.
const fakeKeyId = ["AKIA", "IOSFODNN7", "EXAMPLE"].join("");
const fakeToken = ["ghp", "_", "a".repeat(36)].join("");
const fakePassword = ['{"pass', 'word": "hunter22"}'].join("");

describe("secret scanner", () => {
  test("finds secret-shaped values and masks them in its report", () => {
    const findings = scanText("sample.json", `{\n "access": "${fakeKeyId}",\n "token": "${fakeToken}"\n}`);
    expect(findings.map((f) => [f.kind, f.where])).toEqual([
      ["AWS access key id", "sample.json:2"],
      ["GitHub token", "sample.json:3"],
    ]);
    expect(JSON.stringify(findings)).not.toContain(fakeKeyId);
  });

  test("a password given as a literal is found; one from a reference is not", () => {
    expect(scanText("x", fakePassword)).toHaveLength(1);
    expect(scanText("x", '{"password": "${aws_secretsmanager_secret_version.db.secret_string}"}')).toEqual([]);
  });

  test("output names: secrets must be sensitive, ARNs and names of secrets need not", () => {
    expect(secretLikeOutput("db_password")).toBe(true);
    expect(secretLikeOutput("db_secret_arn")).toBe(false);
  });
});

describe("no secrets anywhere", () => {
  const stacks = [...synthesizedPlatform().stacks].map(([name, json]) => ({ name, json }));

  test("synthesized JSON of every stack holds no secret-shaped value", () => {
    const findings = stacks.flatMap(({ name, json }) => scanText(`${name}/cdk.tf.json`, JSON.stringify(json, null, 1)));
    expect(findings).toEqual([]);
  });

  test("outputs that could carry a secret are sensitive", () => {
    for (const { name, json } of stacks) {
      for (const [output, spec] of Object.entries(json.output ?? {})) {
        if (secretLikeOutput(output))
          expect({ stack: name, output, sensitive: spec.sensitive }).toEqual({ stack: name, output, sensitive: true });
      }
    }
  });

  test("tracked code, environment files and workflows hold no secret-shaped value", () => {
    const files = workingTreeFiles(repo).filter(
      (f) => !f.startsWith("__tests__/fixtures/") && !/\.(lock|png)$/.test(f) && f !== "package-lock.json",
    );
    const findings = files.flatMap((f) => scanText(f, readFileSync(join(repo, f), "utf8")));
    expect(findings).toEqual([]);
  });

  test("the only credentials in any stack are the emulator's test keys, in local stacks only", () => {
    for (const { name, json } of stacks) {
      const text = JSON.stringify(json);
      const keys = [...text.matchAll(/"(?:access_key|secret_key)":"([^"]*)"/g)].map((m) => m[1]);
      if (name.startsWith("local-")) expect(new Set(keys)).toEqual(new Set(["test"]));
      else expect(keys).toEqual([]);
    }
  });
});

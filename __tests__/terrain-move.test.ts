import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  bindingsProblem,
  CDKTN,
  moveCdktfJson,
  moveScript,
  moveSource,
  movePackageJson,
  nodeCanRunCdktn,
} from "../scripts/lib/terrain-move";
import { workingTreeFiles } from "../scripts/lib/working-tree";
import { jsonDifferences } from "../scripts/terrain-rehearsal";

const ROOT = join(__dirname, "..");
const api = JSON.parse(readFileSync(join(__dirname, "fixtures", "cdktn-0.24.0-api.json"), "utf8")) as {
  types: string[];
};

describe("the move to CDK Terrain (scripts/lib/terrain-move.ts)", () => {
  test("imports: cdktf becomes cdktn, the AWS provider its cdktn package, kubernetes and helm the generated bindings", () => {
    const before = [
      'import { App, TerraformStack } from "cdktf";',
      'import * as trace from "cdktf/lib/tokens/private/stack-trace";',
      'import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";',
      'import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";',
      'import type { HelmProvider } from "@cdktf/provider-helm/lib/provider";',
    ].join("\n");
    expect(moveSource("constructs/kubernetes-app.ts", before).split("\n")).toEqual([
      'import { App, TerraformStack } from "cdktn";',
      'import * as trace from "cdktn/lib/tokens/private/stack-trace";',
      'import { S3Bucket } from "@cdktn/provider-aws/lib/s3-bucket";',
      'import { DeploymentV1 } from "../.gen/providers/kubernetes/deployment-v1";',
      'import type { HelmProvider } from "../.gen/providers/helm/provider";',
    ]);
    expect(moveSource("main.ts", 'import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";')).toBe(
      'import { KubernetesProvider } from "./.gen/providers/kubernetes/provider";',
    );
    // Written in two parts so that the rehearsal, which moves this file too, does not read it as an import.
    const unknown = 'import { X } from "@cdktf/' + 'provider-random/lib/x";';
    expect(() => moveSource("a/b.ts", unknown)).toThrow(
      "a/b.ts: imports @cdktf/provider-random, which the move to cdktn does not know; add it to PROVIDERS in scripts/lib/terrain-move.ts",
    );
  });

  test("package.json: cdktn's packages at their pinned releases, generated providers dropped, a Node cdktn runs on", () => {
    const moved = movePackageJson({
      name: "p",
      dependencies: {
        cdktf: "0.21.0",
        constructs: "10.4.2",
        "@cdktf/provider-aws": "21.22.1",
        "@cdktf/provider-kubernetes": "12.1.1",
        "@cdktf/provider-helm": "12.1.2",
        zod: "4.0.0",
      },
      devDependencies: { "cdktf-cli": "0.21.0", jest: "30.0.0" },
      engines: { node: "^20.19.0 || ^22.12.0 || ^24.0.0" },
    });
    expect(moved).toEqual({
      name: "p",
      dependencies: {
        cdktn: CDKTN.cdktn,
        constructs: CDKTN.constructs,
        "@cdktn/provider-aws": CDKTN["@cdktn/provider-aws"],
        zod: "4.0.0",
      },
      devDependencies: { "cdktn-cli": CDKTN["cdktn-cli"], jest: "30.0.0" },
      engines: { node: ">=22.19.0" },
    });
    expect(
      moveCdktfJson({ language: "typescript", terraformProviders: [] }, { kubernetes: "3.2.1", helm: "3.2.0" }),
    ).toEqual({
      language: "typescript",
      codeMakerOutput: ".gen",
      terraformProviders: ["hashicorp/kubernetes@3.2.1", "hashicorp/helm@3.2.0"],
    });
  });

  test("the CLI the scripts run becomes cdktn's", () => {
    const line = 'exec "${PLATFORM_CDKTF_BIN:-$repo/node_modules/.bin/cdktf}" "$command" "$@"';
    expect(moveScript(line)).toBe('exec "${PLATFORM_CDKTF_BIN:-$repo/node_modules/.bin/cdktn}" "$command" "$@"');
    expect(moveScript(readFileSync(join(ROOT, "scripts", "cdktf.ts"), "utf8"))).toContain(
      'join(repo, "node_modules/.bin/cdktn")',
    );
  });

  test("bindings cdktn get could not generate are named with their release and the engine's words", () => {
    const generated = { kubernetes: "3.2.1", helm: "3.2.0" };
    const message = bindingsProblem(["helm"], generated, "Error: Failed to query available provider packages");
    expect(message).toBe(
      "cdktn get could not generate bindings for helm (hashicorp/helm@3.2.0): it reads each provider's schema through the toolchain's engine and provider mirror (bash local/toolchain.sh builds them):\nError: Failed to query available provider packages",
    );
    expect(bindingsProblem([], generated, "")).toContain(
      "kubernetes (hashicorp/kubernetes@3.2.1), helm (hashicorp/helm@3.2.0)",
    );
  });

  test("cdktn-cli needs Node 22.19 or later", () => {
    expect(["v20.20.2", "v22.12.0", "22.18.9"].map(nodeCanRunCdktn)).toEqual([false, false, false]);
    expect(["v22.19.0", "v24.22.3", "26.0.0"].map(nodeCanRunCdktn)).toEqual([true, true, true]);
  });

  test("the rehearsal's comparison names each differing leaf by its JSON path", () => {
    expect(
      jsonDifferences({ a: 1, "//": { v: "0.21.0" }, l: [1, 2] }, { a: 1, "//": { v: "0.24.0" }, l: [1, 3] }),
    ).toEqual([
      { path: '/"//"/v', cdktf: "0.21.0", cdktn: "0.24.0" },
      { path: "/l/1", cdktf: 2, cdktn: 3 },
    ]);
    expect(jsonDifferences({ a: { b: 1 } }, { a: { b: 1 } })).toEqual([]);
    expect(jsonDifferences({ only: 1 }, {})).toEqual([{ path: "/only", cdktf: 1, cdktn: undefined }]);
  });
});

describe("the cdktf code stays a rename away from cdktn", () => {
  const files = workingTreeFiles(ROOT, "*.ts");

  test("every name the code imports from cdktf exists in cdktn 0.24's public API", () => {
    const imported = new Map<string, string>();
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), "utf8");
      for (const m of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"cdktf"/g)) {
        for (const part of m[1].split(",")) {
          const name = part
            .replace(/^\s*type\s+/, "")
            .replace(/\s+as\s+\w+/, "")
            .trim();
          if (name) imported.set(name, file);
        }
      }
    }
    expect(imported.size).toBeGreaterThan(10);
    const missing = [...imported].filter(([name]) => !api.types.includes(name)).map(([n, f]) => `${n} (${f})`);
    expect(missing).toEqual([]);
  });

  test("no call to a cdktf API whose contract cdktn changed (Fn.format and Fn.formatlist return typed values there)", () => {
    const uses = files.filter((f) => /\bFn\.format(list)?\(/.test(readFileSync(join(ROOT, f), "utf8")));
    expect(uses).toEqual([]);
  });
});

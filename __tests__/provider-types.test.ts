import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { synthesizedPlatform } from "./helpers";

const LIST = "local/aws-provider-types.txt";

/** The type names the slim AWS provider registers (local/slim_provider.py --types). */
function listed(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter((line) => line !== "");
}

describe(`the slim AWS provider's types (${LIST})`, () => {
  const types = listed(readFileSync(join(__dirname, "..", LIST), "utf8"));

  test("name every AWS resource and data source type the platform synthesizes, in every environment", () => {
    const used = new Set<string>();
    for (const json of synthesizedPlatform().stacks.values()) {
      for (const block of [json.resource, json.data]) {
        for (const type of Object.keys(block ?? {})) if (type.startsWith("aws_")) used.add(type);
      }
    }
    expect(used.size).toBeGreaterThan(50);
    // A type missing here is unknown to the provider the toolchain builds: add it to the list and
    // run `bash local/toolchain.sh`, which rebuilds the provider.
    const missing = [...used].filter((t) => !types.includes(t)).sort();
    expect({ missingFromTheList: missing }).toEqual({ missingFromTheList: [] });
  });

  test("are AWS type names, each once", () => {
    expect(types.filter((t) => !/^aws_[a-z0-9_]+$/.test(t))).toEqual([]);
    expect(types.filter((t, i) => types.indexOf(t) !== i)).toEqual([]);
  });
});

describe("local/slim_provider.py keeps a service registry's listed types", () => {
  // A service package's generated registry, shaped as the provider generates it.
  const registry = [
    "package sqs",
    "",
    "import (",
    '\t"context"',
    '\t"unique"',
    "",
    '\tinttypes "github.com/hashicorp/terraform-provider-aws/internal/types"',
    '\t"github.com/hashicorp/terraform-provider-aws/names"',
    ")",
    "",
    "func (p *servicePackage) SDKResources(ctx context.Context) []*inttypes.ServicePackageSDKResource {",
    "\treturn []*inttypes.ServicePackageSDKResource{",
    "\t\t{",
    "\t\t\tFactory:  resourceQueue,",
    '\t\t\tTypeName: "aws_sqs_queue",',
    "\t\t\tRegion:   inttypes.ResourceRegionDefault(),",
    "\t\t},",
    "\t\t{",
    "\t\t\tFactory:  resourceQueuePolicy,",
    '\t\t\tTypeName: "aws_sqs_queue_policy",',
    "\t\t\tTags: unique.Make(inttypes.ServicePackageResourceTags{",
    "\t\t\t\tIdentifierAttribute: names.AttrID,",
    "\t\t\t}),",
    "\t\t},",
    "\t}",
    "}",
    "",
  ].join("\n");

  function slim(types: string[]): { text: string; listed: string[] } {
    const run = spawnSync(
      "python3",
      [
        "-c",
        "import json, sys; sys.path.insert(0, 'local'); import slim_provider as s; " +
          "text, listed = s.slim_registry(sys.stdin.read(), set(json.loads(sys.argv[1]))); " +
          "print(json.dumps({'text': text, 'listed': sorted(listed)}))",
        JSON.stringify(types),
      ],
      { cwd: join(__dirname, ".."), input: registry, encoding: "utf8" },
    );
    if (run.status !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout) as { text: string; listed: string[] };
  }

  test("drops the entries of other types, and the imports only they used", () => {
    const { text, listed } = slim(["aws_sqs_queue"]);
    expect(listed).toEqual(["aws_sqs_queue", "aws_sqs_queue_policy"]);
    expect(text).toContain('TypeName: "aws_sqs_queue",');
    expect(text).not.toContain("aws_sqs_queue_policy");
    expect(text).not.toContain('"unique"');
    expect(text).not.toContain("/names");
    expect(text).toContain('\t"context"');
    expect(text).toContain("inttypes");
  });

  test("keeps everything when every type is listed", () => {
    expect(slim(["aws_sqs_queue", "aws_sqs_queue_policy"]).text).toBe(registry);
  });
});

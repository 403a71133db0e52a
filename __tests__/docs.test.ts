import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { MODULES } from "../packages";
import { generatedDocs, staleDocs } from "../tools/docs";
import { replaceGenerated, settingRows, settingsMarkdown } from "../tools/settings-table";

const ROOT = join(__dirname, "..");

describe("generated tables (npm run docs)", () => {
  test("README.md and every module README are current; run `npm run docs` after changing what they mirror", () => {
    expect(staleDocs()).toEqual([]);
    expect([...generatedDocs().keys()].sort()).toEqual(
      ["README.md", "local/README.md", ...MODULES.map((m) => `packages/${m.name}/README.md`)].sort(),
    );
  });

  test("a table edited by hand is reported stale, naming its file", () => {
    const root = mkdtempSync(join(tmpdir(), "docs-"));
    for (const file of [
      "README.md",
      join("local", "README.md"),
      ...MODULES.map((m) => join("packages", m.name, "README.md")),
    ]) {
      mkdirSync(join(root, file, ".."), { recursive: true });
      copyFileSync(join(ROOT, file), join(root, file));
    }
    const readme = join(root, "packages", "ml-platform", "README.md");
    writeFileSync(
      readme,
      readFileSync(readme, "utf8").replace(
        "| `cache.nodes` | integer 1 to 6 | `2` |",
        "| `cache.nodes` | integer 1 to 6 | `5` |",
      ),
    );
    expect(staleDocs(root)).toEqual(["packages/ml-platform/README.md"]);
  });

  test("a settings table shows type, range, default, description and what each environment sets", () => {
    const schema = z
      .object({
        mode: z.enum(["A", "B"]).default("A").describe("Which way | to run."),
        worker: z
          .object({ replicas: z.number().int().min(1).max(9).default(2), image: z.string().default("1.0") })
          .strict()
          .prefault({})
          .describe("The worker."),
        topics: z.array(z.string()).default(["t"]),
      })
      .strict();
    const environments = {
      default: { enabled: true },
      dev: { enabled: false },
      prod: { settings: { worker: { replicas: 4 } } },
    };
    expect(settingRows(schema, environments)).toEqual([
      {
        path: "mode",
        type: '`"A"` \\| `"B"`',
        default: '`"A"`',
        description: "Which way \\| to run.",
        environments: "",
      },
      { path: "worker", type: "object", default: "", description: "The worker.", environments: "" },
      { path: "worker.replicas", type: "integer 1 to 9", default: "`2`", description: "", environments: "prod: `4`" },
      { path: "worker.image", type: "string", default: '`"1.0"`', description: "", environments: "" },
      { path: "topics", type: "list of string", default: '`["t"]`', description: "", environments: "" },
    ]);
    expect(settingsMarkdown(schema, environments, ["local", "dev", "prod"]).split("\n")[0]).toMatch(
      /^Enabled in local, prod; disabled in dev\./,
    );
  });

  test("a document without the generated block is an error naming the file and the lines to add", () => {
    expect(() => replaceGenerated("# x\n", "packages/x/README.md", "body", "<!-- a -->", "<!-- b -->")).toThrow(
      'packages/x/README.md: no "<!-- a -->" ... "<!-- b -->" block to write the generated table into; add both lines',
    );
  });
});

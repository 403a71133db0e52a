import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RULES } from "../../policies/rules";
import { CHECKOV_SUPPRESSIONS } from "../../policies/checkov-suppressions";
import { SUPPRESSIONS } from "../../policies/suppressions";

const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");

/** Body rows of the first Markdown table after `heading`, as trimmed cells. */
function table(heading: string): string[][] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "${heading}" heading`);
  const lines = readme.slice(start + heading.length + 2).split("\n");
  const first = lines.findIndex((l) => l.startsWith("|"));
  const rows: string[] = [];
  for (const l of lines.slice(first)) {
    if (!l.startsWith("|")) break;
    rows.push(l);
  }
  return rows.slice(2).map((r) =>
    r
      .slice(1, -1)
      .split("|")
      .map((c) => c.trim()),
  );
}

describe("README policy pack section matches the code", () => {
  test("the rules table lists every rule with its description, in order", () => {
    expect(table("## Policy pack")).toEqual(RULES.map((r) => [r.id, r.description]));
  });

  test("the suppressions table equals policies/suppressions.ts", () => {
    expect(table("### Suppressions")).toEqual(SUPPRESSIONS.map((s) => [s.id, `\`${s.path}\``, s.reason]));
  });

  test("the Checkov suppressions table equals policies/checkov-suppressions.ts", () => {
    expect(table("### Checkov")).toEqual(CHECKOV_SUPPRESSIONS.map((s) => [s.check, `\`${s.path}\``, s.reason]));
  });
});

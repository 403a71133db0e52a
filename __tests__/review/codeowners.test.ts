import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MODULES } from "../../packages";
import { CODEOWNERS_PATH, renderCodeowners } from "../../review/codeowners";

describe("CODEOWNERS", () => {
  test("is up to date with the module declarations (run `npm run codeowners`)", () => {
    expect(readFileSync(join(__dirname, "..", "..", CODEOWNERS_PATH), "utf8")).toBe(renderCodeowners(MODULES));
  });

  test("gives each module its one folder, the rest (the registry included) to the platform", () => {
    const text = renderCodeowners(MODULES);
    expect(text).toMatch(/^\/packages\/order-tracking\/\s+@acme\/orders-team$/m);
    expect(text).toMatch(/^\/packages\/index\.ts\s+@acme\/platform-team$/m);
    expect(text).toMatch(/^\/stacks\/\s+@acme\/platform-team$/m);
    expect(text.split("\n").filter((l) => l.includes("@acme/orders-team"))).toEqual([
      expect.stringMatching(/^\/packages\/order-tracking\/ /),
    ]);
    // Later lines win: a module line must follow the catch-all it refines.
    expect(text.indexOf("/packages/order-tracking/")).toBeGreaterThan(text.indexOf("* "));
  });

  test("a module without an owner is refused with how to fix it", () => {
    expect(() => renderCodeowners([{ name: "billing", owner: "" }])).toThrow(
      'module "billing" has no owner; set owner in packages/billing/index.ts to a team handle such as @acme/data-team',
    );
    expect(() => renderCodeowners([{ name: "billing", owner: "finance team" }])).toThrow(
      'module "billing" has an invalid owner "finance team"',
    );
  });

  test("every module README names its owner and the foundation outputs it consumes", () => {
    for (const m of MODULES) {
      const readme = readFileSync(join(__dirname, "..", "..", "packages", m.name, "README.md"), "utf8");
      expect(readme).toContain(`Owner: \`${m.owner}\``);
      for (const output of m.consumes) expect(readme).toContain(`\`${output}\``);
    }
  });
});

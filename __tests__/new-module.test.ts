import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseNewModule } from "../tools/new-module";
import { UsageError } from "../scripts/lib/cli";
import { scratchRepository } from "./scratch-repo";
import { thrownMessage } from "./helpers";

// `npm run new-module`, run in a copy of the repository: a registered, documented, owned and tested
// module that synthesizes in every environment, and bad input refused with nothing written.

const ROOT = join(__dirname, "..");
const USAGE = 'usage: npm run new-module -- <name> --owner <@org/team> [--description "what it provides"]';

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, args, { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  if (result.error) throw result.error;
  return result;
}

const git = (cwd: string, ...args: string[]) => spawnSync("git", ["-C", cwd, ...args], { encoding: "utf8" }).stdout;

describe("npm run new-module", () => {
  const copy = scratchRepository(ROOT, join(mkdtempSync(join(tmpdir(), "new-module-")), "repo"));
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
  appendFileSync(join(copy, ".git", "info", "exclude"), "node_modules\n");
  const created = run(copy, [
    "-r",
    "./scripts/register.js",
    "tools/new-module.ts",
    "billing-events",
    "--owner",
    "@acme/billing-team",
    "--description",
    "Billing events: a bucket and a work queue.",
  ]);

  test("writes the module's folder, registers it, owns it and writes its generated tables", () => {
    expect(created.stderr).toBe("");
    expect(created.status).toBe(0);
    expect(readdirSync(join(copy, "packages", "billing-events")).sort()).toEqual([
      "README.md",
      "billing-events.test.ts",
      "environments.ts",
      "index.ts",
      "resources.ts",
      "settings.ts",
    ]);
    expect(git(copy, "diff", "--numstat", "--", "packages/index.ts").trim()).toBe("1\t0\tpackages/index.ts");
    expect(readFileSync(join(copy, ".github", "CODEOWNERS"), "utf8")).toMatch(
      /^\/packages\/billing-events\/\s+@acme\/billing-team$/m,
    );
    const readme = readFileSync(join(copy, "packages", "billing-events", "README.md"), "utf8");
    expect(readme).toContain(
      "| `maxReceiveCount` | integer 1 to 1000 | `5` | Failed receives before a message moves to the dead-letter queue. | prod: `7` |",
    );
    expect(readme).toContain("| `work_queue_url` | The module's work queue. | all where enabled |");
    expect(run(copy, ["-r", "./scripts/register.js", "tools/docs.ts", "--check"]).status).toBe(0);
  });

  test("synthesizes a stack in every environment, and its own test, lint and format pass", () => {
    const out = join(mkdtempSync(join(tmpdir(), "new-module-out-")), "out");
    const synth = run(copy, ["-r", "./scripts/register.js", "main.ts"], {
      CDKTF_OUTDIR: out,
      PLATFORM_STACKS: "*-billing-events",
    });
    expect(synth.status).toBe(0);
    for (const env of ["local", "dev", "staging", "prod"]) {
      expect(existsSync(join(out, "stacks", `${env}-billing-events`, "cdk.tf.json"))).toBe(true);
    }
    const jest = run(copy, [join(copy, "node_modules", "jest", "bin", "jest.js"), "packages/billing-events"]);
    expect(jest.stderr).toMatch(/Tests:\s+5 passed, 5 total/);
    expect(jest.status).toBe(0);
    const eslint = run(copy, [join(copy, "node_modules", "eslint", "bin", "eslint.js"), "packages/billing-events"]);
    expect(eslint.stdout + eslint.stderr).toBe("");
    const prettier = run(copy, [
      join(copy, "node_modules", "prettier", "bin", "prettier.cjs"),
      "--check",
      "--log-level",
      "warn",
      "packages/billing-events",
    ]);
    expect(prettier.status).toBe(0);
  });

  test("a module folder left out of MODULE_NAMES stops synth instead of never being deployed", () => {
    mkdirSync(join(copy, "packages", "stray"));
    writeFileSync(join(copy, "packages", "stray", "index.ts"), "export {};\n");
    const synth = run(copy, ["-r", "./scripts/register.js", "main.ts"], {
      CDKTF_OUTDIR: join(mkdtempSync(join(tmpdir(), "new-module-out-")), "out"),
    });
    rmSync(join(copy, "packages", "stray"), { recursive: true });
    expect(synth.status).toBe(1);
    expect(synth.stderr).toContain(
      'packages/stray/ is a module folder but not in MODULE_NAMES of packages/index.ts; add "stray" there',
    );
  });

  test("bad input is refused naming what is wrong, and nothing is written", () => {
    const before = git(copy, "status", "--porcelain");
    const refused = run(copy, ["-r", "./scripts/register.js", "tools/new-module.ts", "Billing", "--owner", "@acme/x"]);
    expect(refused.status).toBe(64);
    expect(refused.stderr).toBe(
      `module name "Billing" must be lowercase letters and digits in words joined by single hyphens, starting with a letter, at most 30 characters (it names the folder, the stacks and the resources)\n${USAGE}\n`,
    );
    expect(git(copy, "status", "--porcelain")).toBe(before);
  });
});

describe("parseNewModule", () => {
  const message = (argv: string[]) => thrownMessage(() => parseNewModule(argv, ROOT), UsageError);

  test("takes a name, an owner and a description", () => {
    expect(parseNewModule(["payments", "--owner", "@acme/payments-team", "--description", "Payments."], ROOT)).toEqual({
      name: "payments",
      owner: "@acme/payments-team",
      description: "Payments.",
    });
  });

  test("refuses what would break the platform's names, with the fix", () => {
    expect(message(["foundation", "--owner", "@acme/x"])).toBe(
      `module name "foundation" is reserved for a platform stack; choose another\n${USAGE}`,
    );
    expect(message(["file-processing", "--owner", "@acme/x"])).toBe(
      `packages/file-processing/ exists already; choose another name\n${USAGE}`,
    );
    expect(message(["payments"])).toBe(`--owner is required: the team that owns the module\n${USAGE}`);
    expect(message(["payments", "--owner", "acme team"])).toBe(
      `module "payments" has an invalid owner "acme team"; give --owner a team handle such as @acme/data-team\n${USAGE}`,
    );
    expect(message(["a", "b", "--owner", "@acme/x"])).toBe(`name exactly one module\n${USAGE}`);
    expect(message(["payments", "--owner", "@acme/x", "--team", "y"])).toBe(`Unknown option '--team'\n${USAGE}`);
  });
});

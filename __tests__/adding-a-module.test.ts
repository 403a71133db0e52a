import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addModule, bucketAndQueueModule } from "../tools/module-folder";
import { scratchRepository } from "./scratch-repo";

// README "Adding a module", done in a copy of the repository: one folder and one line elsewhere.

const ROOT = join(__dirname, "..");

function run(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  if (result.error) throw result.error;
  return result;
}

const git = (cwd: string, ...args: string[]) =>
  run(cwd, "git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args]);

/** The repository's working tree in a fresh git repository of its own, dependencies linked. */
function copyOfRepository(): string {
  const copy = scratchRepository(ROOT, join(mkdtempSync(join(tmpdir(), "add-module-")), "repo"));
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
  // A link, not the directory .gitignore's node_modules/ names: ignored here like an install.
  appendFileSync(join(copy, ".git", "info", "exclude"), "node_modules\n");
  return copy;
}

function synth(copy: string) {
  const out = join(mkdtempSync(join(tmpdir(), "add-module-out-")), "out");
  const result = run(copy, process.execPath, ["-r", "./scripts/register.js", "main.ts"], { CDKTF_OUTDIR: out });
  return { ...result, out };
}

const stackJson = (out: string, stack: string) =>
  JSON.parse(readFileSync(join(out, "stacks", stack, "cdk.tf.json"), "utf8")) as {
    resource: Record<string, Record<string, Record<string, unknown>>>;
  };

const maxReceiveCount = (out: string, stack: string) =>
  Object.values(stackJson(out, stack).resource.aws_sqs_queue_redrive_policy).map(
    (r) => JSON.parse(String(r.redrive_policy)).maxReceiveCount,
  );

describe("adding a module", () => {
  const copy = copyOfRepository();
  addModule(copy, "demo-orders", bucketAndQueueModule("demo-orders", "@acme/demo-team", 4));

  test("touches one folder and one line of packages/index.ts", () => {
    git(copy, "add", "-A");
    const changed = git(copy, "diff", "--cached", "--name-only").stdout.trim().split("\n");
    expect(changed.filter((f) => !f.startsWith("packages/demo-orders/"))).toEqual(["packages/index.ts"]);
    expect(git(copy, "diff", "--cached", "--numstat", "--", "packages/index.ts").stdout.trim()).toBe(
      "1\t0\tpackages/index.ts",
    );
  });

  test("synthesizes a stack per environment with the environment's settings merged over default", () => {
    const result = synth(copy);
    expect(result.stderr).not.toContain("synth stopped");
    expect(result.status).toBe(0);
    for (const env of ["local", "dev", "staging", "prod"]) {
      expect(existsSync(join(result.out, "stacks", `${env}-demo-orders`, "cdk.tf.json"))).toBe(true);
    }
    expect(maxReceiveCount(result.out, "dev-demo-orders")).toEqual([4]);
    expect(maxReceiveCount(result.out, "prod-demo-orders")).toEqual([6]);
  });

  test("CODEOWNERS gives the team the folder", () => {
    expect(run(copy, process.execPath, ["-r", "./scripts/register.js", "scripts/codeowners.ts"]).status).toBe(0);
    expect(readFileSync(join(copy, ".github", "CODEOWNERS"), "utf8")).toMatch(
      /^\/packages\/demo-orders\/\s+@acme\/demo-team$/m,
    );
  });

  test("a module folder left out of MODULE_NAMES stops synth instead of never being deployed", () => {
    mkdirSync(join(copy, "packages", "stray"));
    writeFileSync(join(copy, "packages", "stray", "index.ts"), "export {};\n");
    const result = synth(copy);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'packages/stray/ is a module folder but not in MODULE_NAMES of packages/index.ts; add "stray" there',
    );
  });
});

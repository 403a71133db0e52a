import { Testing } from "cdktf";
import { buildPlatform, planPlatform } from "../app";
import { ConfigError, loadEnvironments, parseEnvironment } from "../environments";
import { MODULE_NAMES, MODULES } from "../packages";
import { input, type StackJson, thrownMessage } from "./helpers";

/** The synthesized stacks of dev with `imports` set, by name. */
function dev(
  imports: Record<string, Record<string, string>>,
  locking: "s3" | "dynamodb" = "dynamodb",
): Map<string, StackJson> {
  const raw = input("dev");
  const env = parseEnvironment({
    ...raw,
    imports,
    state: { ...raw.state, locking, lockTable: locking === "s3" ? undefined : "acme-dev-tflock" },
  });
  const app = Testing.app();
  buildPlatform(app, planPlatform([env], MODULES), {
    stacks: new Set(["dev-bootstrap", "dev-foundation", "dev-order-tracking"]),
  });
  const stacks = new Map<string, StackJson>();
  for (const child of app.node.children)
    stacks.set(child.node.id, JSON.parse(Testing.synth(child as never)) as StackJson);
  return stacks;
}

describe("adopting existing resources (imports)", () => {
  test("each entry becomes an import block on the resource at that construct path", () => {
    const stacks = dev({
      bootstrap: { "lock-table": "acme-dev-tflock", "state/bucket": "acme-dev-tfstate-111111111111" },
      "order-tracking": { "database/db": "acme-dev-order-tracking-db" },
    });
    expect((stacks.get("dev-bootstrap") as { import?: unknown[] }).import).toEqual(
      expect.arrayContaining([
        { to: "aws_dynamodb_table.lock-table", id: "acme-dev-tflock" },
        { to: expect.stringMatching(/^aws_s3_bucket\.state_bucket_[0-9A-F]{8}$/), id: "acme-dev-tfstate-111111111111" },
      ]),
    );
    expect((stacks.get("dev-bootstrap") as { import?: unknown[] }).import).toHaveLength(2);
    expect((stacks.get("dev-order-tracking") as { import?: unknown[] }).import).toEqual([
      { to: expect.stringMatching(/^aws_db_instance\.database_db_/), id: "acme-dev-order-tracking-db" },
    ]);
    expect((stacks.get("dev-foundation") as { import?: unknown }).import).toBeUndefined();
  });

  test("a path that names a construct holding resources is refused, listing its resources", () => {
    const message = thrownMessage(() => dev({ bootstrap: { state: "acme-dev-tfstate-111111111111" } }), ConfigError);
    expect(message).toMatch(
      /^environment "dev": imports\.bootstrap\.state: is a construct, not one resource; import each of its resources that exists: state\/bucket, /,
    );
  });

  test("a path with no resource is refused, listing the stack's resources", () => {
    const message = thrownMessage(() => dev({ bootstrap: { "lock-tabel": "acme-dev-tflock" } }), ConfigError);
    expect(message).toContain(
      'environment "dev": imports.bootstrap.lock-tabel: no resource at this path in stack dev-bootstrap; its resources: ',
    );
    expect(message).toContain("lock-table");
  });

  test("a stack the environment does not have is refused, naming its stacks", () => {
    const raw = input("dev");
    const [env] = loadEnvironments([{ ...raw, imports: { "order-trackin": { "database/db": "x" } } }], undefined);
    expect(thrownMessage(() => planPlatform([env], MODULES), ConfigError)).toBe(
      `environment "dev": imports.order-trackin: no such stack in this environment; stacks: bootstrap, foundation, ${MODULE_NAMES.join(", ")}`,
    );
  });

  test("a construct path that is not one is refused by the schema", () => {
    const raw = input("dev");
    expect(
      thrownMessage(() => parseEnvironment({ ...raw, imports: { bootstrap: { "/lock-table": "x" } } }), ConfigError),
    ).toContain("must be a construct path inside the stack");
  });
});

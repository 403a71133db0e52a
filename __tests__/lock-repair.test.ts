import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { backendOf, decide, epochNanos, otherProcessesOn, parseLockError, type Evidence } from "../scripts/lock-repair";
import { ENGINE_GUARD, guarded } from "../scripts/lib/engine";

// What OpenTofu 1.10 prints when its lock write collided with the lock it had just written.
const reported = `
╷
│ Error: Error acquiring the state lock
│ 
│ Error message: operation error S3: PutObject, https response error
│ StatusCode: 412, RequestID: , HostID: , api error PreconditionFailed: At
│ least one of the pre-conditions you specified did not hold
│ Lock Info:
│   ID:        0f6c1f0e-3c55-7d4a-1b0e-6b1f4c2d9a11
│   Path:      acme-local-tfstate/local/bootstrap.tfstate
│   Operation: migration source state
│   Who:       runner@ci-host
│   Version:   1.10.6
│   Created:   2026-11-23 21:04:09.123456789 +0000 UTC
│   Info:      
│ 
│ OpenTofu acquires a state lock to protect the state from being written
╵
`;

describe("the lock a failed run reports", () => {
  test("is read from the engine's diagnostic, boxed or not, coloured or not", () => {
    const lock = { id: "0f6c1f0e-3c55-7d4a-1b0e-6b1f4c2d9a11", path: "acme-local-tfstate/local/bootstrap.tfstate" };
    expect(parseLockError(reported)).toEqual(lock);
    expect(parseLockError(reported.replace(/│ ?/g, ""))).toEqual(lock);
    expect(
      parseLockError(
        reported.replace("Error: Error acquiring", "\u001b[1m\u001b[31mError: \u001b[0m\u001b[1mError acquiring"),
      ),
    ).toEqual(lock);
  });

  test("a lock written by hand may have no Path", () => {
    expect(parseLockError(reported.replace("acme-local-tfstate/local/bootstrap.tfstate", ""))).toEqual({
      id: "0f6c1f0e-3c55-7d4a-1b0e-6b1f4c2d9a11",
    });
  });

  test("is absent from other failures, and from a lock error without its Lock Info", () => {
    expect(parseLockError("Error: Invalid resource type\n  ID:  x\n  Path:  y")).toBeUndefined();
    expect(
      parseLockError("│ Error: Error acquiring the state lock\n│ Error message: context deadline exceeded"),
    ).toBeUndefined();
  });
});

describe("creation times", () => {
  test("keep nanoseconds, and the zone", () => {
    expect(epochNanos("2026-11-23T21:04:09.123456789Z")).toBe(1795467849123456789n);
    expect(epochNanos("2026-11-23T21:04:09.5Z")).toBe(1795467849500000000n);
    expect(epochNanos("2026-11-23T22:04:09+01:00")).toBe(1795467849000000000n);
    expect(epochNanos("23 Nov 2026")).toBeUndefined();
  });
});

describe("whether a lock is the run's own", () => {
  const start = 1795467849000000000n;
  const own = { ID: "a", Who: "runner@ci-host", Created: "2026-11-23T21:04:09.2Z", Operation: "OperationTypeApply" };
  const evidence = (over: Partial<Evidence> = {}): Evidence => ({
    printed: { id: "a", path: "b/k" },
    stored: [own],
    me: "runner@ci-host",
    runStart: start,
    runEnd: start + 2_000_000_000n,
    others: [],
    ...over,
  });

  test("it is when it is stored still, was written here by this user during the run, and nobody else here works on that state", () => {
    expect(decide(evidence())).toEqual({ release: true, lock: own });
  });

  test.each<[string, Partial<Evidence>, string]>([
    ["gone", { stored: [] }, "the lock a the engine reported is not stored any more (held now: none)"],
    ["replaced", { stored: [{ ...own, ID: "c" }] }, "is not stored any more (held now: c)"],
    ["another machine's", { me: "runner@other-host" }, "the lock was taken by runner@ci-host, not runner@other-host"],
    [
      "an earlier run's",
      { runStart: start + 500_000_000n },
      "the lock was created at 2026-11-23T21:04:09.2Z, outside this run",
    ],
    ["a later one's", { runEnd: start + 100_000_000n }, "outside this run"],
    [
      "shared with a running process",
      { others: [{ pid: 42, command: "tofu apply" }] },
      "other processes here work on the same state: 42 (tofu apply)",
    ],
  ])("it is not when it is %s", (_, over, reason) => {
    const verdict = decide(evidence(over));
    expect(verdict.release).toBe(false);
    expect(verdict.release === false && verdict.reason).toContain(reason);
  });

  test("a lock whose creation time cannot be read is not released", () => {
    expect(decide(evidence({ stored: [{ ...own, Created: "yesterday" }] }))).toEqual({
      release: false,
      reason: "the lock's creation time yesterday is unreadable",
    });
  });
});

describe("where the lock's state is", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "lock-repair-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const initialized = (at: string, bucket: string, key: string) => {
    mkdirSync(join(at, ".terraform"), { recursive: true });
    writeFileSync(
      join(at, ".terraform", "terraform.tfstate"),
      JSON.stringify({ backend: { type: "s3", config: { bucket, key } } }),
    );
  };

  test("the initialized backend (a migration's source) or the configured one, whichever names it", () => {
    initialized(dir, "old", "k");
    writeFileSync(
      join(dir, "cdk.tf.json"),
      JSON.stringify({ terraform: { backend: { s3: { bucket: "new", key: "k" } } } }),
    );
    expect(backendOf(dir, "old/k")).toEqual({ bucket: "old", key: "k" });
    expect(backendOf(dir, "new/k")).toEqual({ bucket: "new", key: "k" });
    expect(backendOf(dir, "other/k")).toBeUndefined();
    expect(backendOf(dir)).toEqual({ bucket: "old", key: "k" });
  });

  test("other processes whose working directory uses that state are found; the others and this one are not", () => {
    const same = join(dir, "same");
    const other = join(dir, "other");
    initialized(same, "b", "k");
    initialized(other, "b", "other");
    const proc = join(dir, "proc");
    const fake = (pid: string, cwd: string, cmd: string) => {
      mkdirSync(join(proc, pid), { recursive: true });
      symlinkSync(cwd, join(proc, pid, "cwd"));
      writeFileSync(join(proc, pid, "cmdline"), cmd.split(" ").join("\0") + "\0");
    };
    fake("101", same, "tofu apply -auto-approve");
    fake("102", other, "tofu plan");
    fake(String(process.pid), same, "node jest");
    mkdirSync(join(proc, "self"));
    expect(otherProcessesOn("b/k", proc)).toEqual([{ pid: 101, command: "tofu apply -auto-approve" }]);
  });
});

describe("engine runs go through scripts/engine.sh", () => {
  test("a plain binary is run by the guard, the guard itself as is", () => {
    expect(guarded("tofu")).toEqual({
      command: ENGINE_GUARD,
      env: expect.objectContaining({ PLATFORM_ENGINE: "tofu" }),
    });
    expect(guarded(resolve(ENGINE_GUARD)).command).toBe(ENGINE_GUARD);
    expect(guarded(ENGINE_GUARD).env.PLATFORM_ENGINE).toBe(process.env.PLATFORM_ENGINE);
  });
});

describe("scripts/engine.sh", () => {
  const dir = mkdtempSync(join(tmpdir(), "engine-guard-"));
  // Stands in for the engine: echoes stdin, counts interrupts for FAKE_MS, exits with the count + 10.
  const fake = join(dir, "engine.js");
  writeFileSync(
    fake,
    `#!/usr/bin/env node
let n = 0;
for (const s of ["SIGINT", "SIGTERM"]) process.on(s, () => { n++; process.stderr.write("got " + s + "\\n"); });
let input = "";
process.stdin.on("data", (c) => (input += c));
const read = new Promise((r) => process.stdin.on("end", r));
const waited = new Promise((r) => setTimeout(r, Number(process.env.FAKE_MS ?? 0)));
Promise.all([read, waited]).then(() => {
  process.stdout.write("stdin: " + input);
  process.exitCode = 10 + n;
});
`,
    { mode: 0o755 },
  );
  const guard = (args: string[], ms = 0, input = "") =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const child = spawn("bash", [ENGINE_GUARD, ...args], {
        env: { ...process.env, PLATFORM_ENGINE: fake, FAKE_MS: String(ms) },
        detached: true,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c) => (stdout += c));
      child.stderr.on("data", (c) => (stderr += c));
      child.stdin.end(input);
      child.on("close", (code) => done({ code, stdout, stderr }));
      // Ctrl-C in a terminal, or cdktf's abort through its pty: the whole process group gets SIGINT.
      if (ms > 0) setTimeout(() => process.kill(-child.pid!, "SIGINT"), ms / 2);
    });

  test("passes stdin, stdout, stderr and the exit code through, for commands that lock and those that do not", async () => {
    for (const command of ["apply", "version"]) {
      const run = await guard([command], 0, "yes\n");
      expect(run).toMatchObject({ code: 10, stdout: "stdin: yes\n", stderr: "" });
    }
  });

  test("an interrupt of the process group reaches the engine once (a second would stop it at once), and the guard returns its exit code", async () => {
    const run = await guard(["apply"], 1500);
    expect(run.stderr).toBe("got SIGINT\n");
    expect(run.code).toBe(11);
  });
});

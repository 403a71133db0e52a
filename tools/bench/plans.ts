// Part of npm run bench: what a no-change plan of every local stack costs, the CDKTF way (one
// `cdktf diff <stack>` after another, each synthesizing the whole app) next to the project's
// `npm run plan` (partial synth, stacks in parallel), and the floor under both: a plan of an
// empty configuration with the AWS provider, which is provider start-up and nothing else.
//
// It runs against its own emulator (moto's server on 127.0.0.1:4577, in-memory, thrown away after),
// deploys the local environment there once with the project's commands, then measures.
import { spawn } from "node:child_process";
import { loadPlatform } from "../../scripts/lib/platform";
import * as fs from "node:fs";
import * as path from "node:path";
import { stackNames } from "../../app";
import { toolchainEnv } from "../../scripts/lib/toolchain-env";

/** `npm run deploy --`: scripts/cdktf.ts. */
const DEPLOY = [process.execPath, "-r", "./scripts/register.js", "scripts/cdktf.ts", "deploy"];

const ROOT = path.resolve(__dirname, "..", "..");
const PORT = "4577";
const ENDPOINT = `http://127.0.0.1:${PORT}`;
/** Every stack of the local environment, in layer order: what the comparison plans. */
const STACKS = stackNames(loadPlatform("local", {}));

interface Timed {
  readonly seconds: number;
  readonly output: string;
}

/** Runs a command to completion; a non-zero exit fails with the tail of its output. */
function timed(argv: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`${argv.join(" ")} exited ${code}:\n${output.slice(-4000)}`));
      else resolve({ seconds, output });
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The empty configuration: only the AWS provider, configured for the emulator. */
function floorConfig(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const provider = {
    region: "us-east-1",
    access_key: "test",
    secret_key: "test",
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    endpoints: [{ sts: ENDPOINT, s3: ENDPOINT }],
  };
  const config = {
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: ">= 6.25.0, < 7.0.0" } } },
    provider: { aws: [provider] },
  };
  fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
}

export async function benchPlans(tmpRoot: string, runs: number, log: (line?: string) => void): Promise<void> {
  const tools = toolchainEnv();
  const work = path.join(tmpRoot, "plans");
  const emulator = { EMULATOR: "moto", EMULATOR_PORT: PORT, EMULATOR_DIR: path.join(work, "emulator") };
  const outdir = path.join(work, "cdktf.out");
  const env = {
    ...tools,
    AWS_ENDPOINT_URL: ENDPOINT,
    CDKTF_OUTDIR: outdir,
    PLATFORM_BOOTSTRAP_STATE_DIR: path.join(work, "bootstrap"),
    CHECKPOINT_DISABLE: "1",
    // The AWS side only, as measured before the local cluster: no cluster to start or to share.
    PLATFORM_LOCAL_KUBECONFIG: "off",
  };
  const binary = tools.TERRAFORM_BINARY_NAME!;
  await timed(["bash", "local/emulator.sh", "start"], emulator);
  try {
    log(`no-change plans: deploying the local environment on its own emulator (${ENDPOINT}) ...`);
    const setup = [
      await timed(["bash", "scripts/bootstrap.sh", "local"], env),
      await timed([...DEPLOY, "local-foundation", "--auto-approve", "--output", outdir], env),
      await timed(
        [
          ...DEPLOY,
          ...STACKS.slice(2),
          "--auto-approve",
          "--parallelism",
          "3",
          "--ignore-missing-stack-dependencies",
          "--output",
          outdir,
        ],
        env,
      ),
    ];
    log(`  deployed in ${setup.reduce((s, t) => s + t.seconds, 0).toFixed(0)} s (not part of the measurement)`);

    const floorDir = path.join(work, "floor");
    floorConfig(floorDir);
    await timed([binary, "init", "-input=false", "-no-color"], tools, floorDir);
    const cdktfBin = path.join(ROOT, "node_modules", ".bin", "cdktf");
    const serialOut = path.join(work, "serial.out");
    const samples = { serial: [] as number[], parallel: [] as number[], floor: [] as number[] };
    for (let r = 0; r < runs; r++) {
      // The CDKTF way: cdktf diff of each stack in turn, each run synthesizing the whole app.
      let serial = 0;
      for (const stack of STACKS) {
        const diff = await timed(
          [cdktfBin, "diff", stack, "--skip-provider-lock", "--migrate-state", "--output", serialOut],
          { ...env, CDKTF_OUTDIR: "" },
        );
        if (!/No changes|no changes/.test(diff.output))
          throw new Error(`cdktf diff ${stack} is not a no-change plan:\n${diff.output.slice(-2000)}`);
        serial += diff.seconds;
      }
      const parallel = await timed(
        ["npm", "run", "--silent", "plan", "--", STACKS.join(","), "--out", path.join(work, "plans-out")],
        env,
      );
      const blocks = (parallel.output.match(/: no changes/g) ?? []).length;
      if (blocks !== STACKS.length)
        throw new Error(
          `npm run plan: ${blocks} of ${STACKS.length} stacks said "no changes":\n${parallel.output.slice(-2000)}`,
        );
      const floor = await timed([binary, "plan", "-input=false", "-no-color", "-lock=false"], tools, floorDir);
      samples.serial.push(serial);
      samples.parallel.push(parallel.seconds);
      samples.floor.push(floor.seconds);
      log(
        `  run ${r + 1}/${runs}: serial cdktf diff ${serial.toFixed(1)} s, npm run plan ${parallel.seconds.toFixed(1)} s, empty plan ${floor.seconds.toFixed(1)} s`,
      );
    }
    const serial = median(samples.serial);
    const parallel = median(samples.parallel);
    const floor = median(samples.floor);
    log();
    log(`no-change plan of the ${STACKS.length} local stacks (medians of ${runs}):`);
    log(`  serial \`cdktf diff <stack>\` of each (the CDKTF way)   ${serial.toFixed(1)} s`);
    log(`  \`npm run plan -- ${STACKS.join(",")}\`   ${parallel.toFixed(1)} s`);
    log(
      `  floor: \`${path.basename(binary)} plan\` of an empty configuration with the AWS provider   ${floor.toFixed(1)} s per plan`,
    );
    log(
      `  parallel/serial ${(parallel / serial).toFixed(2)}, goal <= 0.5: ${parallel / serial <= 0.5 ? "MET" : "NOT MET"}`,
    );
    log(
      `  per stack: serial ${(serial / STACKS.length).toFixed(1)} s, ${(serial / STACKS.length / floor).toFixed(1)}x the floor`,
    );
    log(
      `  commands: ${cdktfBin} diff <stack> --skip-provider-lock --migrate-state --output <dir> (toolchain env, AWS_ENDPOINT_URL=${ENDPOINT})`,
    );
    log(
      `            npm run plan -- ${STACKS.join(",")} --out <dir>; ${binary} plan -lock=false in a directory holding only the provider`,
    );
  } finally {
    await timed(["bash", "local/emulator.sh", "stop"], emulator).catch(() => undefined);
  }
}

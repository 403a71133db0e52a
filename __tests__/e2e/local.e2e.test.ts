/**
 * End to end against the local emulator and the local Kubernetes cluster with the real toolchain:
 * bootstrap with state migration, cdktf deploy (parallel modules, their workloads on the cluster) and
 * tflocal, resource checks with the AWS SDK and kubectl, no-change plans,
 * the pull-request workflow rehearsed with the read-only role under enforced IAM, lock safety, state
 * restore, destroy in reverse layer order and a clean emulator afterwards.
 *
 * Work that needs neither the deployed platform nor the main emulator runs beside the main line, on
 * a scratch emulator of its own (the plan-summary fixture, the prevent_destroy guard), on LocalStack
 * (its lane, localstack.ts) or on no emulator at all (tofu validate of every stack); their steps at
 * the end wait for them.
 *
 * The main line's steps are in phases/, one file per phase, in the order below; the work beside it
 * is in beside/ and the helpers beside this file.
 */
import { engineOf } from "../../scripts/lib/engine";
import { expectRenderedPlan } from "../review/plan-assertions";
import { guardRefusesDestroy } from "./beside/guard";
import { otherEngine, otherEngineCycle } from "./beside/other-engine";
import { expectMovedToTerrain, terrainRehearsal } from "./beside/terrain";
import { validateEveryStack } from "./beside/validate";
import { expectApiRefusals, expectServedApiResources } from "./kubernetes";
import { LocalPlatform, SCRATCH_ENDPOINT } from "./local-platform";
import { localstackLane } from "./localstack";
import { MainLine } from "./main-line";
import { bootstrapPhase } from "./phases/bootstrap";
import { deployPhase } from "./phases/deploy";
import { destroyPhase } from "./phases/destroy";
import { driftPhase } from "./phases/drift";
import { locksAndRestorePhase } from "./phases/locks-and-restore";
import { modulesPhase } from "./phases/modules";
import { otherBuildsPhase } from "./phases/other-builds";
import { pullRequestPhase } from "./phases/pull-request";
import { resourcesPhase } from "./phases/resources";
import { reviewedApplyPhase } from "./phases/reviewed-apply";
import { seedAndSecretsPhase } from "./phases/seed-and-secrets";
import { steadyStatePhase } from "./phases/steady-state";
import { planFixture } from "./plan-fixture";
import { timingsReport } from "./run";

const platform = new LocalPlatform();
const { tools } = platform;
const main = new MainLine();
const MAIN_ENGINE = engineOf(tools.TERRAFORM_BINARY_NAME);
const ENGINE = otherEngine(tools);

/** The work beside the main line, started once the emulators are up, in this order. */
const beside = {
  terrain: main.beside("CDK Terrain rehearsal (npm run terrain-rehearsal on Node 24)", () => terrainRehearsal(tools)),
  fixture: main.beside("plan summary of a real create/update/replace/destroy plan (scratch emulator)", () =>
    planFixture(tools, SCRATCH_ENDPOINT),
  ),
  guard: main.beside("prevent_destroy bootstrap refuses destroy (scratch emulator)", () =>
    guardRefusesDestroy(platform),
  ),
  validate: main.beside("synth all environments + tofu validate every stack", () => validateEveryStack(tools)),
  engine: main.beside(`${ENGINE.name} ${ENGINE.version}: locking move and a full cycle (scratch emulator)`, () =>
    otherEngineCycle(platform, ENGINE),
  ),
  localstack: main.beside("LocalStack lane (127.0.0.1:4569)", () => localstackLane(tools)),
  kubernetes: main.beside(
    "Kubernetes: the kinds served as listed; what the API refuses names object and field",
    async () => {
      await expectServedApiResources(tools);
      await expectApiRefusals(tools);
    },
  ),
};

beforeAll(async () => {
  await platform.setUp();
  main.startBeside();
}, 120_000);

afterAll(async () => {
  // Whatever failed, wait for the work beside the main line before the emulators go.
  await main.settled();
  await platform.tearDown();
  console.log(timingsReport());
}, 900_000);

describe(`local environment, end to end (${MAIN_ENGINE.name} ${MAIN_ENGINE.version})`, () => {
  bootstrapPhase(main, platform);
  deployPhase(main, platform);
  resourcesPhase(main, platform);
  seedAndSecretsPhase(main, platform);
  modulesPhase(main, platform);
  steadyStatePhase(main, platform);
  reviewedApplyPhase(main, platform);
  otherBuildsPhase(main, platform, beside.terrain);
  pullRequestPhase(main, platform);
  driftPhase(main, platform);
  // The queue stacks take longest to destroy: the lock and restore checks run on ml-platform meanwhile.
  destroyPhase(main, platform, {
    meanwhile: () => locksAndRestorePhase(main, platform),
    kubernetes: beside.kubernetes,
  });
});

describe("beside the main line", () => {
  test("CDK Terrain: the repository moved to cdktn on Node 24 installs, generates its kubernetes and helm bindings, type-checks, and synthesizes every stack; what differs from the cdktf synth is the version stamp and the providers' spelled-out sources", async () => {
    expectMovedToTerrain(await beside.terrain.awaited());
  }, 900_000);

  test("plan summary of a real plan with create, update, replace, destroy and secrets", async () => {
    expectRenderedPlan(JSON.parse(await beside.fixture.awaited()));
  }, 900_000);

  test("a bootstrap with protected state refuses destroy", async () => {
    await beside.guard.awaited();
  }, 900_000);

  test("every synthesized stack of every environment passes tofu validate with the mirrored providers", async () => {
    await beside.validate.awaited();
  }, 900_000);

  test("LocalStack: bootstrap with state migration, foundation, file-processing (cdktf) and data-pipeline (tflocal) with their alarms, no-change plans, the S3 lock, destroy, nothing left", async () => {
    await beside.localstack.awaited();
  }, 1_800_000);

  test("the Kubernetes kinds the pinned server serves are those listed; what the API refuses fails the apply naming object and field", async () => {
    await beside.kubernetes.awaited();
  }, 900_000);

  test(`${ENGINE.name} ${ENGINE.version}: an environment moves from DynamoDB to S3 locks without a moment unlocked (README runbook), then lives a full cycle`, async () => {
    await beside.engine.awaited();
  }, 1_800_000);
});

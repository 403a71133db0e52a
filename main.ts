import { App } from "cdktf";
import { TARGET_VERSIONS } from "./core/engine";
import { buildPlatform, planPlatform, selectStacks, stackLayers, type StackClosure } from "./app";
import { ConfigError, loadEnvironments } from "./environments";
import { EMULATORS } from "./environments/emulators";
import { MODULES, platformInputs } from "./packages";
import { PolicyViolationError } from "./policies";

/** Known ways synth refuses input end with their message and exit 1; anything else is a bug and keeps its trace. */
function stop(e: unknown): never {
  if (e instanceof ConfigError) console.error(`synth stopped, nothing was written:\n${e.message}`);
  else if (e instanceof PolicyViolationError) console.error(`synth stopped by the policy pack:\n${e.message}`);
  else throw e;
  process.exit(1);
}

// Validate everything first: a config error must stop synth before anything is written.
let plans;
let stacks;
let mockFoundation;
try {
  plans = planPlatform(loadEnvironments(platformInputs()), MODULES);
  const closure = process.env.PLATFORM_STACKS_CLOSURE;
  if (closure && closure !== "dependencies" && closure !== "dependants") {
    throw new ConfigError(`PLATFORM_STACKS_CLOSURE is "${closure}"; use dependencies or dependants`);
  }
  stacks = selectStacks(plans, process.env.PLATFORM_STACKS, "PLATFORM_STACKS", closure as StackClosure | undefined);
  mockFoundation = selectStacks(plans, process.env.PLATFORM_MOCK_FOUNDATION, "PLATFORM_MOCK_FOUNDATION");
} catch (e) {
  stop(e);
}

// Once per synth, for each environment built here: what its emulator cannot serve, left out. On stdout:
// cdktf reports what an app writes to stderr as errors.
for (const plan of plans) {
  const { env, leftOut } = plan;
  const built =
    !stacks ||
    stackLayers(plan)
      .flat()
      .some((s) => stacks.has(s));
  if (built && leftOut.length > 0)
    console.log(
      `${env.name} runs against ${EMULATORS[env.emulator!].label}, which cannot serve these; they are left out:\n${leftOut.map((l) => `  - ${l}`).join("\n")}`,
    );
}

// The engines the stacks target (core/engine.ts), in the context key CDK Terrain validates against.
const app = new App({ context: { targetVersions: TARGET_VERSIONS } });
try {
  buildPlatform(app, plans, {
    bootstrapLocalStatePath: process.env.PLATFORM_BOOTSTRAP_LOCAL_STATE || undefined,
    stacks,
    mockFoundation,
  });
  app.synth();
} catch (e) {
  stop(e);
}
if (!process.env.CDKTF_OUTDIR) {
  const count = app.node.children.length;
  console.log(`synthesized ${count} stacks for ${plans.map((p) => p.env.name).join(", ")} into ${app.outdir}/stacks`);
}

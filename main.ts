import { App } from "cdktf";
import { buildPlatform, planPlatform, selectStacks } from "./app";
import { ConfigError, loadEnvironments } from "./environments";
import { MODULES } from "./packages";

// Validate everything first: a config error must stop synth before anything is written.
let plans;
let stacks;
try {
  plans = planPlatform(loadEnvironments(), MODULES);
  stacks = selectStacks(plans, process.env.PLATFORM_STACKS);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(`synth stopped, nothing was written:\n${e.message}`);
  process.exit(1);
}

const app = new App();
buildPlatform(app, plans, { bootstrapLocalStatePath: process.env.PLATFORM_BOOTSTRAP_LOCAL_STATE || undefined, stacks });
app.synth();
if (!process.env.CDKTF_OUTDIR) {
  const count = app.node.children.length;
  console.log(`synthesized ${count} stacks for ${plans.map((p) => p.env.name).join(", ")} into ${app.outdir}/stacks`);
}

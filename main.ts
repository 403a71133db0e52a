import { App } from "cdktf";
import { buildPlatform, planPlatform } from "./app";
import { ConfigError, loadEnvironments } from "./environments";
import { MODULES } from "./packages";

// Validate everything first: a config error must stop synth before anything is written.
let plans;
try {
  plans = planPlatform(loadEnvironments(), MODULES);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(`synth stopped, nothing was written:\n${e.message}`);
  process.exit(1);
}

const app = new App();
buildPlatform(app, plans, { bootstrapLocalStatePath: process.env.PLATFORM_BOOTSTRAP_LOCAL_STATE || undefined });
app.synth();
if (!process.env.CDKTF_OUTDIR) {
  const stacks = plans.reduce((n, p) => n + 2 + p.modules.length, 0);
  console.log(`synthesized ${stacks} stacks for ${plans.map((p) => p.env.name).join(", ")} into ${app.outdir}/stacks`);
}

// Writes .github/CODEOWNERS from the module declarations (`npm run codeowners`).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { MODULES } from "../packages";
import { CODEOWNERS_PATH, renderCodeowners } from "../review/codeowners";

const target = join(__dirname, "..", CODEOWNERS_PATH);
try {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, renderCodeowners(MODULES));
  console.log(`wrote ${CODEOWNERS_PATH} for ${MODULES.length} modules`);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}

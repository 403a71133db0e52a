import { rmSync } from "node:fs";

/** Removes the run's directory that the global setup made (unit.setup.ts). */
export default async function teardown(): Promise<void> {
  const dir = process.env.PLATFORM_UNIT_TMPDIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}

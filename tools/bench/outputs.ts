// Checks of what a synth wrote: the stacks, and that two synths wrote the same bytes.
import * as fs from "node:fs";
import * as path from "node:path";

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

export function stacksIn(outdir: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, unknown>;
  };
  return Object.keys(manifest.stacks).sort();
}

/** Every file under both directories, byte for byte; throws on the first difference. */
export function compareFiles(a: string, b: string): number {
  const fa = filesUnder(a);
  const fb = filesUnder(b);
  if (fa.join("\n") !== fb.join("\n")) throw new Error(`${a} and ${b} differ in their files`);
  for (const f of fa) {
    if (!fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))))
      throw new Error(`outputs differ: ${f}`);
  }
  return fa.length;
}

/** Every file of both outputs, byte for byte; throws on the first difference. */
export function compareOutputs(a: string, b: string): { stacks: number; files: number } {
  const fa = filesUnder(a);
  const fb = filesUnder(b);
  if (fa.join("\n") !== fb.join("\n")) {
    const onlyA = fa.filter((f) => !fb.includes(f));
    const onlyB = fb.filter((f) => !fa.includes(f));
    throw new Error(
      `outputs differ in their files: only in (a): ${onlyA.slice(0, 5).join(", ")}; only in (b): ${onlyB.slice(0, 5).join(", ")}`,
    );
  }
  for (const f of fa) {
    if (!fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))))
      throw new Error(`outputs differ: ${f}`);
  }
  return { stacks: stacksIn(a).length, files: fa.length };
}

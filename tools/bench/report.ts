// The bench's report: lines on stdout and the table of measured cases.
import type { Result } from "./measure";

export function log(line = ""): void {
  console.log(line);
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(0)} MB`;
}

export function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

export function lpad(s: string, n: number): string {
  return s.length >= n ? s : " ".repeat(n - s.length) + s;
}

export function table(results: Result[]): void {
  const w = Math.max(...results.map((r) => r.c.label.length), 4);
  log(
    `${pad("case", w)}  runs  ${lpad("wall median", 11)}  ${lpad("min-max", 13)}  ${lpad("cpu", 8)}  ${lpad("peak RSS", 9)}  ${lpad("tree RSS", 9)}`,
  );
  for (const r of results) {
    const walls = r.samples.map((s) => s.wall);
    const range = `${Math.min(...walls).toFixed(2)}-${Math.max(...walls).toFixed(2)} s`;
    log(
      `${pad(r.c.label, w)}  ${lpad(String(r.samples.length), 4)}  ${lpad(`${r.wall.toFixed(2)} s`, 11)}  ${lpad(range, 13)}  ${lpad(`${r.cpu.toFixed(2)} s`, 8)}  ${lpad(mb(r.maxRss), 9)}  ${lpad(mb(r.treeRss), 9)}`,
    );
  }
}

export function verdict(met: boolean): string {
  return met ? "MET" : "NOT MET";
}

import { execFileSync } from "node:child_process";
import { copyWorkingTree } from "../scripts/lib/working-tree";

/**
 * `source`'s working tree (tracked and new files, not ignored ones) committed as `main` in a new git
 * repository at `target`, with a committer configured there, so a test can make real history on it.
 * Files deleted in the working tree but still tracked are left out, as a commit of the tree would.
 */
export function scratchRepository(source: string, target: string): string {
  copyWorkingTree(source, target);
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", target, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "ci@example.com");
  git("config", "user.name", "ci");
  git("add", "-A");
  git("commit", "-q", "-m", "base");
  return target;
}

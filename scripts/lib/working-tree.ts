// A repository's working tree as git sees it: tracked files and new ones git does not ignore, minus
// those deleted but still tracked (as a commit of the tree would have it).
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";

/** The working tree's files under `repo`, relative to it; `patterns` narrow them (git pathspecs). */
export function workingTreeFiles(repo: string, ...patterns: string[]): string[] {
  return execFileSync(
    "git",
    ["-C", repo, "ls-files", "--cached", "--others", "--exclude-standard", "-z", ...patterns],
    {
      encoding: "utf8",
    },
  )
    .split("\0")
    .filter((f) => f && existsSync(join(repo, f)));
}

/** Copies the working tree's files of `repo` to `target`; returns them. */
export function copyWorkingTree(repo: string, target: string): string[] {
  const files = workingTreeFiles(repo);
  for (const f of files) {
    mkdirSync(dirname(join(target, f)), { recursive: true });
    copyFileSync(join(repo, f), join(target, f));
  }
  return files;
}

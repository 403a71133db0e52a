/**
 * Splits a Markdown summary into pull-request comments no longer than a limit without breaking
 * its Markdown: cuts fall between blocks, and a cut inside a code fence or a <details> block closes
 * it and reopens it in the next part.
 */

/** GitHub's limit for one comment body is 65,536 characters; leave room for the header. */
export const COMMENT_LIMIT = 60_000;

interface OpenBlocks {
  fence?: string;
  details?: string;
}

function closers(open: OpenBlocks): string[] {
  const out: string[] = [];
  if (open.fence !== undefined) out.push("```");
  if (open.details !== undefined) out.push("", "</details>");
  return out;
}

function reopeners(open: OpenBlocks): string[] {
  const out: string[] = [];
  if (open.details !== undefined) out.push(open.details, "");
  if (open.fence !== undefined) out.push(open.fence);
  return out;
}

export function splitComment(markdown: string, limit = COMMENT_LIMIT): string[] {
  const parts: string[] = [];
  let current: string[] = [];
  let size = 0;
  const open: OpenBlocks = {};
  const reserve = 40;

  const flush = () => {
    const body = [...current, ...closers(open)].join("\n");
    if (body.trim()) parts.push(body);
    current = reopeners(open);
    size = current.join("\n").length;
  };

  for (let line of markdown.split("\n")) {
    while (line.length > limit - reserve) {
      // A single over-long line (e.g. a huge value) is cut hard; it is inside a fence or plain text.
      if (size > 0) flush();
      current.push(line.slice(0, limit - reserve - size));
      line = line.slice(limit - reserve - size);
      flush();
    }
    if (size + line.length + 1 > limit - reserve - closers(open).join("\n").length) flush();
    current.push(line);
    size += line.length + 1;
    if (/^```/.test(line)) open.fence = open.fence === undefined ? line : undefined;
    else if (open.fence === undefined && /^<details>/.test(line)) open.details = line;
    else if (open.fence === undefined && /^<\/details>/.test(line)) open.details = undefined;
  }
  if (current.join("\n").trim()) parts.push(current.join("\n"));
  return parts.length > 1 ? parts.map((p, i) => `${p}\n\n_(part ${i + 1} of ${parts.length})_`) : parts;
}

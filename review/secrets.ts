/** Finds secret-shaped values in text: what must never reach code, config, synthesized JSON or logs. */

export interface SecretFinding {
  readonly kind: string;
  /** Where: file and line, or JSON path. */
  readonly where: string;
  /** The match with its middle masked, so the report itself leaks nothing. */
  readonly sample: string;
}

const PATTERNS: { kind: string; regex: RegExp }[] = [
  { kind: "AWS access key id", regex: /\b(?:AKIA|ASIA|AROA|AIDA)[0-9A-Z]{16}\b/g },
  { kind: "AWS secret access key", regex: /(?:aws_?secret_?access_?key|secret_?key)["'\s:=]+[A-Za-z0-9/+]{40}\b/gi },
  { kind: "private key", regex: /-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----/g },
  { kind: "GitHub token", regex: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g },
  { kind: "Slack token", regex: /\bxox[abpr]-[A-Za-z0-9-]{10,}\b/g },
  { kind: "password literal", regex: /"(?:password|master_password|db_password)"\s*:\s*"(?!\$\{)[^"]{4,}"/gi },
  { kind: "JWT", regex: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/g },
];

function mask(text: string): string {
  return text.length <= 8 ? "****" : `${text.slice(0, 4)}…${text.slice(-2)}`;
}

/** Every secret-shaped match in `text`, located by line in `source`. */
export function scanText(source: string, text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const { kind, regex } of PATTERNS) {
    for (const match of text.matchAll(regex)) {
      const line = text.slice(0, match.index).split("\n").length;
      findings.push({ kind, where: `${source}:${line}`, sample: mask(match[0]) });
    }
  }
  return findings;
}

/** Output names that suggest a secret value; such outputs must be sensitive (ARNs and names are not secrets). */
export function secretLikeOutput(name: string): boolean {
  return /(password|secret|token|private_key|credential)/i.test(name) && !/_(arn|name|id|url)$/i.test(name);
}

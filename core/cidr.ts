/** IPv4 CIDR arithmetic for subnet planning, done at synth time so plans show literal ranges. */

export interface Ipv4Block {
  readonly base: number;
  readonly prefix: number;
}

export function parseCidr(cidr: string): Ipv4Block {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) throw new Error(`"${cidr}" is not an IPv4 CIDR block such as 10.0.0.0/16`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`"${cidr}" is not a valid IPv4 CIDR block`);
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0)
    throw new Error(
      `"${cidr}" has host bits set; did you mean ${formatCidr({ base: address - (address % size), prefix })}?`,
    );
  return { base: address, prefix };
}

export function formatCidr(block: Ipv4Block): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(block.base / 2 ** shift) % 256);
  return `${octets.join(".")}/${block.prefix}`;
}

/** The `index`-th subnet of `cidr` that is `newBits` longer, like Terraform's cidrsubnet(). */
export function cidrSubnet(cidr: string, newBits: number, index: number): string {
  const block = parseCidr(cidr);
  const prefix = block.prefix + newBits;
  if (prefix > 28) throw new Error(`cannot carve /${prefix} subnets out of ${cidr}: AWS subnets are at most /28`);
  if (index < 0 || index >= 2 ** newBits)
    throw new Error(`subnet index ${index} is outside ${cidr} split into /${prefix}`);
  return formatCidr({ base: block.base + index * 2 ** (32 - prefix), prefix });
}

/** True when two blocks share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  const xEnd = x.base + 2 ** (32 - x.prefix);
  const yEnd = y.base + 2 ** (32 - y.prefix);
  return x.base < yEnd && y.base < xEnd;
}

/** IPv4 addresses and networks: one parser for every layer (the model's schema, edge, cross-layer checks). */

/** Parses a dotted-quad IPv4 address to an unsigned 32-bit number; undefined when malformed (leading zeros too). */
export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o, i) => o > 255 || (m[i + 1].length > 1 && m[i + 1].startsWith('0')))) return undefined;
  return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

/** An IPv4 network: `first` and `last` are its lowest and highest addresses as unsigned 32-bit numbers. */
export interface Ipv4Network {
  readonly cidr: string;
  readonly first: number;
  readonly last: number;
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join('.');
}

/** Parses `a.b.c.d/n`; undefined when malformed or when host bits are set (`10.0.0.1/16`). */
export function parseIpv4Network(cidr: string): Ipv4Network | undefined {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(cidr);
  const address = match ? parseIpv4(match[1]) : undefined;
  const prefix = match ? Number(match[2]) : NaN;
  if (address === undefined || !(prefix >= 0 && prefix <= 32)) return undefined;
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) return undefined;
  return { cidr, first: address, last: address + size - 1 };
}

/** The network of `address/prefix` with host bits cleared (a LAN from its gateway address). */
export function networkOf(address: string, prefix: number): Ipv4Network | undefined {
  const ip = parseIpv4(address);
  if (ip === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const first = ip - (ip % size);
  return { cidr: `${formatIpv4(first)}/${prefix}`, first, last: first + size - 1 };
}

/** The addresses two networks share, as `first-last`, or undefined when they are disjoint. */
export function overlap(a: Ipv4Network, b: Ipv4Network): string | undefined {
  const first = Math.max(a.first, b.first);
  const last = Math.min(a.last, b.last);
  return first <= last ? `${formatIpv4(first)}-${formatIpv4(last)}` : undefined;
}

/** IPv4 CIDR arithmetic for the simulated cluster's address pools. */
export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
  /** Usable host addresses (network and broadcast excluded). */
  size: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `10.42.0.0/16`; `undefined` when it is not an IPv4 CIDR with room for hosts. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const match = CIDR.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 30) return undefined;
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const blockSize = 2 ** (32 - prefix);
  const base = address - (address % blockSize);
  return { base, prefix, size: blockSize - 2 };
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** The `index`-th usable host of the block (0-based). */
export function hostAddress(cidr: Ipv4Cidr, index: number): string {
  return formatIpv4(cidr.base + 1 + (index % cidr.size));
}

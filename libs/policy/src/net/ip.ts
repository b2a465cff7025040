/** An IPv4 or IPv6 address as a number, so containment is a mask and a compare. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

/** A network: `base` has its host bits cleared. */
export interface IpNetwork {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly prefixLength: number;
}

const IPV4_PART = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Parses a dotted-quad IPv4 or an RFC 4291 IPv6 address (with `::` and an IPv4 tail); undefined if invalid. */
export function parseIp(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => IPV4_PART.test(part))) return undefined;
  return parts.reduce((acc, part) => (acc << 8n) | BigInt(part), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0]!.split(':');
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : halves[1]!.split(':')) : [];
  const groups: bigint[] = [];
  const all = [...head, ...tail];
  const last = all.at(-1);
  let embeddedV4: bigint | undefined;
  if (last?.includes('.')) {
    embeddedV4 = parseIpv4(last);
    if (embeddedV4 === undefined) return undefined;
    if (tail.length > 0) tail.pop();
    else head.pop();
  }
  const explicit = head.length + tail.length + (embeddedV4 === undefined ? 0 : 2);
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return undefined;
  for (const group of head) {
    if (!IPV6_GROUP.test(group)) return undefined;
    groups.push(BigInt(`0x${group}`));
  }
  for (let i = 0; i < 8 - explicit; i++) groups.push(0n);
  for (const group of tail) {
    if (!IPV6_GROUP.test(group)) return undefined;
    groups.push(BigInt(`0x${group}`));
  }
  let value = groups.reduce((acc, group) => (acc << 16n) | group, 0n);
  if (embeddedV4 !== undefined) value = (value << 32n) | embeddedV4;
  return value;
}

/** Parses `addr/len`, or a bare address as a single-host network (as Calico's `ParseCIDROrIP` does). */
export function parseNetwork(text: string): IpNetwork | undefined {
  const slash = text.indexOf('/');
  const address = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (address === undefined) return undefined;
  const bits = address.family === 4 ? 32 : 128;
  let prefixLength = bits;
  if (slash >= 0) {
    const lengthText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(lengthText)) return undefined;
    prefixLength = Number(lengthText);
    if (prefixLength > bits) return undefined;
  }
  return { family: address.family, base: address.value & mask(address.family, prefixLength), prefixLength };
}

export function networkContains(network: IpNetwork, address: IpAddress): boolean {
  return (
    network.family === address.family &&
    (address.value & mask(network.family, network.prefixLength)) === network.base
  );
}

function mask(family: 4 | 6, prefixLength: number): bigint {
  const bits = family === 4 ? 32n : 128n;
  const hostBits = bits - BigInt(prefixLength);
  return ((1n << bits) - 1n) ^ ((1n << hostBits) - 1n);
}

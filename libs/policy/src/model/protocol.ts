/** A rule's protocol: one of Calico's names or a number 1-255. */
export type Protocol = string | number;

/** Calico's protocol names and their IP protocol numbers. */
export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  TCP: 6,
  UDP: 17,
  ICMP: 1,
  ICMPv6: 58,
  SCTP: 132,
  UDPLite: 136,
};

/** Protocols that have ports (Calico's rule for `ports`/`notPorts`). */
export const PORT_PROTOCOLS: ReadonlySet<number> = new Set([6, 17, 132]);

/**
 * The IP protocol number of a protocol name or number; undefined when it is neither a Calico
 * name (case-sensitive, as in the API) nor an integer 1-255 (numeric strings are accepted too).
 */
export function protocolNumber(protocol: Protocol): number | undefined {
  if (typeof protocol === 'number')
    return Number.isInteger(protocol) && protocol >= 1 && protocol <= 255 ? protocol : undefined;
  const named = PROTOCOL_NUMBERS[protocol];
  if (named !== undefined && Object.hasOwn(PROTOCOL_NUMBERS, protocol)) return named;
  return /^\d{1,3}$/.test(protocol) ? protocolNumber(Number(protocol)) : undefined;
}

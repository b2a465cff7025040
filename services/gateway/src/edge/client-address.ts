import { isIP } from 'node:net';
import type { Request } from 'express';

/** Names Express (proxy-addr) accepts for well-known ranges, beside IP addresses and CIDRs. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** The entries of `TRUSTED_PROXIES` (comma-separated), trimmed, empty ones dropped. */
export function trustedProxyEntries(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** Why an entry of `TRUSTED_PROXIES` cannot be used, or undefined when it can. */
export function trustedProxyProblem(entry: string): string | undefined {
  if (RANGE_NAMES.has(entry)) return undefined;
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  const valid =
    family !== 0 &&
    extra === undefined &&
    (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)));
  return valid
    ? undefined
    : `"${entry}" is not an IP address, a CIDR (10.0.0.0/8) or one of ${[...RANGE_NAMES].join(', ')}`;
}

/**
 * The client's address: Express's `req.ip`, which follows `X-Forwarded-For` only through the
 * hops `TRUSTED_PROXIES` names (the gateway sets Express's `trust proxy` from it; with none set,
 * the socket's peer is the client and the header is ignored). IPv4-mapped IPv6 addresses are
 * written as IPv4, so one client has one rate-limit bucket.
 */
export function clientAddress(req: Request): string {
  const address = req.ip ?? req.socket.remoteAddress ?? '';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1]! : address;
  return isIP(ip) ? ip : 'unknown';
}

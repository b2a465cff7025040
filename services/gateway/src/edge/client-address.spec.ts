import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { gatewayConfigSchema } from '../config.js';
import { clientAddress, trustedProxyEntries, trustedProxyProblem } from './client-address.js';

describe('TRUSTED_PROXIES', () => {
  it('accepts addresses, CIDRs and the named ranges, and names each entry it cannot use', () => {
    expect(trustedProxyEntries(' 10.0.0.0/8, ,fd00::/8,127.0.0.1 ,loopback')).toEqual([
      '10.0.0.0/8',
      'fd00::/8',
      '127.0.0.1',
      'loopback',
    ]);
    for (const good of ['10.0.0.0/8', '192.0.2.1', '::1', 'fd00::/128', 'loopback', 'uniquelocal'])
      expect(trustedProxyProblem(good)).toBeUndefined();
    for (const bad of ['10.0.0.0/33', 'fd00::/129', '10.0.0.0/8/1', 'ingress', '10.0.0', '*', '10.0.0.0/x'])
      expect(trustedProxyProblem(bad)).toMatch(`"${bad}" is not an IP address`);
    const refused = gatewayConfigSchema.safeParse({ TRUSTED_PROXIES: '10.0.0.0/8, everyone' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['TRUSTED_PROXIES', expect.stringContaining('"everyone" is not an IP address')],
    ]);
  });

  it('writes an IPv4-mapped client address as IPv4, and anything unusable as unknown', () => {
    const of = (ip: string | undefined) => clientAddress({ ip, socket: {} } as unknown as Request);
    expect(of('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(of('2001:db8::1')).toBe('2001:db8::1');
    expect(of(undefined)).toBe('unknown');
    expect(of('not-an-ip')).toBe('unknown');
  });
});

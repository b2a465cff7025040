import { describe, expect, it } from 'vitest';
import { networkContains, parseIp, parseNetwork } from './ip.js';

describe('IP parsing', () => {
  it.each([
    ['10.0.0.1', true],
    ['255.255.255.255', true],
    ['256.0.0.1', false],
    ['10.0.0', false],
    ['01.0.0.1', false],
    ['::1', true],
    ['fd00::', true],
    ['2001:db8::8a2e:370:7334', true],
    ['::ffff:10.0.0.1', true],
    ['1:2:3:4:5:6:7:8', true],
    ['1:2:3:4:5:6:7:8:9', false],
    ['1::2::3', false],
    ['fd00::g', false],
  ])('%s valid: %s', (text, valid) => {
    expect(parseIp(text) !== undefined).toBe(valid);
  });

  it.each([
    ['10.0.0.0/8', '10.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['10.1.2.3/16', '10.1.200.1', true],
    ['0.0.0.0/0', '192.168.1.1', true],
    ['10.0.0.5', '10.0.0.5', true],
    ['10.0.0.5', '10.0.0.6', false],
    ['fd00::/8', 'fd12::1', true],
    ['fd00::/8', 'fe00::1', false],
    ['::/0', '2001:db8::1', true],
    ['10.0.0.0/8', '::ffff:10.0.0.1', false],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    expect(networkContains(parseNetwork(cidr)!, parseIp(ip)!)).toBe(expected);
  });

  it.each(['10.0.0.0/33', 'fd00::/129', '10.0.0.0/', '10.0.0.0/x', 'nope/8'])('rejects %s', (cidr) => {
    expect(parseNetwork(cidr)).toBeUndefined();
  });
});

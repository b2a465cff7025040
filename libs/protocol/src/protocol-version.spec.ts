import { describe, expect, it } from 'vitest';
import { negotiateProtocol, PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from './protocol-version.js';

describe('negotiateProtocol', () => {
  it('speaks version 1 today', () => {
    expect(PROTOCOL_VERSION).toBe(1);
    expect(SUPPORTED_PROTOCOL_VERSIONS).toEqual([1]);
    expect(negotiateProtocol([1])).toBe(1);
  });

  it.each([
    ['picks the highest common version', [1, 2, 3], [1, 2], 2],
    ['does not depend on order', [3, 1, 2], [2, 1], 2],
    ['keeps an old agent working after a hub upgrade', [1], [1, 2], 1],
    ['lets a new agent talk to an old hub', [1, 2], [1], 1],
    ['finds nothing when the lists are disjoint', [2, 3], [1], null],
    ['finds nothing for an empty offer', [], [1], null],
  ])('%s', (_why, agent, hub, chosen) => {
    expect(negotiateProtocol(agent, hub)).toBe(chosen);
  });
});

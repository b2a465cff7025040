import { describe, expect, it } from 'vitest';
import { createLogger } from './log.js';

describe('logger', () => {
  it('writes one JSON line per event with level, message and fields, redacting secrets', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (line) => lines.push(line), base: { component: 'agent' } });

    logger.info('credential obtained', {
      clusterId: 'c-1',
      credential: 'mpa_secret',
      nested: { bootstrapToken: 'bt' },
    });
    logger.debug('not shown at info');

    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!);
    expect(record).toMatchObject({
      level: 'info',
      msg: 'credential obtained',
      component: 'agent',
      clusterId: 'c-1',
      credential: '[redacted]',
      nested: { bootstrapToken: '[redacted]' },
    });
    expect(lines[0]).not.toContain('mpa_secret');
  });
});

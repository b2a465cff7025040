import { describe, expect, it } from 'vitest';
import { REDACTED, redactArguments } from './redact.js';

describe('redactArguments', () => {
  it('replaces secret-named fields at any depth, and keeps identifiers that merely mention them', () => {
    const redacted = redactArguments({
      input: {
        email: 'a@b.c',
        password: 'hunter2-hunter2',
        token: 'x',
        nested: { apiKey: 'k', clientSecret: 's' },
      },
      tokenId: '0b6f4c36-64f1-4a43-9f3a-8f0d0e1a2b3c',
    });
    expect(redacted).toEqual({
      input: {
        email: 'a@b.c',
        password: REDACTED,
        token: REDACTED,
        nested: { apiKey: REDACTED, clientSecret: REDACTED },
      },
      tokenId: '0b6f4c36-64f1-4a43-9f3a-8f0d0e1a2b3c',
    });
  });

  it('replaces values that look like Meshplane tokens or JWTs whatever their field is called', () => {
    const redacted = redactArguments({
      note: `mpt_${'a'.repeat(32)}_${'b'.repeat(43)}`,
      other: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
      plain: 'mpt is fine',
    });
    expect(redacted).toEqual({ note: REDACTED, other: REDACTED, plain: 'mpt is fine' });
  });

  it('cuts long strings and long lists, bounds nesting, and turns dates into ISO strings', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 10; i += 1) deep = { deep };
    const redacted = redactArguments({
      long: 'x'.repeat(1000),
      list: Array.from({ length: 60 }, (_, i) => i),
      at: new Date('2026-01-01T00:00:00Z'),
      deep,
    });
    expect(redacted.long).toBe(`${'x'.repeat(256)}…(1000 chars)`);
    expect(redacted.list).toHaveLength(51);
    expect(redacted.at).toBe('2026-01-01T00:00:00.000Z');
    expect(JSON.stringify(redacted.deep)).toContain('[too deep]');
  });
});

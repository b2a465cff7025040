import { describe, expect, it } from 'vitest';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.js';

describe('audit cursors', () => {
  it('round-trip a position', () => {
    const cursor = { occurredAt: '2026-01-02T03:04:05.678Z', id: '0b6f4c36-64f1-4a43-9f3a-8f0d0e1a2b3c' };
    expect(decodeAuditCursor(encodeAuditCursor(cursor))).toEqual(cursor);
  });

  it('refuse anything they did not produce', () => {
    for (const bad of [
      '',
      'abc',
      Buffer.from("2026-01-02|x' OR 1=1").toString('base64url'),
      'x'.repeat(500),
    ]) {
      expect(decodeAuditCursor(bad)).toBeUndefined();
    }
  });
});

/** Keyset cursor over (occurred_at, id), newest first: stable while new events are appended. */
export interface AuditCursor {
  occurredAt: string;
  id: string;
}

export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.occurredAt}|${cursor.id}`).toString('base64url');
}

const SHAPE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f-]{36})$/;

export function decodeAuditCursor(value: string): AuditCursor | undefined {
  if (value.length > 200) return undefined;
  const match = SHAPE.exec(Buffer.from(value, 'base64url').toString('utf8'));
  return match ? { occurredAt: match[1]!, id: match[2]! } : undefined;
}

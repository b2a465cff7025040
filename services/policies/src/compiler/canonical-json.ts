import { hash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level and `undefined` members dropped, so two equal values
 * always serialise to the same text (array order is kept: it is meaningful, e.g. rule order).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const inner = record[key];
    if (inner !== undefined) members.push(`${JSON.stringify(key)}:${canonicalJson(inner)}`);
  }
  return `{${members.join(',')}}`;
}

/** sha256 of the UTF-8 text, in hex (one-shot: no Hash object per call). */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

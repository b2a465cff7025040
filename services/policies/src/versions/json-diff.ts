/** One difference between two JSON documents, at a JSON pointer (RFC 6901). */
export interface JsonChange {
  op: 'Add' | 'Remove' | 'Replace';
  path: string;
  before?: unknown;
  after?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * A structural diff in document order: objects key by key (sorted), arrays index by index (a
 * longer array's tail is added or removed), anything else replaced when not equal. Absent keys
 * and missing documents (`undefined`) show as Add/Remove.
 */
export function jsonDiff(before: unknown, after: unknown, path = ''): JsonChange[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ op: 'Add', path, after }];
  if (after === undefined) return [{ op: 'Remove', path, before }];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => jsonDiff(before[key], after[key], `${path}/${escapePointerToken(key)}`));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => jsonDiff(before[i], after[i], `${path}/${i}`)).flat();
  }
  return Object.is(before, after) || JSON.stringify(before) === JSON.stringify(after)
    ? []
    : [{ op: 'Replace', path, before, after }];
}

/** True when two JSON documents are equal (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return jsonDiff(a, b).length === 0;
}

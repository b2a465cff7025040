/** Argument names whose values are secrets (a name ending in `Id`/`Ids` is an identifier, kept). */
const SECRET_NAME =
  /pass(word|phrase)?|secret|token|credential|api[-_]?key|private[-_]?key|authorization|cookie/i;
const IDENTIFIER_NAME = /Ids?$/;
/** Values that are secrets whatever their name: Meshplane tokens (`mp?_…`) and JWTs. */
const SECRET_VALUE = /^(mp[a-z]_[A-Za-z0-9_-]{16,}|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

export const REDACTED = '[redacted]';
const MAX_STRING = 256;
const MAX_ITEMS = 50;
const MAX_DEPTH = 6;

function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !IDENTIFIER_NAME.test(name);
}

function redactValue(value: unknown, depth: number): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') {
    if (SECRET_VALUE.test(value)) return REDACTED;
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…(${value.length} chars)` : value;
  }
  if (typeof value !== 'object') return typeof value === 'bigint' ? value.toString() : value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => redactValue(item, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `…(${value.length - MAX_ITEMS} more)`] : items;
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = isSecretName(key) ? REDACTED : redactValue(inner, depth + 1);
  }
  return out;
}

/**
 * A copy of a mutation's arguments fit for the audit log: secret-named fields and secret-looking
 * values replaced, long strings and lists cut, nesting bounded. Pure; never throws.
 */
export function redactArguments(args: Record<string, unknown>): Record<string, unknown> {
  return redactValue(args, 0) as Record<string, unknown>;
}

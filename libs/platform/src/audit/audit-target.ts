/** The first string-valued `id` / `…Id` property of an object, looking one level deep. */
function idIn(value: unknown, depth = 0): string | undefined {
  if (!value || typeof value !== 'object' || value instanceof Date || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.id === 'string') return record.id;
  for (const [key, inner] of Object.entries(record)) {
    if (/^[a-z][A-Za-z0-9]*Id$/.test(key) && typeof inner === 'string') return inner;
  }
  if (depth > 0) return undefined;
  for (const inner of Object.values(record)) {
    const found = idIn(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * What a mutation acted on: an id named in its arguments (`id`, `userId`, `input.id`, ...), or
 * else the id of what it returned (`createApiToken` → the new token).
 */
export function auditTargetId(args: Record<string, unknown>, result: unknown): string | null {
  return idIn(args) ?? idIn(result) ?? null;
}

/** The tenant a public mutation (sign-up, login) acted in, read from its result. */
export function tenantIdOfResult(result: unknown): string | undefined {
  if (!result || typeof result !== 'object') return undefined;
  const { tenant, tenantId, user } = result as {
    tenant?: { id?: unknown };
    tenantId?: unknown;
    user?: unknown;
  };
  if (typeof tenant?.id === 'string') return tenant.id;
  if (typeof tenantId === 'string') return tenantId;
  const userTenant = (user as { tenantId?: unknown } | undefined)?.tenantId;
  return typeof userTenant === 'string' ? userTenant : undefined;
}

/** The user a public mutation (sign-up, login) signed in, read from its result. */
export function userIdOfResult(result: unknown): string | undefined {
  const user = (result as { user?: { id?: unknown } } | undefined)?.user;
  return typeof user?.id === 'string' ? user.id : undefined;
}

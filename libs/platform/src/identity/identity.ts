/** Roles in a tenant, from least to most privileged. */
export const ROLES = ['viewer', 'editor', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as the gateway established it and forwarded it to the subgraphs. */
export type Identity =
  | { kind: 'anonymous'; correlationId: string; clientIp?: string }
  | {
      kind: 'user' | 'token';
      tenantId: string;
      /** The user, or the user who created the API token. */
      userId: string;
      tokenId?: string;
      /** The session token's session (`jti`) and expiry (seconds), when a session token authenticated. */
      session?: { id: string; expiresAt: number };
      role: Role;
      correlationId: string;
      /** The caller's address as the gateway established it (through trusted proxies only). */
      clientIp?: string;
    };

export type AuthenticatedIdentity = Extract<Identity, { kind: 'user' | 'token' }>;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` grants at least what `required` grants. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

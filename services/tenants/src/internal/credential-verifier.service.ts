import { parseBearerSecret, type Role, TenantDb, VerifiedSecrets } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import { ApiTokenEntity } from '../api-tokens/api-token.entity.js';
import { EndedSessionsService } from '../sessions/ended-sessions.service.js';
import { ENDED_SESSION_MESSAGES } from '../sessions/session-state.js';
import { API_TOKEN_PREFIX } from '../tenants/secret-prefixes.js';
import { isActiveMember, UserEntity } from '../tenants/user.entity.js';

/** What a verified credential acts as. */
export interface VerifiedCredential {
  tenantId: string;
  userId: string;
  role: Role;
  tokenId?: string;
}

export type Verification =
  | { ok: true; credential: VerifiedCredential }
  /** `code` names refusals the gateway acts on: SESSION_ENDED lets a repeated logout succeed. */
  | { ok: false; reason: string; code?: 'SESSION_ENDED' };

const ROLE_ORDER: readonly Role[] = ['viewer', 'editor', 'admin', 'owner'];
const LAST_USED_RESOLUTION_MS = 60_000;

/** The lesser of two roles. */
function lesserRole(a: Role, b: Role): Role {
  return ROLE_ORDER.indexOf(a) <= ROLE_ORDER.indexOf(b) ? a : b;
}

/**
 * Checks, on every request the gateway serves, that a credential still stands: a session's
 * member still exists (so a removed member's unexpired JWT stops working, and a demotion takes
 * effect at once) and the session was not ended (logout, or a refresh past its grace), or an API token is known, unrevoked, unexpired and its creator still a member.
 * These are unscoped lookups by primary key: the tenant is what they establish.
 */
@Injectable()
export class CredentialVerifier {
  private readonly verified = new VerifiedSecrets();

  constructor(
    private readonly db: TenantDb,
    private readonly endedSessions: EndedSessionsService,
  ) {}

  /** Two primary-key lookups, in parallel: the member, and whether the session was ended. */
  async session(tenantId: string, userId: string, sessionId: string): Promise<Verification> {
    const [user, state] = await Promise.all([
      this.db.dataSource.getRepository(UserEntity).findOne({ where: { id: userId, tenantId } }),
      this.endedSessions.state(sessionId),
    ]);
    if (state.kind === 'ended') {
      return { ok: false, code: 'SESSION_ENDED', reason: ENDED_SESSION_MESSAGES[state.cause] };
    }
    if (!user || !isActiveMember(user)) {
      return {
        ok: false,
        reason: 'this session belongs to someone who is no longer a member; sign in again',
      };
    }
    return { ok: true, credential: { tenantId, userId, role: user.role } };
  }

  async apiToken(token: string): Promise<Verification> {
    const refused = { ok: false, reason: 'the API token is invalid, expired or revoked' } as const;
    const parsed = parseBearerSecret(API_TOKEN_PREFIX, token);
    if (!parsed) return refused;
    const row = await this.db.dataSource.getRepository(ApiTokenEntity).findOne({ where: { id: parsed.id } });
    if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) return refused;
    if (!(await this.verified.verify(token, parsed.secret, row.secretHash))) return refused;
    const creator = await this.db.dataSource
      .getRepository(UserEntity)
      .findOne({ where: { id: row.createdByUserId, tenantId: row.tenantId } });
    if (!creator || !isActiveMember(creator)) return refused;
    await this.touch(row);
    return {
      ok: true,
      credential: {
        tenantId: row.tenantId,
        userId: creator.id,
        role: lesserRole(row.role, creator.role),
        tokenId: row.id,
      },
    };
  }

  /** Records use, at most once a minute per token so busy automation does not write on every call. */
  private async touch(row: ApiTokenEntity) {
    const now = Date.now();
    if (row.lastUsedAt && now - row.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
    await this.db.dataSource
      .createQueryBuilder()
      .update(ApiTokenEntity)
      .set({ lastUsedAt: new Date(now) })
      .where('id = :id', { id: row.id })
      .execute();
  }
}

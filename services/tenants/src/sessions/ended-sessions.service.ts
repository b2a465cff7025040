import { TenantDb } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import { EndedSessionEntity } from './ended-session.entity.js';
import { endSession, type SessionEnd, type SessionState, stateAt } from './session-state.js';

/**
 * All access to `tenants.ended_sessions`: ending a session (logout, refresh) and the one
 * primary-key lookup per session-token verification.
 */
@Injectable()
export class EndedSessionsService {
  constructor(private readonly db: TenantDb) {}

  /**
   * Records `requested` for the session, keeping an earlier end already recorded (the
   * transition of `endSession`, done by the upsert so concurrent ends agree), then prunes rows
   * whose tokens have expired. Returns the end that stands.
   */
  async end(
    session: { id: string; tenantId: string; expiresAt: Date },
    requested: SessionEnd,
  ): Promise<SessionEnd> {
    const rows: Array<{ ended_at: Date; cause: SessionEnd['cause'] }> = await this.db.tenant(
      session.tenantId,
      (manager) =>
        manager.query(
          `INSERT INTO "tenants"."ended_sessions" ("id", "tenant_id", "ended_at", "cause", "expires_at")
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT ("id") DO UPDATE SET "ended_at" = excluded."ended_at", "cause" = excluded."cause"
             WHERE excluded."ended_at" < "ended_sessions"."ended_at"
           RETURNING "ended_at", "cause"`,
          [session.id, session.tenantId, requested.endedAt, requested.cause, session.expiresAt],
        ),
    );
    await this.prune(new Date());
    if (rows[0]) return { endedAt: rows[0].ended_at, cause: rows[0].cause };
    // No row returned: an earlier end was recorded, and stands.
    return endSession(await this.recorded(session.id), requested);
  }

  /** The session's state now (unscoped by primary key: the verification establishes the tenant). */
  async state(sessionId: string, now = new Date()): Promise<SessionState> {
    return stateAt(await this.recorded(sessionId), now);
  }

  /**
   * Removes the rows of every tenant whose tokens expired before `now` (their signature check
   * refuses them now); returns how many. Run on every insert, over the `expires_at` index.
   */
  async prune(now: Date): Promise<number> {
    const result = await this.db.system((manager) =>
      manager
        .createQueryBuilder()
        .delete()
        .from(EndedSessionEntity)
        .where('expires_at < :now', { now })
        .execute(),
    );
    return result.affected ?? 0;
  }

  private async recorded(sessionId: string): Promise<SessionEnd | undefined> {
    const row = await this.db.dataSource
      .getRepository(EndedSessionEntity)
      .findOne({ where: { id: sessionId }, select: { endedAt: true, cause: true } });
    return row ? { endedAt: row.endedAt, cause: row.cause } : undefined;
  }
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EndCause } from './session-state.js';

/**
 * A session (a session token's `jti`) that stops being accepted at `endedAt`: at once for a
 * logout, a short grace ahead for the token a refresh replaced. Kept until the token would have
 * expired anyway (`expiresAt`), then pruned: an expired token is refused by its signature check.
 */
@Entity({ schema: 'tenants', name: 'ended_sessions' })
@Index('ended_sessions_expires_idx', ['expiresAt'])
export class EndedSessionEntity {
  /** The token's `jti`, chosen when it was signed. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** From when the token is refused (in the future during a refresh's grace). */
  @Column({ name: 'ended_at', type: 'timestamptz' })
  endedAt!: Date;

  @Column({ type: 'text' })
  cause!: EndCause;

  /** The token's own expiry: past it the row is no longer needed. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}

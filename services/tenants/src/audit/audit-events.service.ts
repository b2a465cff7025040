import { type AuditEvent as AuditEventData, type AuthenticatedIdentity, TenantDb } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { z } from 'zod';
import { isId, parseInput } from '../tenants/parse-input.js';
import { tenantsError } from '../tenants/tenants.errors.js';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.js';
import { AuditEventEntity } from './audit-event.entity.js';
import {
  AUDIT_PAGE_DEFAULT,
  AUDIT_PAGE_MAX,
  type AuditEventFilter,
  type AuditEventPage,
  toAuditEvent,
} from './audit-event.model.js';

const pageSchema = z.object({
  first: z.number().int().min(1).max(AUDIT_PAGE_MAX),
  after: z.string().max(200).nullish(),
  filter: z
    .object({ operation: z.string().max(128).nullish(), targetId: z.string().max(256).nullish() })
    .passthrough()
    .nullish(),
});

@Injectable()
export class AuditEventsService {
  constructor(private readonly db: TenantDb) {}

  /** Stores one event from the queue; a redelivered event (same id) is stored once. */
  async store(event: AuditEventData): Promise<void> {
    await this.db.tenant(event.tenantId, (manager) =>
      manager
        .createQueryBuilder()
        .insert()
        .into(AuditEventEntity)
        .values({
          ...event,
          occurredAt: new Date(event.occurredAt),
        } as QueryDeepPartialEntity<AuditEventEntity>)
        .orIgnore()
        .execute(),
    );
  }

  async page(
    identity: AuthenticatedIdentity,
    first = AUDIT_PAGE_DEFAULT,
    after?: string | null,
    filter?: AuditEventFilter | null,
  ): Promise<AuditEventPage> {
    parseInput(pageSchema, { first, after, filter });
    const cursor = after ? decodeAuditCursor(after) : undefined;
    if (after && !cursor) throw tenantsError('INVALID_INPUT', { field: 'after' }, 'after: not a cursor');
    // An id filter that is not an id matches nothing (rather than failing the query in Postgres).
    for (const field of ['actorUserId', 'actorTokenId'] as const) {
      const value = filter?.[field];
      if (value && !isId(value)) return { nodes: [], endCursor: null, hasNextPage: false };
    }
    const rows = await this.db.tenant(identity.tenantId, (manager) => {
      const query = manager
        .createQueryBuilder(AuditEventEntity, 'e')
        .where('e.tenant_id = :tenantId', { tenantId: identity.tenantId })
        .orderBy('e.occurred_at', 'DESC')
        .addOrderBy('e.id', 'DESC')
        .limit(first + 1);
      if (cursor) {
        query.andWhere('(e.occurred_at, e.id) < (:at, :id)', { at: cursor.occurredAt, id: cursor.id });
      }
      if (filter?.operation) query.andWhere('e.operation = :operation', { operation: filter.operation });
      if (filter?.actorUserId) query.andWhere('e.actor_user_id = :actor', { actor: filter.actorUserId });
      if (filter?.actorTokenId) query.andWhere('e.actor_token_id = :token', { token: filter.actorTokenId });
      if (filter?.targetId) query.andWhere('e.target_id = :target', { target: filter.targetId });
      if (filter?.outcome) query.andWhere('e.outcome = :outcome', { outcome: filter.outcome });
      if (filter?.since) query.andWhere('e.occurred_at >= :since', { since: filter.since });
      if (filter?.until) query.andWhere('e.occurred_at < :until', { until: filter.until });
      return query.getMany();
    });
    const nodes = rows.slice(0, first);
    const last = nodes.at(-1);
    return {
      nodes: nodes.map(toAuditEvent),
      hasNextPage: rows.length > first,
      endCursor: last ? encodeAuditCursor({ occurredAt: last.occurredAt.toISOString(), id: last.id }) : null,
    };
  }
}

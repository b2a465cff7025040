import { z } from 'zod';

/** The BullMQ queue every subgraph sends audit events to; the tenants service stores them. */
export const AUDIT_QUEUE = 'audit';
/** The one job name on the audit queue. */
export const AUDIT_JOB = 'record';

export const AUDIT_ACTOR_KINDS = ['user', 'token', 'anonymous'] as const;
export const AUDIT_OUTCOMES = ['ok', 'error'] as const;

/**
 * One audited mutation: who (actor), what (service, operation, target, redacted arguments), when,
 * and how it ended. `id` is also the BullMQ job id and the row's primary key, so a redelivered
 * job is stored once.
 */
export const auditEventSchema = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  occurredAt: z.iso.datetime(),
  service: z.string().min(1).max(64),
  operation: z.string().min(1).max(128),
  actorKind: z.enum(AUDIT_ACTOR_KINDS),
  actorUserId: z.uuid().nullable(),
  actorTokenId: z.uuid().nullable(),
  targetType: z.string().max(128).nullable(),
  targetId: z.string().max(256).nullable(),
  arguments: z.record(z.string(), z.unknown()),
  outcome: z.enum(AUDIT_OUTCOMES),
  /** The GraphQL `extensions.code` of a failed mutation (`FORBIDDEN`, `NOT_FOUND`, ...). */
  errorCode: z.string().max(64).nullable(),
  correlationId: z.string().max(128),
});

export type AuditEvent = z.infer<typeof auditEventSchema>;

/** The audit queue as a queue spec, for the shared worker host (`queueWorkers`). */
export const AUDIT_QUEUE_SPEC = { name: AUDIT_QUEUE, schema: auditEventSchema, consumer: 'tenants' } as const;

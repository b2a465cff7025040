import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { AuditEventEntity } from './audit-event.entity.js';

export enum AuditActorKind {
  user = 'user',
  token = 'token',
  anonymous = 'anonymous',
}
registerEnumType(AuditActorKind, {
  name: 'AuditActorKind',
  description: 'Who acted: a signed-in user, an API token, or an anonymous caller (sign-up, login).',
});

export enum AuditOutcome {
  ok = 'ok',
  error = 'error',
}
registerEnumType(AuditOutcome, { name: 'AuditOutcome', description: 'How an audited mutation ended.' });

@ObjectType('AuditEvent', { description: 'One mutation, in any service: who, what, when, and the outcome.' })
export class AuditEvent {
  @Field(() => ID, { description: 'Event id.' })
  id!: string;

  @Field({ description: 'When the mutation ran.' })
  occurredAt!: Date;

  @Field({ description: 'The service that ran it (tenants, clusters, policies, telemetry).' })
  service!: string;

  @Field({ description: 'The mutation, e.g. `removeMember`.' })
  operation!: string;

  @Field(() => AuditActorKind, { description: 'Who acted.' })
  actorKind!: AuditActorKind;

  @Field(() => ID, { nullable: true, description: 'The user (for a token, the user who created it).' })
  actorUserId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The API token, when one was used.' })
  actorTokenId!: string | null;

  @Field(() => String, { nullable: true, description: 'The GraphQL type the mutation returns.' })
  targetType!: string | null;

  @Field(() => ID, { nullable: true, description: 'What it acted on (from its arguments or its result).' })
  targetId!: string | null;

  @Field({ description: 'The arguments as JSON, secrets redacted.' })
  arguments!: string;

  @Field(() => AuditOutcome, { description: 'ok, or error.' })
  outcome!: AuditOutcome;

  @Field(() => String, { nullable: true, description: 'The error code the caller got, for failures.' })
  errorCode!: string | null;

  @Field({ description: 'Correlation id of the request (matches the logs).' })
  correlationId!: string;
}

export function toAuditEvent(entity: AuditEventEntity): AuditEvent {
  return {
    ...entity,
    actorKind: entity.actorKind as AuditActorKind,
    outcome: entity.outcome as AuditOutcome,
    arguments: JSON.stringify(entity.arguments),
  };
}

@ObjectType('AuditEventPage', { description: 'A page of audit events, newest first.' })
export class AuditEventPage {
  @Field(() => [AuditEvent], { description: 'The events of this page.' })
  nodes!: AuditEvent[];

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' })
  endCursor!: string | null;

  @Field({ description: 'True when more events follow.' })
  hasNextPage!: boolean;
}

@InputType({ description: 'Narrows the audit log; all given conditions must hold.' })
export class AuditEventFilter {
  @Field(() => String, { nullable: true, description: 'Only this mutation.' })
  operation?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only events by this user.' })
  actorUserId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only events by this API token.' })
  actorTokenId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only events on this target.' })
  targetId?: string | null;

  @Field(() => AuditOutcome, { nullable: true, description: 'Only successes or only failures.' })
  outcome?: AuditOutcome | null;

  @Field(() => Date, { nullable: true, description: 'Only events at or after this time.' })
  since?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only events before this time.' })
  until?: Date | null;
}

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;

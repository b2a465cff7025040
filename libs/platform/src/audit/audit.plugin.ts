import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLResolveInfo } from 'graphql';
import { AppError, fromUniqueViolation, graphqlCodeOf } from '../errors/error-codes.js';
import type { Identity } from '../identity/identity.js';
import type { AuditEvent } from './audit-event.js';
import { auditTargetId, tenantIdOfResult, userIdOfResult } from './audit-target.js';
import type { AuditTrail } from './audit-trail.js';
import { redactArguments } from './redact.js';

interface AuditedContext {
  identity?: Identity;
}

/** The `extensions.code` a failed mutation showed its caller (same mapping as formatError). */
export function errorCodeOf(error: unknown): string {
  const original = (error as { originalError?: unknown } | undefined)?.originalError ?? error;
  const appError = original instanceof AppError ? original : fromUniqueViolation(original);
  if (appError) return graphqlCodeOf[appError.category];
  const code = (original as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;
  return typeof code === 'string' ? code : graphqlCodeOf.internal;
}

/**
 * `User` for `User!`, `[User!]!`, ... Structural on purpose: graphql ships CJS and ESM builds and
 * the schema's types may come from the other copy than this module's (`instanceof` would throw).
 */
function namedTypeOf(type: unknown): string {
  let current = type as { ofType?: unknown; name?: string };
  while (current.ofType) current = current.ofType as typeof current;
  return current.name ?? 'unknown';
}

export interface MutationOutcome {
  service: string;
  info: Pick<GraphQLResolveInfo, 'fieldName' | 'returnType'>;
  args: Record<string, unknown>;
  identity: Identity | undefined;
  error: unknown;
  result: unknown;
  occurredAt: Date;
}

/**
 * The audit event for one resolved root mutation field, or undefined when it cannot be
 * attributed to a tenant (an anonymous call that failed, e.g. a sign-up with a weak password).
 */
export function auditEventOf(outcome: MutationOutcome): AuditEvent | undefined {
  const { identity, result } = outcome;
  // graphql treats a resolver that *returns* an Error as failed (Nest's exception filters do that).
  const error = outcome.error ?? (result instanceof Error ? result : undefined);
  const signedIn = identity && identity.kind !== 'anonymous' ? identity : undefined;
  const tenantId = signedIn?.tenantId ?? (error ? undefined : tenantIdOfResult(result));
  if (!tenantId) return undefined;
  return {
    id: randomUUID(),
    tenantId,
    occurredAt: outcome.occurredAt.toISOString(),
    service: outcome.service,
    operation: outcome.info.fieldName,
    actorKind: signedIn?.kind ?? 'anonymous',
    actorUserId: signedIn?.userId ?? (error ? null : (userIdOfResult(result) ?? null)),
    actorTokenId: signedIn?.tokenId ?? null,
    targetType: namedTypeOf(outcome.info.returnType),
    targetId: auditTargetId(outcome.args, error ? undefined : result)?.slice(0, 256) ?? null,
    arguments: redactArguments(outcome.args),
    outcome: error ? 'error' : 'ok',
    errorCode: error ? errorCodeOf(error) : null,
    correlationId: (identity?.correlationId ?? '').slice(0, 128),
  };
}

/**
 * Apollo plugin every subgraph gets from PlatformModule: each root mutation field, allowed or
 * refused (the roles guard runs inside the field's resolver, so FORBIDDEN is recorded too),
 * becomes one audit event. The response waits until its events are queued.
 */
export function auditPlugin(trail: AuditTrail, service: string): ApolloServerPlugin<AuditedContext> {
  return {
    async requestDidStart() {
      const pending: Promise<void>[] = [];
      return {
        async executionDidStart({ operation }) {
          if (operation.operation !== 'mutation') return;
          return {
            willResolveField({ info, args, contextValue }) {
              if (info.parentType !== info.schema.getMutationType()) return;
              const occurredAt = new Date();
              return (error, result) => {
                try {
                  const event = auditEventOf({
                    service,
                    info,
                    args,
                    identity: contextValue.identity,
                    error,
                    result,
                    occurredAt,
                  });
                  if (event) pending.push(trail.record(event));
                } catch (failure) {
                  trail.failed(info.fieldName, failure);
                }
              };
            },
          };
        },
        async willSendResponse() {
          await Promise.all(pending);
        },
      };
    },
  };
}

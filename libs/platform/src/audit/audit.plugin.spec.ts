import { randomUUID } from 'node:crypto';
import { GraphQLNonNull, GraphQLObjectType, GraphQLString } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/error-codes.js';
import type { Identity } from '../identity/identity.js';
import { auditEventOf, type MutationOutcome } from './audit.plugin.js';
import { auditEventSchema } from './audit-event.js';

const TENANT = randomUUID();
const USER = randomUUID();
const TOKEN = randomUUID();
const MEMBER = randomUUID();
const User = new GraphQLObjectType({ name: 'User', fields: { id: { type: GraphQLString } } });

function outcome(overrides: Partial<MutationOutcome>): MutationOutcome {
  return {
    service: 'tenants',
    info: { fieldName: 'removeMember', returnType: new GraphQLNonNull(User) },
    args: { userId: MEMBER },
    identity: { kind: 'user', tenantId: TENANT, userId: USER, role: 'admin', correlationId: 'corr-1' },
    error: null,
    result: { id: MEMBER },
    occurredAt: new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  };
}

describe('auditEventOf', () => {
  it('records who, what, when and the outcome of an allowed mutation, in the shape the queue accepts', () => {
    const event = auditEventOf(outcome({}))!;
    expect(event).toMatchObject({
      tenantId: TENANT,
      service: 'tenants',
      operation: 'removeMember',
      actorKind: 'user',
      actorUserId: USER,
      actorTokenId: null,
      targetType: 'User',
      targetId: MEMBER,
      outcome: 'ok',
      errorCode: null,
      occurredAt: '2026-01-01T00:00:00.000Z',
      correlationId: 'corr-1',
    });
    expect(auditEventSchema.safeParse(event).success).toBe(true);
  });

  it('records the code of a refused mutation, whether thrown or returned as an error, and the token that acted', () => {
    const identity: Identity = {
      kind: 'token',
      tenantId: TENANT,
      userId: USER,
      tokenId: TOKEN,
      role: 'viewer',
      correlationId: '',
    };
    const forbidden = new AppError('forbidden', 'FORBIDDEN', 'no');
    for (const failed of [
      outcome({ identity, error: forbidden, result: undefined }),
      outcome({ identity, result: forbidden }),
    ]) {
      expect(auditEventOf(failed)).toMatchObject({
        actorKind: 'token',
        actorTokenId: TOKEN,
        outcome: 'error',
        errorCode: 'FORBIDDEN',
        targetId: MEMBER,
      });
    }
    expect(auditEventOf(outcome({ error: new Error('boom') }))?.errorCode).toBe('INTERNAL_SERVER_ERROR');
  });

  it('places a successful public mutation in the tenant it returns, and skips failed anonymous calls', () => {
    const anonymous: Identity = { kind: 'anonymous', correlationId: 'c' };
    const signUp = auditEventOf(
      outcome({
        identity: anonymous,
        info: { fieldName: 'signUp', returnType: User },
        args: { input: { email: 'a@b.c', password: 'secret-secret' } },
        result: { token: 'eyJ.x.y', user: { id: USER }, tenant: { id: TENANT } },
      }),
    );
    expect(signUp).toMatchObject({
      tenantId: TENANT,
      actorKind: 'anonymous',
      actorUserId: USER,
      targetId: USER,
    });
    expect(signUp?.arguments).toEqual({ input: { email: 'a@b.c', password: '[redacted]' } });
    expect(
      auditEventOf(outcome({ identity: anonymous, error: new Error('weak'), result: undefined })),
    ).toBeUndefined();
  });
});

import { randomUUID } from 'node:crypto';
import {
  type AuthenticatedIdentity,
  type Identity,
  InternalIdentityCodec,
  TenantDb,
} from '@meshplane/platform';
import { STRONG_PASSWORD, type SubgraphApp, startSubgraphApp } from '@meshplane/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { CredentialVerifier } from '../src/internal/credential-verifier.service.js';
import { EndedSessionEntity } from '../src/sessions/ended-session.entity.js';
import { EndedSessionsService } from '../src/sessions/ended-sessions.service.js';
import { requestedEnd } from '../src/sessions/session-state.js';

const SECRET = 'tenants-test-identity-secret-0123456789';
const GRACE_SECONDS = 30;
const HOUR_MS = 3_600_000;

// biome-ignore lint/suspicious/noExplicitAny: the tests read GraphQL responses loosely
type Loose = any;

describe('ended sessions: data access, verification and the logout mutation (real Postgres)', () => {
  let subgraph: SubgraphApp;
  let sessions: EndedSessionsService;
  let verifier: CredentialVerifier;
  let db: TenantDb;
  const codec = new InternalIdentityCodec(SECRET);
  const tenantId = randomUUID();
  const otherTenantId = randomUUID();
  const inAnHour = () => new Date(Date.now() + HOUR_MS);

  beforeAll(async () => {
    subgraph = await startSubgraphApp(AppModule, {
      identitySecret: SECRET,
      env: { SESSION_REFRESH_GRACE_SECONDS: String(GRACE_SECONDS) },
    });
    sessions = subgraph.app.get(EndedSessionsService);
    verifier = subgraph.app.get(CredentialVerifier);
    db = subgraph.app.get(TenantDb);
  });

  afterAll(async () => {
    await subgraph?.close();
  });

  async function call(query: string, identity: Identity) {
    const response = await request(subgraph.app.getHttpServer())
      .post('/graphql')
      .set('x-meshplane-identity', await codec.sign(identity))
      .send({ query });
    return response.body as { data?: Record<string, Loose> | null; errors?: Array<{ extensions: Loose }> };
  }

  it('records a logout as ended now, in its tenant only (row-level security)', async () => {
    const id = randomUUID();
    const now = new Date();
    const end = await sessions.end({ id, tenantId, expiresAt: inAnHour() }, requestedEnd('logout', now, 0));
    expect(end).toEqual({ endedAt: now, cause: 'logout' });
    expect(await sessions.state(id)).toEqual({ kind: 'ended', cause: 'logout', at: now });
    expect(await sessions.state(randomUUID())).toEqual({ kind: 'active' });
    const own = await db.tenant(tenantId, (m) => m.find(EndedSessionEntity, { where: { id } }));
    expect(own.map((row) => row.tenantId)).toEqual([tenantId]);
    expect(await db.tenant(otherTenantId, (m) => m.find(EndedSessionEntity, { where: { id } }))).toEqual([]);
    await expect(
      db.tenant(otherTenantId, (m) =>
        m.insert(EndedSessionEntity, {
          id: randomUUID(),
          tenantId,
          endedAt: now,
          cause: 'logout',
          expiresAt: inAnHour(),
        }),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('keeps the earlier end: a second logout changes nothing, a logout cuts a refresh grace short', async () => {
    const id = randomUUID();
    const session = { id, tenantId, expiresAt: inAnHour() };
    const t0 = new Date();
    const refreshed = await sessions.end(session, requestedEnd('refresh', t0, GRACE_SECONDS * 1000));
    expect(refreshed.endedAt.getTime()).toBe(t0.getTime() + GRACE_SECONDS * 1000);
    expect(await sessions.state(id, t0)).toEqual({ kind: 'superseded', until: refreshed.endedAt });
    // A second refresh does not extend the grace.
    const again = await sessions.end(
      session,
      requestedEnd('refresh', new Date(t0.getTime() + 5_000), 30_000),
    );
    expect(again).toEqual(refreshed);
    const t1 = new Date(t0.getTime() + 1_000);
    expect(await sessions.end(session, requestedEnd('logout', t1, 0))).toEqual({
      endedAt: t1,
      cause: 'logout',
    });
    expect(await sessions.end(session, requestedEnd('logout', new Date(t1.getTime() + 1_000), 0))).toEqual({
      endedAt: t1,
      cause: 'logout',
    });
    expect(await db.system((m) => m.count(EndedSessionEntity, { where: { id } }))).toBe(1);
  });

  it('agrees under concurrent ends of one session: one row, the earliest end', async () => {
    const id = randomUUID();
    const session = { id, tenantId, expiresAt: inAnHour() };
    const base = Date.now();
    const requested = [3, 1, 2, 0, 4].map((s) => requestedEnd('logout', new Date(base + s * 1000), 0));
    await Promise.all(requested.map((end) => sessions.end(session, end)));
    expect(await sessions.state(id, new Date(base + 10_000))).toEqual({
      kind: 'ended',
      cause: 'logout',
      at: new Date(base),
    });
  });

  it("prunes, on insert, every tenant's rows whose tokens have expired, and only those", async () => {
    const expired = randomUUID();
    await db.system((m) =>
      m.insert(EndedSessionEntity, {
        id: expired,
        tenantId: otherTenantId,
        endedAt: new Date(Date.now() - 2 * HOUR_MS),
        cause: 'logout',
        expiresAt: new Date(Date.now() - 1_000),
      }),
    );
    const live = randomUUID();
    await sessions.end({ id: live, tenantId, expiresAt: inAnHour() }, requestedEnd('logout', new Date(), 0));
    const left = await db.system((m) => m.findBy(EndedSessionEntity, { id: expired }));
    expect(left).toEqual([]);
    expect(await sessions.state(live)).toMatchObject({ kind: 'ended' });
    expect(await sessions.prune(new Date())).toBe(0);
  });

  describe('with a member', () => {
    let identity: AuthenticatedIdentity;

    beforeAll(async () => {
      const signUp = await request(subgraph.app.getHttpServer())
        .post('/graphql')
        .set('x-meshplane-identity', await codec.sign({ kind: 'anonymous', correlationId: 'c' }))
        .send({
          query: `mutation { signUp(input: { tenantName: "Sessions Co", email: "ann@sessions.example", password: "${STRONG_PASSWORD}" }) { user { id } tenant { id } } }`,
        });
      const { user, tenant } = signUp.body.data.signUp;
      identity = { kind: 'user', tenantId: tenant.id, userId: user.id, role: 'owner', correlationId: 'c' };
    });

    const withSession = () => ({
      ...identity,
      session: { id: randomUUID(), expiresAt: Math.floor(Date.now() / 1000) + 900 },
    });

    it('logout ends the calling session; verification then refuses it and accepts the member’s other sessions', async () => {
      const mine = withSession();
      const other = withSession();
      expect(await verifier.session(identity.tenantId, identity.userId, mine.session.id)).toMatchObject({
        ok: true,
      });
      const result = await call('mutation { logout { sessionId endedAt } }', mine);
      expect(result.errors).toBeUndefined();
      expect(result.data?.logout.sessionId).toBe(mine.session.id);
      expect(await verifier.session(identity.tenantId, identity.userId, mine.session.id)).toEqual({
        ok: false,
        code: 'SESSION_ENDED',
        reason: 'this session was ended by logging out; log in again',
      });
      expect(await verifier.session(identity.tenantId, identity.userId, other.session.id)).toEqual({
        ok: true,
        credential: { tenantId: identity.tenantId, userId: identity.userId, role: 'owner' },
      });
      const row = await db.system((m) => m.findOneByOrFail(EndedSessionEntity, { id: mine.session.id }));
      expect(row.expiresAt.getTime()).toBe(mine.session.expiresAt * 1000);
      // Logging out again (were the gateway to let the token through) is idempotent.
      const again = await call('mutation { logout { sessionId endedAt } }', mine);
      expect(again.data?.logout.endedAt).toBe(result.data?.logout.endedAt);
    });

    it('refresh supersedes the calling session for the configured grace, then verification refuses it', async () => {
      const mine = withSession();
      const before = Date.now();
      const result = await call('mutation { refreshSession { token } }', mine);
      expect(result.data?.refreshSession.token).toMatch(/^ey/);
      expect(await verifier.session(identity.tenantId, identity.userId, mine.session.id)).toMatchObject({
        ok: true,
      });
      const state = await sessions.state(mine.session.id);
      expect(state.kind).toBe('superseded');
      const until = state.kind === 'superseded' ? state.until.getTime() : 0;
      expect(until).toBeGreaterThanOrEqual(before + GRACE_SECONDS * 1000);
      expect(until).toBeLessThanOrEqual(Date.now() + GRACE_SECONDS * 1000);
      expect(await sessions.state(mine.session.id, new Date(until))).toEqual({
        kind: 'ended',
        cause: 'refresh',
        at: new Date(until),
      });
    });

    it('refuses logout and refresh to an API token (no session) with SESSION_REQUIRED, recording nothing', async () => {
      const count = await db.system((m) => m.count(EndedSessionEntity));
      for (const mutation of ['logout { sessionId }', 'refreshSession { token }']) {
        const result = await call(`mutation { ${mutation} }`, {
          ...identity,
          kind: 'token',
          tokenId: randomUUID(),
        });
        expect(result.errors?.[0]?.extensions).toMatchObject({
          code: 'FORBIDDEN',
          reason: 'SESSION_REQUIRED',
        });
      }
      expect(await db.system((m) => m.count(EndedSessionEntity))).toBe(count);
    });
  });
});

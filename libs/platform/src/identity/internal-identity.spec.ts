import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Identity } from './identity.js';
import { InternalIdentityCodec } from './internal-identity.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const user: Identity = {
  kind: 'user',
  tenantId: '6f1c2a4e-1111-4c1a-9a55-000000000001',
  userId: '6f1c2a4e-2222-4c1a-9a55-000000000002',
  role: 'editor',
  correlationId: 'corr-12345678',
};

describe('internal identity', () => {
  it('round-trips a user identity and an anonymous one', async () => {
    const codec = new InternalIdentityCodec(SECRET);
    expect(await codec.verify(await codec.sign(user))).toEqual(user);
    const anonymous: Identity = { kind: 'anonymous', correlationId: 'corr-abcdefgh' };
    expect(await codec.verify(await codec.sign(anonymous))).toEqual(anonymous);
  });

  it('carries the client address signed inside the identity, and drops one that is not an address', async () => {
    const codec = new InternalIdentityCodec(SECRET);
    const withIp: Identity = { ...user, clientIp: '2001:db8::7' };
    expect(await codec.verify(await codec.sign(withIp))).toEqual(withIp);
    const anonymous: Identity = { kind: 'anonymous', correlationId: 'corr-abcdefgh', clientIp: '192.0.2.1' };
    expect(await codec.verify(await codec.sign(anonymous))).toEqual(anonymous);
    expect(await codec.verify(await codec.sign({ ...user, clientIp: 'evil; DROP' }))).toEqual(user);
  });

  it("carries the session token's session id and expiry, so the tenants service can end that session", async () => {
    const codec = new InternalIdentityCodec(SECRET);
    const withSession: Identity = {
      ...user,
      session: { id: '6f1c2a4e-3333-4c1a-9a55-000000000003', expiresAt: 1_900_000_000 },
    };
    expect(await codec.verify(await codec.sign(withSession))).toEqual(withSession);
  });

  it('refuses an identity signed with another secret', async () => {
    const token = await new InternalIdentityCodec(`${SECRET}-other`).sign(user);
    expect(await new InternalIdentityCodec(SECRET).verify(token)).toBeUndefined();
  });

  it('refuses a missing, oversized or malformed token', async () => {
    const codec = new InternalIdentityCodec(SECRET);
    expect(await codec.verify(undefined)).toBeUndefined();
    expect(await codec.verify('x'.repeat(5000))).toBeUndefined();
    expect(await codec.verify('not.a.jwt')).toBeUndefined();
  });

  it('refuses a correctly signed token whose role is not one of ours', async () => {
    const forged = await new SignJWT({
      knd: 'user',
      tid: user.kind === 'user' ? user.tenantId : '',
      rol: 'root',
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('meshplane-gateway')
      .setAudience('meshplane-subgraph')
      .setSubject('someone')
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode(SECRET));
    expect(await new InternalIdentityCodec(SECRET).verify(forged)).toBeUndefined();
  });

  it('refuses an expired identity', async () => {
    const expired = await new SignJWT({ knd: 'anonymous', cid: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('meshplane-gateway')
      .setAudience('meshplane-subgraph')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 120)
      .sign(new TextEncoder().encode(SECRET));
    expect(await new InternalIdentityCodec(SECRET).verify(expired)).toBeUndefined();
  });
});

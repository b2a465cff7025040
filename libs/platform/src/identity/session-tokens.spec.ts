import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { SessionTokens } from './session-tokens.js';

const OLD = 'k1:old-secret-old-secret-old-secret-0001';
const NEW = 'k2:new-secret-new-secret-new-secret-0002';
const claims = { tenantId: 't-1', userId: 'u-1', role: 'admin' as const };

describe('session tokens', () => {
  it('verifies a token it signed, with its claims and expiry', async () => {
    const tokens = new SessionTokens(OLD, 900);
    const { token, expiresAt, sessionId } = await tokens.sign(claims);
    expect(await tokens.verify(token)).toMatchObject({
      ...claims,
      sessionId,
      expiresAt: Math.floor(expiresAt.getTime() / 1000),
    });
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(890_000);
  });

  it('gives every token its own session id (its jti), and refuses a token without one', async () => {
    const tokens = new SessionTokens(OLD);
    const [a, b] = await Promise.all([tokens.sign(claims), tokens.sign(claims)]);
    expect(a.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.sessionId).not.toBe(b.sessionId);
    const [kid, secret] = OLD.split(':') as [string, string];
    const withoutJti = await new SignJWT({ tid: 't-1', rol: 'admin' })
      .setProtectedHeader({ alg: 'HS256', kid })
      .setIssuer('meshplane')
      .setAudience('meshplane-api')
      .setSubject('u-1')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    expect(await tokens.verify(withoutJti)).toBeUndefined();
  });

  it('keeps accepting tokens of a rotated-out key while it is still listed, and signs with the new one', async () => {
    const before = await new SessionTokens(OLD).sign(claims);
    const rotated = new SessionTokens(`${NEW},${OLD}`);
    expect(await rotated.verify(before.token)).toMatchObject(claims);
    const after = await rotated.sign(claims);
    expect(await new SessionTokens(NEW).verify(after.token)).toMatchObject(claims);
    expect(await new SessionTokens(NEW).verify(before.token)).toBeUndefined();
  });

  it('refuses a tampered token', async () => {
    const tokens = new SessionTokens(OLD);
    const { token } = await tokens.sign(claims);
    const [header, payload, signature] = token.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ tid: 't-2', sub: 'u-1', rol: 'owner' })).toString('base64url')}.${signature}`;
    expect(await tokens.verify(tampered)).toBeUndefined();
    expect(payload).toBeTruthy();
  });

  it('refuses key lists with short secrets or no key id', () => {
    expect(() => new SessionTokens('k1:short')).toThrow(/32\+ characters/);
    expect(() => new SessionTokens(':aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toThrow(/kid:secret/);
  });
});

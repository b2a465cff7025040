import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueSecret, parseSecret, VerifiedSecrets } from './secret-tokens.js';

describe('secret tokens', () => {
  it('embed the row id and 256 random bits, and store only an argon2id hash of the secret', async () => {
    const id = randomUUID();
    const { token, hash } = await issueSecret('mpt', id);
    expect(token).toMatch(/^mpt_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseSecret('mpt', token)!;
    expect(parsed.id).toBe(id);
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain(parsed.secret);
  });

  it('refuse tokens of the other kind, of the wrong shape, or with extra characters', async () => {
    const { token } = await issueSecret('mpi', randomUUID());
    expect(parseSecret('mpt', token)).toBeUndefined();
    expect(parseSecret('mpi', `${token}x`)).toBeUndefined();
    expect(parseSecret('mpi', ` ${token}`)).toBeUndefined();
    expect(parseSecret('mpt', 'mpt_garbage')).toBeUndefined();
    expect(parseSecret('mpt', '')).toBeUndefined();
  });

  it('verify the right secret, refuse a wrong one, and remember only successes', async () => {
    const { token, hash } = await issueSecret('mpt', randomUUID());
    const other = await issueSecret('mpt', randomUUID());
    const verified = new VerifiedSecrets(1);
    const { secret } = parseSecret('mpt', token)!;
    expect(await verified.verify(token, secret, hash)).toBe(true);
    expect(await verified.verify(token, secret, hash)).toBe(true);
    expect(await verified.verify(token, 'x'.repeat(43), other.hash)).toBe(false);
    // The remembered pair is tied to the stored hash: a different stored hash is verified afresh.
    expect(await verified.verify(token, secret, other.hash)).toBe(false);
  });
});

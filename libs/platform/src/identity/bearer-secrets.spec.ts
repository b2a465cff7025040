import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  issueBearerSecret,
  parseBearerSecret,
  VerifiedSecrets,
  verifyBearerSecret,
} from './bearer-secrets.js';

describe('bearer secrets', () => {
  it('embed the row id and 256 random bits, and store only an argon2id hash of the secret', async () => {
    const id = randomUUID();
    const { token, hash } = await issueBearerSecret('mpt', id);
    expect(token).toMatch(/^mpt_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseBearerSecret('mpt', token)!;
    expect(parsed.id).toBe(id);
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain(parsed.secret);
    expect(await verifyBearerSecret(hash, parsed.secret)).toBe(true);
    expect(
      await verifyBearerSecret(
        hash,
        parsed.secret.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
      ),
    ).toBe(false);
  });

  it('refuse tokens of another kind, of the wrong shape, with extra characters, or oversized', async () => {
    const { token } = await issueBearerSecret('mpi');
    expect(parseBearerSecret('mpt', token)).toBeUndefined();
    expect(parseBearerSecret('mpa', token)).toBeUndefined();
    for (const bad of [
      `${token}x`,
      ` ${token}`,
      'mpi_garbage',
      '',
      'mpi_',
      `mpi_${'0'.repeat(200)}`,
      token.replace('_', '-'),
    ]) {
      expect(parseBearerSecret('mpi', bad), bad).toBeUndefined();
    }
  });

  it('never verify against a garbage hash', async () => {
    expect(await verifyBearerSecret('not-a-hash', 'secret')).toBe(false);
  });

  it('remember only successful verifications, tied to the stored hash', async () => {
    const { token, hash } = await issueBearerSecret('mpt');
    const other = await issueBearerSecret('mpt');
    const verified = new VerifiedSecrets(1);
    const { secret } = parseBearerSecret('mpt', token)!;
    expect(await verified.verify(token, secret, hash)).toBe(true);
    expect(await verified.verify(token, secret, hash)).toBe(true);
    expect(await verified.verify(token, 'x'.repeat(43), other.hash)).toBe(false);
    // A different stored hash is verified afresh, not taken from memory.
    expect(await verified.verify(token, secret, other.hash)).toBe(false);
  });
});

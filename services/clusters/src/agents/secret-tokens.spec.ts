import { describe, expect, it } from 'vitest';
import {
  AGENT_CREDENTIAL_PREFIX,
  INSTALL_TOKEN_PREFIX,
  issueSecret,
  parseSecret,
  verifySecret,
} from './secret-tokens.js';

describe('install tokens and agent credentials', () => {
  it('issue a token whose id parses back and whose secret verifies against the stored hash', async () => {
    const issued = await issueSecret(AGENT_CREDENTIAL_PREFIX);
    expect(issued.token).toMatch(/^mpa_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect(issued.hash).toMatch(/^\$argon2id\$/);
    const parsed = parseSecret(AGENT_CREDENTIAL_PREFIX, issued.token)!;
    expect(parsed.id).toBe(issued.id);
    expect(await verifySecret(issued.hash, parsed.secret)).toBe(true);
    expect(await verifySecret(issued.hash, `${parsed.secret.slice(0, -1)}A`)).toBe(
      parsed.secret.endsWith('A'),
    );
  });

  it('refuse tokens of the other kind, malformed ones and oversized ones', async () => {
    const issued = await issueSecret(INSTALL_TOKEN_PREFIX);
    expect(parseSecret(AGENT_CREDENTIAL_PREFIX, issued.token)).toBeUndefined();
    for (const bad of [
      '',
      'mpi_',
      'mpi_xyz_abc',
      `${issued.token}x`,
      `mpi_${'0'.repeat(200)}`,
      issued.token.replace('_', '-'),
    ]) {
      expect(parseSecret(INSTALL_TOKEN_PREFIX, bad), bad).toBeUndefined();
    }
  });

  it('never verify against a garbage hash', async () => {
    expect(await verifySecret('not-a-hash', 'secret')).toBe(false);
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from './password.js';

/**
 * Bearer secrets Meshplane hands out once: API tokens (`mpt_`) and invitations (`mpi_`).
 *
 * Format: `<prefix>_<id as 32 hex digits>_<43 base64url characters = 256 random bits>`.
 * The row id travels in the token, so authentication is one primary-key lookup plus one argon2id
 * verification of the secret part; only that argon2id hash is stored (a database leak yields no
 * usable token, and no unsalted digest to match leaked tokens against). Because argon2id is
 * deliberately slow, a process remembers which (token, stored hash) pairs it has already verified
 * (`VerifiedSecrets`, keyed by a SHA-256 of the token, in memory only): revocation and expiry are
 * still read from the row on every request, only the hash computation is skipped.
 */
export type SecretPrefix = 'mpt' | 'mpi';

const SECRET_BYTES = 32;
const SHAPE = /^(mp[ti])_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export interface IssuedSecret {
  /** What the caller is shown, once. */
  token: string;
  /** What is stored. */
  hash: string;
}

function uuidOf(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function issueSecret(prefix: SecretPrefix, id: string): Promise<IssuedSecret> {
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  const token = `${prefix}_${id.replaceAll('-', '')}_${secret}`;
  return { token, hash: await hashPassword(secret) };
}

/** The row id and secret of a well-formed token of this kind, or undefined. */
export function parseSecret(prefix: SecretPrefix, token: string): { id: string; secret: string } | undefined {
  const match = SHAPE.exec(token);
  if (!match || match[1] !== prefix) return undefined;
  return { id: uuidOf(match[2]!), secret: match[3]! };
}

/** Remembers successful verifications so argon2id runs once per token and process, not per request. */
export class VerifiedSecrets {
  private readonly verified = new Map<string, string>();

  constructor(private readonly capacity = 10_000) {}

  async verify(token: string, secret: string, storedHash: string): Promise<boolean> {
    const key = createHash('sha256').update(token).digest('base64url');
    if (this.verified.get(key) === storedHash) return true;
    if (!(await verifyPassword(storedHash, secret))) return false;
    if (this.verified.size >= this.capacity) {
      this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(key, storedHash);
    return true;
  }
}

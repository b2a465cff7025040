import { createHash, randomBytes, randomUUID } from 'node:crypto';
import argon2 from 'argon2';

/**
 * Bearer secrets Meshplane hands out once — API tokens (`mpt`), member invitations and install
 * tokens (`mpi`, each looked up in its own table), agent credentials (`mpa`):
 * `<prefix>_<row id as 32 hex digits>_<43 base64url characters = 256 random bits>`.
 *
 * The row id travels in the token, so authentication is one primary-key lookup plus one argon2id
 * verification of the secret part; only that argon2id hash is stored (a database leak yields no
 * usable token and no unsalted digest to match leaked tokens against). The secret is random, not
 * a password, so a light argon2id setting (8 MiB, 1 pass) resists offline guessing many times
 * over while keeping a reconnect storm of thousands of agents cheap.
 */
export interface IssuedBearerSecret {
  /** The row id embedded in the token. */
  id: string;
  /** What the caller is shown, once. */
  token: string;
  /** What is stored. */
  hash: string;
}

const ARGON2 = { type: argon2.argon2id, memoryCost: 8_192, timeCost: 1, parallelism: 1 } as const;
const SHAPE = /^([a-z]{3})_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

function uuidOf(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function issueBearerSecret(
  prefix: string,
  id: string = randomUUID(),
): Promise<IssuedBearerSecret> {
  const secret = randomBytes(32).toString('base64url');
  return {
    id,
    token: `${prefix}_${id.replaceAll('-', '')}_${secret}`,
    hash: await argon2.hash(secret, ARGON2),
  };
}

/** The row id and secret of a well-formed token with this prefix, or undefined. */
export function parseBearerSecret(prefix: string, token: string): { id: string; secret: string } | undefined {
  const match = token.length <= 128 ? SHAPE.exec(token) : null;
  if (!match || match[1] !== prefix) return undefined;
  return { id: uuidOf(match[2]!), secret: match[3]! };
}

export async function verifyBearerSecret(hash: string, secret: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, secret);
  } catch {
    return false;
  }
}

/**
 * Remembers successful verifications (keyed by a SHA-256 of the token, tied to the stored hash,
 * in memory only) so argon2id runs once per token and process, not per request. Revocation and
 * expiry must still be read from the row on every request; only the hash computation is skipped.
 */
export class VerifiedSecrets {
  private readonly verified = new Map<string, string>();

  constructor(private readonly capacity = 10_000) {}

  async verify(token: string, secret: string, storedHash: string): Promise<boolean> {
    const key = createHash('sha256').update(token).digest('base64url');
    if (this.verified.get(key) === storedHash) return true;
    if (!(await verifyBearerSecret(storedHash, secret))) return false;
    if (this.verified.size >= this.capacity) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(key, storedHash);
    return true;
  }
}

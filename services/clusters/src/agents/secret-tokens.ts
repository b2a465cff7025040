import { randomBytes, randomUUID } from 'node:crypto';
import argon2 from 'argon2';

/**
 * Bearer secrets of the install flow: `<prefix><id>_<secret>`. The id finds the row; only an
 * argon2id hash of the 256-bit secret is stored. The secret is random, not a password, so a
 * light argon2id setting (8 MiB, 1 pass) resists offline guessing many times over while keeping a
 * reconnect storm of thousands of agents cheap.
 */
export const INSTALL_TOKEN_PREFIX = 'mpi_';
export const AGENT_CREDENTIAL_PREFIX = 'mpa_';

const ARGON2 = { type: argon2.argon2id, memoryCost: 8_192, timeCost: 1, parallelism: 1 } as const;
const FORMAT = /^([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export interface IssuedSecret {
  id: string;
  token: string;
  hash: string;
}

export async function issueSecret(prefix: string): Promise<IssuedSecret> {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  return {
    id,
    token: `${prefix}${id.replaceAll('-', '')}_${secret}`,
    hash: await argon2.hash(secret, ARGON2),
  };
}

/** Splits a token into its row id and secret, or undefined when it is not one of ours. */
export function parseSecret(prefix: string, token: string): { id: string; secret: string } | undefined {
  if (!token.startsWith(prefix) || token.length > 128) return undefined;
  const match = FORMAT.exec(token.slice(prefix.length));
  if (!match) return undefined;
  const hex = match[1]!;
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { id, secret: match[2]! };
}

export async function verifySecret(hash: string, secret: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, secret);
  } catch {
    return false;
  }
}

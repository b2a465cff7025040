import { z } from 'zod';

/** The per-cluster credential the agent got from the exchange (or the last rotation). */
export interface StoredCredential {
  clusterId: string;
  credential: string;
  /** ISO timestamp after which the hub no longer accepts it. */
  expiresAt: string;
  /** ISO timestamp when the agent received it; with `expiresAt` it gives the lifetime. */
  issuedAt: string;
}

export const StoredCredentialSchema = z.object({
  clusterId: z.string().min(1),
  credential: z.string().min(1),
  expiresAt: z.iso.datetime({ offset: true }),
  issuedAt: z.iso.datetime({ offset: true }),
});

/**
 * Where the credential lives between restarts. `save` must be atomic: a crash mid-write leaves
 * either the old credential or the new one, never a torn file.
 */
export interface CredentialStore {
  /** A short description for logs, e.g. `file /var/run/meshplane/credential`. */
  readonly description: string;
  /** The stored credential, `undefined` when none is stored. */
  load(): Promise<StoredCredential | undefined>;
  save(credential: StoredCredential): Promise<void>;
}

/** A store in memory, for tests and embedding. */
export class MemoryCredentialStore implements CredentialStore {
  readonly description = 'memory';
  saves = 0;

  constructor(private stored?: StoredCredential) {}

  async load(): Promise<StoredCredential | undefined> {
    return this.stored === undefined ? undefined : { ...this.stored };
  }

  async save(credential: StoredCredential): Promise<void> {
    this.stored = { ...credential };
    this.saves += 1;
  }
}

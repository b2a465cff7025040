import { backoffDelay } from '@meshplane/protocol';
import { AgentError, describeError, isAgentError } from '../agent.errors.js';
import type { Logger } from '../log.js';
import type { CredentialClient, IssuedCredential } from './credential-client.js';
import type { CredentialStore, StoredCredential } from './credential-store.js';

export interface CredentialManagerOptions {
  store: CredentialStore;
  client: CredentialClient;
  bootstrapToken?: string;
  logger: Logger;
  /** Fraction of the lifetime after which the credential is rotated; default 0.8. */
  rotateAfterFraction?: number;
  /** Backoff between failed exchange or rotation attempts. */
  retryBaseMs?: number;
  retryCapMs?: number;
  now?: () => number;
  random?: () => number;
  onRotated?: (credential: StoredCredential) => void;
}

/** Node timers take at most 2^31-1 ms; longer waits are done in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Owns the agent's credential: loads the stored one, exchanges the bootstrap token only when
 * none is stored, and rotates it once `rotateAfterFraction` of its lifetime has passed. Secrets
 * are never logged; only the cluster id and the expiry are.
 */
export class CredentialManager {
  private credential: StoredCredential | undefined;
  private rotationTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly now: () => number;
  private readonly retry: { baseMs: number; capMs: number; random: () => number };
  private wakeUp: (() => void) | undefined;

  constructor(private readonly options: CredentialManagerOptions) {
    this.now = options.now ?? Date.now;
    this.retry = {
      baseMs: options.retryBaseMs ?? 1_000,
      capMs: options.retryCapMs ?? 300_000,
      random: options.random ?? Math.random,
    };
  }

  /** The credential to present in `hello`; `obtain()` must have succeeded. */
  current(): StoredCredential {
    if (this.credential === undefined) throw new Error('no credential obtained yet');
    return this.credential;
  }

  /**
   * The stored credential, or a fresh one from the bootstrap token when none is stored.
   * Retries what may pass later (network, 5xx); throws what never will (a used token).
   */
  async obtain(): Promise<StoredCredential> {
    const stored = await this.withRetries('load the stored credential', () => this.options.store.load());
    if (stored !== undefined) {
      this.options.logger.info('using the stored credential', this.describe(stored));
      this.credential = stored;
      return stored;
    }
    const token = this.options.bootstrapToken;
    if (token === undefined) {
      throw new AgentError(
        'bootstrap_token_missing',
        `no credential in ${this.options.store.description} and MESHPLANE_BOOTSTRAP_TOKEN is not set`,
      );
    }
    this.options.logger.info('exchanging the bootstrap token for a cluster credential');
    const issued = await this.withRetries('exchange the bootstrap token', () =>
      this.options.client.exchange(token),
    );
    this.credential = await this.persist(issued);
    this.options.logger.info('credential obtained', this.describe(this.credential));
    return this.credential;
  }

  /** Rereads the store, e.g. after the hub refused the credential (another replica may have rotated it). */
  async reload(): Promise<void> {
    try {
      const stored = await this.options.store.load();
      if (stored !== undefined && stored.credential !== this.credential?.credential) {
        this.credential = stored;
        this.options.logger.info('reloaded a newer stored credential', this.describe(stored));
        this.scheduleRotation();
      }
    } catch (error) {
      this.options.logger.warn('could not reread the credential store', { error: describeError(error) });
    }
  }

  /** Starts the rotation timer for the current credential. */
  scheduleRotation(): void {
    if (this.stopped || this.credential === undefined) return;
    clearTimeout(this.rotationTimer);
    const { issuedAt, expiresAt } = this.credential;
    const issued = Date.parse(issuedAt);
    const lifetime = Date.parse(expiresAt) - issued;
    const fraction = this.options.rotateAfterFraction ?? 0.8;
    const due = issued + Math.max(0, lifetime) * fraction;
    this.armTimer(due - this.now(), () => {
      if (this.now() < due) this.scheduleRotation();
      else void this.rotate();
    });
  }

  /** Rotates now: asks for a new credential and stores it; retries with backoff on failure. */
  async rotate(): Promise<void> {
    if (this.credential === undefined) return;
    try {
      const issued = await this.withRetries('rotate the credential', () =>
        this.options.client.rotate(this.current().credential),
      );
      this.credential = await this.persist(issued);
      this.options.logger.info('credential rotated', this.describe(this.credential));
      this.options.onRotated?.(this.credential);
      this.scheduleRotation();
    } catch (error) {
      if (this.stopped) return;
      // Refused: the credential is revoked or expired. The hub will say so; try again much later.
      this.options.logger.error('credential rotation refused', { error: describeError(error) });
      this.armTimer(this.retry.capMs, () => void this.rotate());
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.rotationTimer);
    this.wakeUp?.();
  }

  private async persist(issued: IssuedCredential): Promise<StoredCredential> {
    const stored: StoredCredential = { ...issued, issuedAt: new Date(this.now()).toISOString() };
    await this.withRetries('store the credential', () => this.options.store.save(stored));
    return stored;
  }

  private armTimer(delayMs: number, action: () => void): void {
    clearTimeout(this.rotationTimer);
    this.rotationTimer = setTimeout(action, Math.min(Math.max(0, delayMs), MAX_TIMER_MS));
    this.rotationTimer.unref();
  }

  /** Runs `attempt` until it succeeds, the error is permanent, or the manager stops. */
  private async withRetries<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    for (let failures = 0; ; failures += 1) {
      try {
        return await attempt();
      } catch (error) {
        if (this.stopped || !isAgentError(error) || !error.retryable) throw error;
        const delay = backoffDelay(failures, this.retry);
        this.options.logger.warn(`could not ${what}, retrying`, { error: error.message, retryInMs: delay });
        await this.sleep(delay);
        if (this.stopped) throw error;
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private describe(credential: StoredCredential): Record<string, string> {
    return {
      clusterId: credential.clusterId,
      expiresAt: credential.expiresAt,
      store: this.options.store.description,
    };
  }
}

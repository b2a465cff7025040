import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AgentError, describeError } from '../agent.errors.js';
import { type CredentialStore, type StoredCredential, StoredCredentialSchema } from './credential-store.js';

/**
 * Keeps the credential as a JSON file readable only by the agent's user. Saving writes a
 * temporary file beside it and renames it over the old one, which is atomic on POSIX.
 */
export class FileCredentialStore implements CredentialStore {
  readonly description: string;

  constructor(private readonly path: string) {
    this.description = `file ${path}`;
  }

  async load(): Promise<StoredCredential | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new AgentError('credential_store_failed', `cannot read ${this.path}: ${describeError(error)}`);
    }
    return parseStored(text, this.path);
  }

  async save(credential: StoredCredential): Promise<void> {
    const temporary = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      await writeFile(temporary, `${JSON.stringify(credential)}\n`, { mode: 0o600, flag: 'wx' });
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new AgentError('credential_store_failed', `cannot write ${this.path}: ${describeError(error)}`);
    }
  }
}

/** Parses a stored credential document; never echoes its content (it holds a secret). */
export function parseStored(text: string, where: string): StoredCredential {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AgentError('credential_store_failed', `${where} does not hold JSON`, { retryable: false });
  }
  const parsed = StoredCredentialSchema.safeParse(value);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path.join('.') ?? '';
    throw new AgentError('credential_store_failed', `${where} is not a stored credential (field ${path})`, {
      retryable: false,
    });
  }
  return parsed.data;
}

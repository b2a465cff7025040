import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Where the agent keeps the version of the last config bundle it applied completely, so that a
 * restarted agent reports it in `hello` instead of 0 (which would only cost a full re-push).
 */
export interface AppliedVersionStore {
  readonly description: string;
  /** 0 when nothing is stored. */
  load(): Promise<number>;
  save(version: number): Promise<void>;
}

export class MemoryAppliedVersionStore implements AppliedVersionStore {
  readonly description = 'memory';
  constructor(private version = 0) {}

  async load(): Promise<number> {
    return this.version;
  }

  async save(version: number): Promise<void> {
    this.version = version;
  }
}

/** A small JSON file (next to the credential file), written atomically with temp + rename. */
export class FileAppliedVersionStore implements AppliedVersionStore {
  readonly description: string;

  constructor(private readonly path: string) {
    this.description = `file ${path}`;
  }

  async load(): Promise<number> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    const version = (JSON.parse(text) as { lastAppliedConfigVersion?: unknown }).lastAppliedConfigVersion;
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0)
      throw new Error(`${this.path} holds no valid lastAppliedConfigVersion`);
    return version;
  }

  async save(version: number): Promise<void> {
    const temporary = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      await writeFile(temporary, `${JSON.stringify({ lastAppliedConfigVersion: version })}\n`, {
        mode: 0o600,
        flag: 'wx',
      });
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}

import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './cli-error.js';

/** Where `meshplane login` keeps the API URL and token. */
export interface Credentials {
  url: string;
  token: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:4000';

/** `$MESHPLANE_CONFIG`, else `$XDG_CONFIG_HOME/meshplane/credentials.json` (`~/.config` by default). */
export function credentialsPath(env: NodeJS.ProcessEnv): string {
  if (env.MESHPLANE_CONFIG) return env.MESHPLANE_CONFIG;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'meshplane', 'credentials.json');
}

/** Writes the file readable by its owner only (mode 0600, directory 0700), also when it existed. */
export async function saveCredentials(path: string, credentials: Credentials): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
}

/**
 * The credentials to call the API with: `MESHPLANE_TOKEN` and `MESHPLANE_URL` win over the file
 * `meshplane login` wrote; without either token the command fails saying how to log in.
 */
export async function loadCredentials(env: NodeJS.ProcessEnv): Promise<Credentials> {
  const path = credentialsPath(env);
  let stored: Partial<Credentials> = {};
  try {
    stored = JSON.parse(await readFile(path, 'utf8')) as Partial<Credentials>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const token = env.MESHPLANE_TOKEN || stored.token;
  if (!token) throw new CliError('not logged in: run `meshplane login` or set MESHPLANE_TOKEN');
  return { url: env.MESHPLANE_URL || stored.url || DEFAULT_URL, token };
}

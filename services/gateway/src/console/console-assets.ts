import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
  etag: string;
  /** Vite's content-hashed files under assets/: cacheable for ever. */
  immutable: boolean;
}

export function defaultConsoleDir(): string {
  return new URL('../../../console/dist', import.meta.url).pathname;
}

/**
 * The console's built files (services/console/dist), read once at start-up: a few hundred KB,
 * served from memory by URL path. Absent (the console not built) is allowed: the gateway then
 * answers console routes with 503 and a hint, and the API works as before.
 */
export class ConsoleAssets {
  private readonly files = new Map<string, ConsoleAsset>();

  constructor(readonly dir: string) {
    if (!existsSync(join(dir, 'index.html'))) return;
    for (const path of walk(dir)) {
      const body = readFileSync(path);
      const urlPath = `/${relative(dir, path).split(sep).join('/')}`;
      this.files.set(urlPath, {
        body,
        contentType: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        immutable: urlPath.startsWith('/assets/'),
      });
    }
  }

  get built(): boolean {
    return this.files.has('/index.html');
  }

  get index(): ConsoleAsset | undefined {
    return this.files.get('/index.html');
  }

  file(urlPath: string): ConsoleAsset | undefined {
    return urlPath === '/index.html' ? undefined : this.files.get(urlPath);
  }
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

/**
 * A fake of the public edge's credential endpoints (`POST /agent/v1/exchange`, `/agent/v1/rotate`)
 * for the agent's tests. Each issued credential is `cred-<n>`; the test decides lifetimes and
 * failures.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  path: string;
  body: unknown;
  authorization: string | undefined;
}

export interface FakeCredentialApiOptions {
  /** Lifetime of issued credentials; default one hour. */
  lifetimeMs?: number;
  /** Answer the next calls with these statuses before succeeding (e.g. `[503]`). */
  failures?: { status: number; code: string }[];
  /** Bootstrap tokens accepted once; default `['bootstrap-1']`. */
  tokens?: string[];
  /** Credentials the rotate endpoint accepts besides those issued here. */
  acceptCredentials?: string[];
}

export class FakeCredentialApi {
  readonly calls: RecordedCall[] = [];
  private issued = 0;
  private readonly unusedTokens: Set<string>;
  private readonly valid: Set<string>;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeCredentialApiOptions,
  ) {
    this.unusedTokens = new Set(options.tokens ?? ['bootstrap-1']);
    this.valid = new Set(options.acceptCredentials ?? []);
    server.on('request', (request, response) => {
      void this.handle(request).then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
  }

  static async start(options: FakeCredentialApiOptions = {}): Promise<FakeCredentialApi> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return new FakeCredentialApi(server, options);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  callsTo(path: string): RecordedCall[] {
    return this.calls.filter((call) => call.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body: unknown = text ? JSON.parse(text) : undefined;
    const path = request.url ?? '';
    this.calls.push({ path, body, authorization: request.headers.authorization });
    const failure = this.options.failures?.shift();
    if (failure)
      return {
        status: failure.status,
        body: { error: { code: failure.code, message: 'simulated failure' } },
      };
    if (request.method !== 'POST') return error(405, 'method_not_allowed');
    if (path === '/agent/v1/exchange') {
      const token = (body as { bootstrapToken?: string } | undefined)?.bootstrapToken;
      if (token === undefined || !this.unusedTokens.delete(token)) return error(410, 'token_used_or_expired');
      return { status: 200, body: this.issue() };
    }
    if (path === '/agent/v1/rotate') {
      const credential = request.headers.authorization?.replace(/^Bearer /, '');
      if (credential === undefined || !this.valid.has(credential)) return error(401, 'unauthenticated');
      return { status: 200, body: this.issue() };
    }
    return error(404, 'not_found');
  }

  private issue() {
    this.issued += 1;
    const credential = `cred-${this.issued}`;
    this.valid.add(credential);
    const expiresAt = new Date(Date.now() + (this.options.lifetimeMs ?? 3_600_000)).toISOString();
    return { clusterId: 'c-test', credential, expiresAt };
  }
}

function error(status: number, code: string) {
  return { status, body: { error: { code, message: code.replaceAll('_', ' ') } } };
}

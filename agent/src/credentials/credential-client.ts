import { z } from 'zod';
import { AgentError } from '../agent.errors.js';

/**
 * The two HTTP calls of the credential life cycle on Meshplane's public edge:
 * `POST /agent/v1/exchange` (bootstrap token → credential, once) and
 * `POST /agent/v1/rotate` (credential → fresh credential, before it expires).
 */

export interface IssuedCredential {
  clusterId: string;
  credential: string;
  expiresAt: string;
}

const IssuedCredentialSchema = z.object({
  clusterId: z.string().min(1),
  credential: z.string().min(1),
  expiresAt: z.iso.datetime({ offset: true }),
});

const ApiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export type FetchFunction = typeof fetch;

export interface CredentialClientOptions {
  apiUrl: string;
  fetch?: FetchFunction;
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

export class CredentialClient {
  private readonly fetch: FetchFunction;
  private readonly timeoutMs: number;

  constructor(private readonly options: CredentialClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  exchange(bootstrapToken: string): Promise<IssuedCredential> {
    return this.post('/agent/v1/exchange', { bootstrapToken }, {});
  }

  rotate(credential: string): Promise<IssuedCredential> {
    return this.post('/agent/v1/rotate', {}, { authorization: `Bearer ${credential}` });
  }

  private async post(
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<IssuedCredential> {
    const url = `${this.options.apiUrl}${path}`;
    let response: Response;
    try {
      response = await this.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new AgentError('credential_unavailable', `POST ${path} failed: ${reason}`);
    }
    const payload = await readJson(response);
    if (response.ok) {
      const issued = IssuedCredentialSchema.safeParse(payload);
      if (!issued.success) {
        throw new AgentError(
          'credential_response_invalid',
          `POST ${path} answered ${response.status} without a credential`,
        );
      }
      return issued.data;
    }
    throw failure(path, response.status, payload);
  }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/** 4xx except 429 means "this token or credential will never work"; the rest may pass later. */
function failure(path: string, status: number, payload: unknown): AgentError {
  const parsed = ApiErrorSchema.safeParse(payload);
  const detail = parsed.success ? `${parsed.data.error.code}: ${parsed.data.error.message}` : 'no error body';
  const message = `POST ${path} answered ${status} (${detail})`;
  const permanent = status >= 400 && status < 500 && status !== 429 && status !== 408;
  return new AgentError(permanent ? 'credential_refused' : 'credential_unavailable', message);
}

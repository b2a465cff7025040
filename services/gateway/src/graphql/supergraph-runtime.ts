import { CONFIG, IDENTITY_CODEC, type Identity, type InternalIdentityCodec } from '@meshplane/platform';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { GatewayConfig } from '../config.js';
import { createRuntime, type EdgeContext } from './gateway-runtime.js';

/** A GraphQL answer as the runtime gave it. */
export interface GraphQLAnswer<T> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/**
 * The one supergraph runtime of this process, shared by the public `/graphql` endpoint and the
 * console's session endpoints (which run fixed login/sign-up operations through it, so they go
 * through the same limits, subgraphs, rate limits and audit as any other caller).
 */
@Injectable()
export class SupergraphRuntime implements OnModuleDestroy {
  private readonly runtime: ReturnType<typeof createRuntime>;

  constructor(@Inject(CONFIG) config: GatewayConfig, @Inject(IDENTITY_CODEC) codec: InternalIdentityCodec) {
    this.runtime = createRuntime(config, codec);
  }

  fetch(url: string, init: RequestInit, context: EdgeContext): Promise<Response> {
    return Promise.resolve(this.runtime.fetch(url, init, context));
  }

  /** Runs one operation as `identity` and returns its JSON answer. */
  async execute<T>(
    query: string,
    variables: Record<string, unknown>,
    context: { identity: Identity; clientIp?: string },
  ): Promise<GraphQLAnswer<T>> {
    const response = await this.fetch(
      'http://gateway/graphql',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query, variables }),
      },
      context,
    );
    const body = (await response.json()) as Omit<GraphQLAnswer<T>, 'status'>;
    return { status: response.status, ...body };
  }

  async onModuleDestroy() {
    await this.runtime.dispose();
  }
}

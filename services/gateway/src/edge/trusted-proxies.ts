import { CONFIG } from '@meshplane/platform';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express } from 'express';
import type { GatewayConfig } from '../config.js';
import { trustedProxyEntries } from './client-address.js';

/**
 * Sets Express's `trust proxy` from `TRUSTED_PROXIES` before the first request, so `req.ip` is
 * the first address, counted from the socket's peer backwards through `X-Forwarded-For`, that is
 * not one of the trusted hops (proxy-addr). A client cannot choose its own address by sending the
 * header: from an untrusted peer it is ignored.
 */
@Injectable()
export class TrustedProxies implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {}

  onModuleInit() {
    const entries = trustedProxyEntries(this.config.TRUSTED_PROXIES);
    const app = this.adapterHost.httpAdapter.getInstance<Express>();
    app.set('trust proxy', entries.length > 0 ? entries : false);
  }
}

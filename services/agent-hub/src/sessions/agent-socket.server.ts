import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CONFIG } from '@meshplane/platform';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WebSocketServer } from 'ws';
import type { AgentHubConfig } from '../config.js';
import { SessionRegistry } from './session-registry.js';

export const AGENTS_PATH = '/agents';

/** The agents' edge: websocket upgrades on `/agents`, each handed to the session registry. */
@Injectable()
export class AgentSocketServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly wss: WebSocketServer;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly registry: SessionRegistry,
    @Inject(CONFIG) config: AgentHubConfig,
  ) {
    // perMessageDeflate off: per-socket zlib contexts would cost far more memory than they save.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: config.AGENT_MAX_FRAME_BYTES,
      perMessageDeflate: false,
      clientTracking: false,
    });
  }

  onApplicationBootstrap() {
    const server = this.adapterHost.httpAdapter.getHttpServer();
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = new URL(request.url ?? '/', 'http://hub').pathname;
      if (path !== AGENTS_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.registry.attach(ws));
    });
  }

  onApplicationShutdown() {
    this.wss.close();
  }
}

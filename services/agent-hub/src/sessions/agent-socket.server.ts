import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CONFIG, InjectLogger, type Logger } from '@meshplane/platform';
import { CLOSE_CODES } from '@meshplane/protocol';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type WebSocket, WebSocketServer } from 'ws';
import type { AgentHubConfig } from '../config.js';

export const AGENTS_PATH = '/agents';

/**
 * The agents' edge: websocket upgrades on `/agents`. Agent authentication is not built yet, so
 * every connection is closed with a clear "unauthenticated" code; nothing else is accepted.
 */
@Injectable()
export class AgentSocketServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly wss: WebSocketServer;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(CONFIG) config: AgentHubConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: config.AGENT_MAX_FRAME_BYTES });
  }

  onApplicationBootstrap() {
    const server = this.adapterHost.httpAdapter.getHttpServer();
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = new URL(request.url ?? '/', 'http://hub').pathname;
      if (path !== AGENTS_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
    });
  }

  private accept(ws: WebSocket) {
    this.logger.info('agent connection refused: agent authentication is not available yet');
    ws.close(CLOSE_CODES.unauthenticated, 'unauthenticated');
  }

  onApplicationShutdown() {
    for (const client of this.wss.clients) client.close(CLOSE_CODES.going_away, 'shutdown');
    this.wss.close();
  }
}

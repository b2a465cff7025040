import { PlatformModule } from '@meshplane/platform';
import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { Authenticator } from './auth/authenticator.js';
import { BearerStrategy } from './auth/bearer.strategy.js';
import { TenantsAuthClient } from './auth/tenants-auth.client.js';
import { gatewayConfigSchema } from './config.js';
import { ConsoleMiddleware } from './console/console.middleware.js';
import { ClustersProxyMiddleware } from './edge/clusters-proxy.middleware.js';
import { TrustedProxies } from './edge/trusted-proxies.js';
import { GraphqlEdgeMiddleware } from './graphql/graphql-edge.middleware.js';
import { SupergraphRuntime } from './graphql/supergraph-runtime.js';
import { CookieSession } from './session/cookie-session.js';
import { SessionController } from './session/session.controller.js';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'gateway', configSchema: gatewayConfigSchema }),
    PassportModule.register({ session: false }),
  ],
  controllers: [SessionController],
  providers: [
    Authenticator,
    SupergraphRuntime,
    CookieSession,
    ConsoleMiddleware,
    BearerStrategy,
    TenantsAuthClient,
    GraphqlEdgeMiddleware,
    ClustersProxyMiddleware,
    TrustedProxies,
  ],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    // '{*path}' (unlike '*path') also matches `/`.
    consumer.apply(ConsoleMiddleware).forRoutes('{*path}');
    consumer.apply(GraphqlEdgeMiddleware).forRoutes('graphql');
    consumer.apply(ClustersProxyMiddleware).forRoutes('install/*path', 'agent/v1/*path');
  }
}

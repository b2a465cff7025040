import { PlatformModule } from '@meshplane/platform';
import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { Authenticator } from './auth/authenticator.js';
import { BearerStrategy } from './auth/bearer.strategy.js';
import { TenantsAuthClient } from './auth/tenants-auth.client.js';
import { gatewayConfigSchema } from './config.js';
import { ClustersProxyMiddleware } from './edge/clusters-proxy.middleware.js';
import { GraphqlEdgeMiddleware } from './graphql/graphql-edge.middleware.js';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'gateway', configSchema: gatewayConfigSchema }),
    PassportModule.register({ session: false }),
  ],
  providers: [
    Authenticator,
    BearerStrategy,
    TenantsAuthClient,
    GraphqlEdgeMiddleware,
    ClustersProxyMiddleware,
  ],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(GraphqlEdgeMiddleware).forRoutes('graphql');
    consumer.apply(ClustersProxyMiddleware).forRoutes('install/*path', 'agent/v1/*path');
  }
}

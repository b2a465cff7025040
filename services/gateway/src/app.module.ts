import { PlatformModule } from '@meshplane/platform';
import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { Authenticator } from './auth/authenticator.js';
import { BearerStrategy } from './auth/bearer.strategy.js';
import { gatewayConfigSchema } from './config.js';
import { GraphqlEdgeMiddleware } from './graphql/graphql-edge.middleware.js';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'gateway', configSchema: gatewayConfigSchema }),
    PassportModule.register({ session: false }),
  ],
  providers: [Authenticator, BearerStrategy, GraphqlEdgeMiddleware],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(GraphqlEdgeMiddleware).forRoutes('graphql');
  }
}

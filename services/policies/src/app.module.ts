import { PlatformModule } from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { policiesConfigSchema } from './config.js';
import { policiesEntities } from './entities.js';
import { TiersResolver } from './tiers/tiers.resolver.js';
import { TiersService } from './tiers/tiers.service.js';

@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'policies',
      configSchema: policiesConfigSchema,
      database: { schema: 'policies', entities: policiesEntities },
      graphql: true,
    }),
  ],
  providers: [TiersService, TiersResolver],
})
export class AppModule {}

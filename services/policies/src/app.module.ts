import { PlatformModule } from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { policiesConfigSchema } from './config.js';
import { policiesEntities } from './entities.js';
import { PoliciesResolver } from './policies/policies.resolver.js';
import { PoliciesService } from './policies/policies.service.js';
import { TiersResolver } from './tiers/tiers.resolver.js';
import { TiersService } from './tiers/tiers.service.js';
import { PolicyVersionsService } from './versions/policy-versions.service.js';

@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'policies',
      configSchema: policiesConfigSchema,
      database: { schema: 'policies', entities: policiesEntities },
      graphql: true,
    }),
  ],
  providers: [TiersService, TiersResolver, PoliciesService, PolicyVersionsService, PoliciesResolver],
})
export class AppModule {}

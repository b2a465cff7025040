import { PlatformModule } from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { AuthResolver } from './auth/auth.resolver.js';
import { AuthService } from './auth/auth.service.js';
import { tenantsConfigSchema } from './config.js';
import { tenantsEntities } from './entities.js';

@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'tenants',
      configSchema: tenantsConfigSchema,
      database: { schema: 'tenants', entities: tenantsEntities },
      graphql: true,
    }),
  ],
  providers: [AuthService, AuthResolver],
})
export class AppModule {}

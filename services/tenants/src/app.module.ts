import { QUEUES } from '@meshplane/events';
import { AUDIT_QUEUE_SPEC, AuditModule, handler, PlatformModule, queueWorkers } from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { ApiTokensResolver } from './api-tokens/api-tokens.resolver.js';
import { ApiTokensService } from './api-tokens/api-tokens.service.js';
import { AuditEventsResolver } from './audit/audit-events.resolver.js';
import { AuditEventsService } from './audit/audit-events.service.js';
import { AuthResolver } from './auth/auth.resolver.js';
import { AuthService } from './auth/auth.service.js';
import { RateLimiter } from './auth/rate-limiter.js';
import { tenantsConfigSchema } from './config.js';
import { TenantDeletionResolver } from './deletion/tenant-deletion.resolver.js';
import { TenantDeletionService } from './deletion/tenant-deletion.service.js';
import { tenantsEntities } from './entities.js';
import { AuthenticateController } from './internal/authenticate.controller.js';
import { CredentialVerifier } from './internal/credential-verifier.service.js';
import { MembersResolver } from './members/members.resolver.js';
import { MembersService } from './members/members.service.js';
import { EndedSessionsService } from './sessions/ended-sessions.service.js';

@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'tenants',
      configSchema: tenantsConfigSchema,
      database: { schema: 'tenants', entities: tenantsEntities },
      graphql: true,
    }),
    AuditModule,
  ],
  controllers: [AuthenticateController],
  providers: [
    AuthService,
    AuthResolver,
    RateLimiter,
    MembersService,
    MembersResolver,
    ApiTokensService,
    ApiTokensResolver,
    AuditEventsService,
    AuditEventsResolver,
    // Drains the audit queue every subgraph writes to into the append-only table.
    queueWorkers(
      'tenants',
      QUEUES,
      (events: AuditEventsService) => [handler(AUDIT_QUEUE_SPEC, (event) => events.store(event), 8)],
      [AuditEventsService],
    ),
    CredentialVerifier,
    EndedSessionsService,
    TenantDeletionService,
    TenantDeletionResolver,
  ],
})
export class AppModule {}

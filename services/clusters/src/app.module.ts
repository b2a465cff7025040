import { PlatformModule } from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { AgentApiController, InternalAgentController } from './agents/agent-api.controller.js';
import { AgentCredentialsService } from './agents/agent-credentials.service.js';
import { ClustersResolver } from './clusters/clusters.resolver.js';
import { ClustersService } from './clusters/clusters.service.js';
import { PresenceService } from './clusters/presence.service.js';
import { clustersConfigSchema } from './config.js';
import { clustersEntities } from './entities.js';
import { InstallController } from './install/install.controller.js';
import { CompileInputController } from './internal/compile-input.controller.js';
import { EndpointsByIpController } from './internal/endpoints-by-ip.controller.js';
import { InventoryResolver } from './inventory/inventory.resolver.js';
import { InventoryService } from './inventory/inventory.service.js';

@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'clusters',
      configSchema: clustersConfigSchema,
      database: { schema: 'clusters', entities: clustersEntities },
      graphql: true,
    }),
  ],
  controllers: [
    InstallController,
    AgentApiController,
    InternalAgentController,
    CompileInputController,
    EndpointsByIpController,
  ],
  providers: [
    ClustersService,
    ClustersResolver,
    PresenceService,
    AgentCredentialsService,
    InventoryService,
    InventoryResolver,
  ],
})
export class AppModule {}

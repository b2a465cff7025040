import { JsonScalar, PlatformModule } from '@meshplane/platform';
import { Module } from '@nestjs/common';
import { ClusterConfigController } from './bundles/cluster-config.controller.js';
import { ClusterConfigsService } from './bundles/cluster-configs.service.js';
import { CompileTrigger } from './bundles/compile-trigger.js';
import { ClusterConfigOwner } from './bundles/config.model.js';
import { ClusterConfigResolver, RolloutResolver } from './bundles/config.resolver.js';
import { RolloutsService } from './bundles/rollouts.service.js';
import { ChangeSetsResolver } from './change-sets/change-sets.resolver.js';
import { ChangeSetsService } from './change-sets/change-sets.service.js';
import { ClustersInventoryClient } from './clients/clusters-inventory.client.js';
import { policiesConfigSchema } from './config.js';
import { EncryptionResolver } from './encryption/encryption.resolver.js';
import { EncryptionService } from './encryption/encryption.service.js';
import { policiesEntities } from './entities.js';
import { FederatedServicesResolver } from './federated-services/federated-services.resolver.js';
import { FederatedServicesService } from './federated-services/federated-services.service.js';
import { InternalPolicySetController } from './internal-policy-set/internal-policy-set.controller.js';
import { InternalPolicySetService } from './internal-policy-set/internal-policy-set.service.js';
import { PoliciesResolver } from './policies/policies.resolver.js';
import { PoliciesService } from './policies/policies.service.js';
import { TiersResolver } from './tiers/tiers.resolver.js';
import { TiersService } from './tiers/tiers.service.js';
import { PolicyVersionsService } from './versions/policy-versions.service.js';
import { ZonesResolver } from './zones/zones.resolver.js';
import { ZonesService } from './zones/zones.service.js';

@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'policies',
      configSchema: policiesConfigSchema,
      database: { schema: 'policies', entities: policiesEntities },
      graphql: { orphanedTypes: [ClusterConfigOwner] },
    }),
  ],
  controllers: [ClusterConfigController, InternalPolicySetController],
  providers: [
    TiersService,
    TiersResolver,
    PoliciesService,
    PolicyVersionsService,
    PoliciesResolver,
    CompileTrigger,
    ClusterConfigsService,
    ClusterConfigResolver,
    RolloutsService,
    RolloutResolver,
    ClustersInventoryClient,
    ZonesService,
    ZonesResolver,
    EncryptionService,
    EncryptionResolver,
    FederatedServicesService,
    FederatedServicesResolver,
    InternalPolicySetService,
    JsonScalar,
    ChangeSetsService,
    ChangeSetsResolver,
  ],
})
export class AppModule {}

import { type AuthenticatedIdentity, CurrentIdentity } from '@meshplane/platform';
import { Query, Resolver } from '@nestjs/graphql';
import { FederatedService } from './federated-service.model.js';
import { FederatedServicesService } from './federated-services.service.js';

@Resolver(() => FederatedService)
export class FederatedServicesResolver {
  constructor(private readonly service: FederatedServicesService) {}

  @Query(() => [FederatedService], {
    nullable: true,
    description:
      'Every federated Service of the tenant (serviceSelector or MCS import), with its member Services and their endpoints per cluster.',
  })
  federatedServices(@CurrentIdentity() identity: AuthenticatedIdentity) {
    return this.service.list(identity.tenantId);
  }
}

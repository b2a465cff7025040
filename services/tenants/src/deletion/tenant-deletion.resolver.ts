import { type AuthenticatedIdentity, CurrentIdentity, RequireRole } from '@meshplane/platform';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { DeletedTenant, DeleteTenantInput } from './tenant-deletion.model.js';
import { TenantDeletionService } from './tenant-deletion.service.js';

@Resolver()
export class TenantDeletionResolver {
  constructor(private readonly deletion: TenantDeletionService) {}

  @RequireRole('owner')
  @Mutation(() => DeletedTenant, {
    nullable: true,
    description:
      "Delete the tenant (owners only): its members, sessions and API tokens stop working at once; every cluster's agent removes what Meshplane applied and stops; every row of the tenant in every service is removed within seconds, but the append-only audit log, which keeps the tenant's events up to and including this deletion.",
  })
  deleteTenant(@CurrentIdentity() identity: AuthenticatedIdentity, @Args('input') input: DeleteTenantInput) {
    return this.deletion.delete(identity, input.confirm);
  }
}

import { type AuthenticatedIdentity, CurrentIdentity, RequireRole } from '@meshplane/platform';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  ComplianceZone,
  ComplianceZoneChange,
  CreateComplianceZoneInput,
  UpdateComplianceZoneInput,
} from './zone.model.js';
import { ZonesService } from './zones.service.js';

@Resolver(() => ComplianceZone)
export class ZonesResolver {
  constructor(private readonly service: ZonesService) {}

  @Query(() => [ComplianceZone], { nullable: true, description: "The tenant's compliance zones, by name." })
  complianceZones(@CurrentIdentity() identity: AuthenticatedIdentity) {
    return this.service.list(identity.tenantId);
  }

  @Query(() => ComplianceZone, { nullable: true, description: 'One compliance zone of the tenant.' })
  complianceZone(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('id', { type: () => ID }) id: string,
  ) {
    return this.service.get(identity.tenantId, id);
  }

  @RequireRole('editor')
  @Mutation(() => ComplianceZoneChange, {
    nullable: true,
    description: 'Create a compliance zone (compiled into every affected cluster’s compliance tier).',
  })
  createComplianceZone(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('input') input: CreateComplianceZoneInput,
  ) {
    return this.service.create(identity.tenantId, input);
  }

  @RequireRole('editor')
  @Mutation(() => ComplianceZoneChange, {
    nullable: true,
    description: "Change a compliance zone's selector or isolation.",
  })
  updateComplianceZone(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateComplianceZoneInput,
  ) {
    return this.service.update(identity.tenantId, id, input);
  }

  @RequireRole('editor')
  @Mutation(() => ComplianceZoneChange, {
    nullable: true,
    description: 'Delete a compliance zone that no other zone allows.',
  })
  deleteComplianceZone(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('id', { type: () => ID }) id: string,
  ) {
    return this.service.delete(identity.tenantId, id);
  }
}

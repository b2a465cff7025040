import { type AuthenticatedIdentity, CurrentIdentity, RequireRole } from '@meshplane/platform';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  EncryptionChange,
  EncryptionSetting,
  EncryptionStatusModel,
  SetEncryptionInput,
} from './encryption.model.js';
import { EncryptionService } from './encryption.service.js';

@Resolver(() => EncryptionSetting)
export class EncryptionResolver {
  constructor(private readonly service: EncryptionService) {}

  @Query(() => [EncryptionSetting], {
    nullable: true,
    description: 'The mesh-wide WireGuard setting (first, clusterId null) and every per-cluster override.',
  })
  encryptionSettings(@CurrentIdentity() identity: AuthenticatedIdentity) {
    return this.service.list(identity.tenantId);
  }

  @Query(() => EncryptionStatusModel, {
    nullable: true,
    description:
      'For every pair of the tenant’s clusters, whether their traffic is WireGuard-encrypted and why not.',
  })
  encryptionStatus(@CurrentIdentity() identity: AuthenticatedIdentity) {
    return this.service.status(identity.tenantId);
  }

  @RequireRole('editor')
  @Mutation(() => EncryptionChange, {
    nullable: true,
    description:
      "Replace the WireGuard settings of the mesh or of one cluster (pushed as the clusters' FelixConfiguration 'default').",
  })
  setEncryption(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('input') input: SetEncryptionInput,
  ) {
    return this.service.set(identity.tenantId, input);
  }
}

import { type CompileInputKind, type TenantInventory, TenantInventorySchema } from '@meshplane/events';
import { CONFIG, IDENTITY_CODEC, type InternalIdentityCodec, postInternal } from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { PoliciesConfig } from '../config.js';

/**
 * Reads a tenant's clusters and their inventory from the clusters service (which owns them),
 * through its internal `compile-input` endpoint with this service's credential. Throws
 * `ServiceUnavailableError` when it cannot (the compile job is retried).
 */
@Injectable()
export class ClustersInventoryClient {
  constructor(
    @Inject(CONFIG) private readonly config: PoliciesConfig,
    @Inject(IDENTITY_CODEC) private readonly codec: InternalIdentityCodec,
  ) {}

  /** The tenant's live clusters and their inventory of the given kinds (all compile kinds by default). */
  async tenantInventory(tenantId: string, kinds?: readonly CompileInputKind[]): Promise<TenantInventory> {
    return (await postInternal(this.codec, {
      baseUrl: this.config.CLUSTERS_INTERNAL_URL,
      path: '/internal/v1/compile-input',
      body: { tenantId, ...(kinds ? { kinds } : {}) },
      schema: TenantInventorySchema,
      timeoutMs: 30_000,
    }))!;
  }
}

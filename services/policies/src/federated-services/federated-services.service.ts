import type { TenantInventory } from '@meshplane/events';
import { ServiceUnavailableError } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import { ClustersInventoryClient } from '../clients/clusters-inventory.client.js';
import { federatedServices } from './federated-endpoint-slices.js';
import { type FederatedService, FederationModeKind, LocalityKind } from './federated-service.model.js';
import { federatedServicesError } from './federated-services.errors.js';
import { federationInventory } from './federation-inventory.js';

@Injectable()
export class FederatedServicesService {
  constructor(private readonly clusters: ClustersInventoryClient) {}

  /** Every federated Service of the tenant, computed from the current inventory. */
  async list(tenantId: string): Promise<FederatedService[]> {
    let inventory: TenantInventory;
    try {
      inventory = await this.clusters.tenantInventory(tenantId);
    } catch (error) {
      if (error instanceof ServiceUnavailableError) throw federatedServicesError('CLUSTERS_UNAVAILABLE');
      throw error;
    }
    return federatedServices(inventory.clusters, federationInventory(inventory)).map((service) => ({
      clusterId: service.clusterId,
      namespace: service.namespace,
      name: service.name,
      mode: service.mode as FederationModeKind,
      selector: service.selector,
      selectorError: service.selectorError,
      failover: service.failover,
      members: service.members.map((member) => ({
        clusterId: member.clusterId,
        namespace: member.namespace,
        name: member.name,
        locality: member.locality === 'local' ? LocalityKind.Local : LocalityKind.Remote,
        addresses: [...member.addresses],
      })),
      endpointSlices: service.slices.map((slice) => slice.metadata.name),
      endpointCount: service.slices.reduce((sum, slice) => sum + slice.endpoints.length, 0),
    }));
  }
}

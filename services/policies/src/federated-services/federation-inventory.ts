import type { TenantInventory } from '@meshplane/events';
import type { EndpointSliceObject, ServiceExportObject, ServiceObject } from '@meshplane/protocol';
import type { FederationInventory, Located } from '../compiler/compiler.types.js';

/** The part of a tenant's inventory federated services are computed from (pure). */
export function federationInventory(inventory: TenantInventory): FederationInventory {
  const services: Located<ServiceObject>[] = [];
  const endpointSlices: Located<EndpointSliceObject>[] = [];
  const serviceExports: Located<ServiceExportObject>[] = [];
  for (const { clusterId, object } of inventory.objects) {
    if (object.kind === 'service') services.push({ clusterId, object });
    else if (object.kind === 'endpointslice') endpointSlices.push({ clusterId, object });
    else if (object.kind === 'serviceexport') serviceExports.push({ clusterId, object });
  }
  return { services, endpointSlices, serviceExports };
}

import { outboxEntity } from '@meshplane/platform';
import { AgentCredentialEntity } from './agents/agent-credential.entity.js';
import { ClusterEntity } from './clusters/cluster.entity.js';
import { InstallTokenEntity } from './install/install-token.entity.js';
import { InventoryObjectEntity } from './inventory/inventory-object.entity.js';

/** Every entity of the `clusters` schema (the data source and the migration drift check use it). */
export const clustersEntities = [
  ClusterEntity,
  InstallTokenEntity,
  AgentCredentialEntity,
  InventoryObjectEntity,
  outboxEntity('clusters'),
];

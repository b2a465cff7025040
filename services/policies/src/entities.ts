import { ClusterStateEntity } from './cluster-states/cluster-state.entity.js';
import { PolicyEntity } from './policies/policy.entity.js';
import { TierEntity } from './tiers/tier.entity.js';
import { PolicyVersionEntity } from './versions/policy-version.entity.js';

/** Every entity of the `policies` schema (the data source and the migration drift check use it). */
export const policiesEntities = [TierEntity, PolicyEntity, PolicyVersionEntity, ClusterStateEntity];

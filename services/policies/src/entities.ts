import { TierEntity } from './tiers/tier.entity.js';

/** Every entity of the `policies` schema (the data source and the migration drift check use it). */
export const policiesEntities = [TierEntity];

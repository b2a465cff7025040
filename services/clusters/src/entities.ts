import { ClusterEntity } from './clusters/cluster.entity.js';

/** Every entity of the `clusters` schema (the data source and the migration drift check use it). */
export const clustersEntities = [ClusterEntity];

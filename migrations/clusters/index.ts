import { CreateClusters1795620462565 } from './1795620462565-CreateClusters.js';
import { AgentsAndInventory1795622090941 } from './1795622090941-AgentsAndInventory.js';

/** The clusters schema's migrations, oldest first. */
export const clustersMigrations = [CreateClusters1795620462565, AgentsAndInventory1795622090941];

import { CreateClusters1795620462565 } from './1795620462565-CreateClusters.js';

/** The clusters schema's migrations, oldest first. */
export const clustersMigrations = [CreateClusters1795620462565];

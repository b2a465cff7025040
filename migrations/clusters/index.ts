import { CreateClusters1795620462565 } from './1795620462565-CreateClusters.js';
import { AgentsAndInventory1795622090941 } from './1795622090941-AgentsAndInventory.js';
import { PodAddressIndex1795642000000 } from './1795642000000-PodAddressIndex.js';
import { CalicoReport1795650000000 } from './1795650000000-CalicoReport.js';
import { Outbox1796417911470 } from './1796417911470-Outbox.js';

/** The clusters schema's migrations, oldest first. */
export const clustersMigrations = [
  CreateClusters1795620462565,
  AgentsAndInventory1795622090941,
  PodAddressIndex1795642000000,
  CalicoReport1795650000000,
  Outbox1796417911470,
];

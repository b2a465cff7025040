import { baseConfigShape, portVariable, servicePorts } from '@meshplane/platform';
import { z } from 'zod';

export const clustersConfigSchema = z.object({
  ...baseConfigShape,
  CLUSTERS_PORT: portVariable(servicePorts.clusters),
});

export type ClustersConfig = z.infer<typeof clustersConfigSchema>;

import { baseConfigShape, portVariable, servicePorts } from '@meshplane/platform';
import { z } from 'zod';

export const policiesConfigSchema = z.object({
  ...baseConfigShape,
  POLICIES_PORT: portVariable(servicePorts.policies),
});

export type PoliciesConfig = z.infer<typeof policiesConfigSchema>;

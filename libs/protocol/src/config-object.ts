import { z } from 'zod';
import { AnnotationsSchema, LabelsSchema, NamespaceName, ObjectName, Token } from './common.schemas.js';

/**
 * A Kubernetes manifest in a config bundle (Calico policies, tiers, network sets,
 * EndpointSlices, FelixConfiguration, ...). Only the identity is checked here; the rest (`spec`,
 * or top-level fields such as an EndpointSlice's `endpoints`) passes through untouched for the
 * agent to server-side apply. Every object the hub pushes carries Meshplane's managed-by label,
 * which is what the agent's prune step looks for.
 */
export const ConfigObjectSchema = z.looseObject({
  apiVersion: Token,
  kind: Token,
  metadata: z.looseObject({
    name: ObjectName,
    namespace: NamespaceName.optional(),
    labels: LabelsSchema.optional(),
    annotations: AnnotationsSchema.optional(),
  }),
});

/** Names an object to delete in a diff bundle. */
export const ConfigObjectRefSchema = z.object({
  apiVersion: Token,
  kind: Token,
  namespace: NamespaceName.optional(),
  name: ObjectName,
});

export type ConfigObject = z.infer<typeof ConfigObjectSchema>;
export type ConfigObjectRef = z.infer<typeof ConfigObjectRefSchema>;

/** Identity of a config object: `apiVersion/kind/namespace/name`, empty namespace when global. */
export function configObjectKey(object: ConfigObject | ConfigObjectRef): string {
  const { apiVersion, kind } = object;
  const namespace = 'metadata' in object ? object.metadata.namespace : object.namespace;
  const name = 'metadata' in object ? object.metadata.name : object.name;
  return `${apiVersion}/${kind}/${namespace ?? ''}/${name}`;
}

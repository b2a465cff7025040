import { ConfigPushMessageSchema, InventoryObjectSchema } from '@meshplane/protocol';
import { z } from 'zod';

/**
 * Bodies of the small internal HTTP endpoints one service calls on another (service credential
 * required). Both ends import the same schema, so a response is checked where it is read.
 */

/** A registered cluster as the policy compiler sees it. */
export const CompileClusterSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  labels: z.record(z.string(), z.string()),
});

/**
 * clusters → policies, `POST /internal/v1/compile-input {tenantId}`: every cluster of the tenant
 * (revoked ones excluded) and the inventory the compiler needs from them (pods, services,
 * EndpointSlices, nodes, ServiceExports).
 */
export const TenantInventorySchema = z.object({
  clusters: z.array(CompileClusterSchema),
  objects: z.array(z.object({ clusterId: z.uuid(), object: InventoryObjectSchema })),
});

export const COMPILE_INPUT_KINDS = ['pod', 'service', 'endpointslice', 'node', 'serviceexport'] as const;

export type CompileCluster = z.infer<typeof CompileClusterSchema>;
export type TenantInventory = z.infer<typeof TenantInventorySchema>;

/**
 * agent-hub → policies, `POST /internal/v1/cluster-config`: the cluster's desired config version
 * and, when the agent's applied version is older, the push that brings it there (a diff against
 * `appliedVersion` when that version is still stored and `full` is not asked for, else the whole
 * bundle).
 */
export const ClusterConfigRequestSchema = z.object({
  tenantId: z.uuid(),
  clusterId: z.uuid(),
  appliedVersion: z.number().int().min(0),
  full: z.boolean().default(false),
});

export const ClusterConfigResponseSchema = z.object({
  desiredVersion: z.number().int().min(0),
  push: ConfigPushMessageSchema.optional(),
});

/** Most lookups one `cluster-configs` call carries. */
export const MAX_CLUSTER_CONFIG_BATCH = 500;

/** `POST /internal/v1/cluster-configs`: many lookups at once, answered in the same order. */
export const ClusterConfigBatchRequestSchema = z.object({
  requests: z.array(ClusterConfigRequestSchema).min(1).max(MAX_CLUSTER_CONFIG_BATCH),
});

export const ClusterConfigBatchResponseSchema = z.object({
  answers: z.array(ClusterConfigResponseSchema),
});

export type ClusterConfigRequest = z.input<typeof ClusterConfigRequestSchema>;
export type ClusterConfigResponse = z.infer<typeof ClusterConfigResponseSchema>;

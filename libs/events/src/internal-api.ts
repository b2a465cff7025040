import { ConfigPushMessageSchema, InventoryObjectSchema, IpAddressSchema } from '@meshplane/protocol';
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
 * (revoked ones excluded) and the inventory the compiler needs from them (pods, namespaces,
 * services, EndpointSlices, nodes, ServiceExports).
 */
export const TenantInventorySchema = z.object({
  clusters: z.array(CompileClusterSchema),
  objects: z.array(z.object({ clusterId: z.uuid(), object: InventoryObjectSchema })),
});

export const COMPILE_INPUT_KINDS = [
  'pod',
  'namespace',
  'service',
  'endpointslice',
  'node',
  'serviceexport',
] as const;

export type CompileInputKind = (typeof COMPILE_INPUT_KINDS)[number];

/** The request body: the tenant, and which inventory kinds to include (all by default, `[]` for none). */
export const CompileInputRequestSchema = z.object({
  tenantId: z.uuid(),
  kinds: z.array(z.enum(COMPILE_INPUT_KINDS)).max(COMPILE_INPUT_KINDS.length).optional(),
});

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

/** telemetry → policies, `POST /internal/v1/policy-set {tenantId}`. */
export const PolicySetRequestSchema = z.object({ tenantId: z.uuid() });

/** A tier as the evaluator takes it (`order` null = last). */
export const PolicySetTierSchema = z.object({
  name: z.string(),
  order: z.number().nullable(),
  defaultAction: z.enum(['Deny', 'Pass']),
});

/**
 * A policy in Calico's `projectcalico.org/v3` shape plus Meshplane's `clusterSelector` and
 * `staged` (the spec is checked by `libs/policy` where it is evaluated). `id` is the tenant
 * policy's id; null for the policies Meshplane generates (the compliance tier's), which
 * `generated` marks. A tenant policy's `metadata.name` is its name (the API's, no tier prefix); a
 * generated one's is unique per cluster, and flows and traces call it `isolation`.
 */
export const PolicySetPolicySchema = z.object({
  id: z.uuid().nullable(),
  generated: z.boolean(),
  kind: z.enum(['NetworkPolicy', 'GlobalNetworkPolicy']),
  metadata: z.object({ name: z.string(), namespace: z.string().optional() }),
  spec: z.record(z.string(), z.unknown()),
});

/** A compliance zone with its members and the cluster pairs it forbids, by cluster name. */
export const PolicySetZoneSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  clusterSelector: z.string(),
  allowedZones: z.array(z.string()),
  /** Names of the clusters the zone's selector picks. */
  members: z.array(z.string()),
  /** Unordered pairs of cluster names (first < second) that must never exchange traffic. */
  forbidden: z.array(z.tuple([z.string(), z.string()])),
});

/**
 * The answer: everything that decides a verdict in the tenant's clusters, as one policy set for
 * `libs/policy`'s evaluator — the tenant's tiers (Calico's `default` included) and policies, plus
 * Meshplane's compliance tier and one generated policy per cluster with forbidden peers (its
 * `clusterSelector` names the cluster) — and the clusters and compliance zones.
 */
/** A namespace of a cluster with its labels, as the cluster's inventory holds it. */
export const PolicySetNamespaceSchema = z.object({
  /** The cluster's name. */
  cluster: z.string(),
  name: z.string(),
  labels: z.record(z.string(), z.string()),
});

export const PolicySetSchema = z.object({
  tiers: z.array(PolicySetTierSchema),
  policies: z.array(PolicySetPolicySchema),
  clusters: z.array(CompileClusterSchema),
  zones: z.array(PolicySetZoneSchema),
  /**
   * Every namespace of the live clusters: policy-level and rule namespaceSelectors match their
   * labels, and whether a cluster has a namespace decides how it sees the pods of others there.
   */
  namespaces: z.array(PolicySetNamespaceSchema),
});

export type PolicySet = z.infer<typeof PolicySetSchema>;
export type PolicySetPolicy = z.infer<typeof PolicySetPolicySchema>;
export type PolicySetZone = z.infer<typeof PolicySetZoneSchema>;
export type PolicySetNamespace = z.infer<typeof PolicySetNamespaceSchema>;

/** Most addresses one `endpoints-by-ip` call looks up. */
export const MAX_ENDPOINT_IP_LOOKUP = 1_000;

/**
 * telemetry worker → clusters, `POST /internal/v1/endpoints-by-ip`: which pods of the tenant's
 * live clusters hold these addresses, so a flow peer that reached a cluster as a bare IP (no
 * Meshplane network set names it) is resolved to its cluster's workload.
 */
export const EndpointsByIpRequestSchema = z.object({
  tenantId: z.uuid(),
  ips: z.array(IpAddressSchema).min(1).max(MAX_ENDPOINT_IP_LOOKUP),
});

/** A pod holding one of the addresses asked for. Clusters may reuse pod CIDRs: an IP can match several. */
export const EndpointByIpSchema = z.object({
  ip: z.string(),
  clusterId: z.uuid(),
  clusterName: z.string(),
  namespace: z.string(),
  /** The pod's name. */
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  serviceAccount: z.string().optional(),
});

export const EndpointsByIpResponseSchema = z.object({ endpoints: z.array(EndpointByIpSchema) });

export type EndpointByIp = z.infer<typeof EndpointByIpSchema>;

import { z } from 'zod';
import {
  AnnotationsSchema,
  IpAddressSchema,
  L4ProtocolSchema,
  LabelsSchema,
  NamespaceName,
  NodeNameOrEmpty,
  ObjectName,
  PortNumber,
  Token,
} from './common.schemas.js';
import {
  MAX_ADDRESSES_PER_ENDPOINT,
  MAX_ENDPOINTS_PER_SLICE,
  MAX_IPS_PER_OBJECT,
  MAX_NAME_LENGTH,
  MAX_PORTS_PER_OBJECT,
} from './protocol.limits.js';

/**
 * The cluster objects an agent reports, reduced to what Meshplane uses. Each carries `kind`
 * (lower case, one word) so a list of them is a discriminated union. Cluster-scoped kinds
 * (namespace, node, hostendpoint) have no `namespace` field.
 */

/** Calico's node annotation holding the node's WireGuard public key. */
export const WIREGUARD_PUBLIC_KEY_ANNOTATION = 'projectcalico.org/WireguardPublicKey';

const IpList = z.array(IpAddressSchema).max(MAX_IPS_PER_OBJECT);

export const NamespaceObjectSchema = z.object({
  kind: z.literal('namespace'),
  name: NamespaceName,
  labels: LabelsSchema,
});

export const PodObjectSchema = z.object({
  kind: z.literal('pod'),
  namespace: NamespaceName,
  name: ObjectName,
  uid: Token.optional(),
  labels: LabelsSchema,
  /** `status.podIPs`; empty until the pod has an address. */
  ips: IpList,
  /** `spec.nodeName`; empty while the pod is unscheduled. */
  nodeName: NodeNameOrEmpty,
  serviceAccount: ObjectName,
  /** The pod's `Ready` condition. */
  ready: z.boolean(),
  phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']),
  /** The controlling owner (e.g. ReplicaSet), for naming workloads. */
  ownerKind: Token.optional(),
  ownerName: ObjectName.optional(),
});

export const ServicePortSchema = z.object({
  name: z.string().max(63).optional(),
  port: PortNumber,
  /** A number or a named container port. */
  targetPort: z.union([PortNumber, z.string().min(1).max(63)]).optional(),
  protocol: L4ProtocolSchema,
});

export const ServiceObjectSchema = z.object({
  kind: z.literal('service'),
  namespace: NamespaceName,
  name: ObjectName,
  labels: LabelsSchema,
  /** Only the annotations Meshplane reads, e.g. `federation.meshplane.io/serviceSelector`. */
  annotations: AnnotationsSchema,
  /** `spec.selector`; `null` for a Service without a selector (e.g. a federated one). */
  selector: LabelsSchema.nullable(),
  ports: z.array(ServicePortSchema).max(MAX_PORTS_PER_OBJECT),
  /** `spec.clusterIPs`; `["None"]` for a headless Service, empty for ExternalName. */
  clusterIPs: z.array(z.union([IpAddressSchema, z.literal('None')])).max(2),
  type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']),
});

export const ObjectReferenceSchema = z.object({
  kind: Token,
  namespace: NamespaceName.optional(),
  name: ObjectName,
  uid: Token.optional(),
});

export const EndpointSchema = z.object({
  /** IPs for IPv4/IPv6 slices, host names for FQDN slices. */
  addresses: z.array(z.string().min(1).max(MAX_NAME_LENGTH)).min(1).max(MAX_ADDRESSES_PER_ENDPOINT),
  /** `conditions.ready`; an absent condition is reported as ready, as Kubernetes reads it. */
  ready: z.boolean(),
  nodeName: ObjectName.optional(),
  targetRef: ObjectReferenceSchema.optional(),
});

export const EndpointPortSchema = z.object({
  name: z.string().max(63).optional(),
  /** Absent means "all ports" in Kubernetes. */
  port: PortNumber.optional(),
  protocol: L4ProtocolSchema,
  appProtocol: Token.optional(),
});

export const EndpointSliceObjectSchema = z.object({
  kind: z.literal('endpointslice'),
  namespace: NamespaceName,
  name: ObjectName,
  /** The `kubernetes.io/service-name` label; empty when the slice belongs to no Service. */
  service: z.string().max(MAX_NAME_LENGTH),
  addressType: z.enum(['IPv4', 'IPv6', 'FQDN']),
  endpoints: z.array(EndpointSchema).max(MAX_ENDPOINTS_PER_SLICE),
  ports: z.array(EndpointPortSchema).max(MAX_PORTS_PER_OBJECT),
});

export const NodeObjectSchema = z.object({
  kind: z.literal('node'),
  name: ObjectName,
  labels: LabelsSchema,
  /** Includes `projectcalico.org/WireguardPublicKey` when WireGuard is on. */
  annotations: AnnotationsSchema,
  /** The node's `InternalIP` addresses. */
  internalIPs: IpList,
});

export const ServiceAccountObjectSchema = z.object({
  kind: z.literal('serviceaccount'),
  namespace: NamespaceName,
  name: ObjectName,
  labels: LabelsSchema,
});

/** A Calico `HostEndpoint` (`projectcalico.org/v3`). */
export const HostEndpointObjectSchema = z.object({
  kind: z.literal('hostendpoint'),
  name: ObjectName,
  labels: LabelsSchema,
  node: ObjectName,
  expectedIPs: IpList,
  interfaceName: z.string().min(1).max(MAX_NAME_LENGTH).optional(),
});

/** An MCS `ServiceExport` (`multicluster.x-k8s.io/v1alpha1`). */
export const ServiceExportObjectSchema = z.object({
  kind: z.literal('serviceexport'),
  namespace: NamespaceName,
  name: ObjectName,
});

export const InventoryObjectSchema = z.discriminatedUnion('kind', [
  NamespaceObjectSchema,
  PodObjectSchema,
  ServiceObjectSchema,
  EndpointSliceObjectSchema,
  NodeObjectSchema,
  ServiceAccountObjectSchema,
  HostEndpointObjectSchema,
  ServiceExportObjectSchema,
]);

export type NamespaceObject = z.infer<typeof NamespaceObjectSchema>;
export type PodObject = z.infer<typeof PodObjectSchema>;
export type ServicePort = z.infer<typeof ServicePortSchema>;
export type ServiceObject = z.infer<typeof ServiceObjectSchema>;
export type ObjectReference = z.infer<typeof ObjectReferenceSchema>;
export type Endpoint = z.infer<typeof EndpointSchema>;
export type EndpointPort = z.infer<typeof EndpointPortSchema>;
export type EndpointSliceObject = z.infer<typeof EndpointSliceObjectSchema>;
export type NodeObject = z.infer<typeof NodeObjectSchema>;
export type ServiceAccountObject = z.infer<typeof ServiceAccountObjectSchema>;
export type HostEndpointObject = z.infer<typeof HostEndpointObjectSchema>;
export type ServiceExportObject = z.infer<typeof ServiceExportObjectSchema>;
export type InventoryObject = z.infer<typeof InventoryObjectSchema>;
export type InventoryKind = InventoryObject['kind'];

export const INVENTORY_KINDS = [
  'namespace',
  'pod',
  'service',
  'endpointslice',
  'node',
  'serviceaccount',
  'hostendpoint',
  'serviceexport',
] as const satisfies readonly InventoryKind[];

const CLUSTER_SCOPED_KINDS: ReadonlySet<InventoryKind> = new Set(['namespace', 'node', 'hostendpoint']);

export function isClusterScoped(kind: InventoryKind): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/**
 * Enough of an inventory object to name it: what a delete carries. A whole object is accepted
 * too (its other fields are dropped). Namespaced kinds must carry a namespace, others must not.
 */
export const InventoryRefSchema = z
  .object({
    kind: z.enum(INVENTORY_KINDS),
    namespace: NamespaceName.optional(),
    name: ObjectName,
  })
  .refine((ref) => isClusterScoped(ref.kind) === (ref.namespace === undefined), {
    error: 'expected a namespace exactly for namespaced kinds',
    path: ['namespace'],
  });
export type InventoryRef = z.infer<typeof InventoryRefSchema>;

/**
 * The stable identity of an inventory object within a cluster: `kind/namespace/name`, with an
 * empty namespace for cluster-scoped kinds (`node//worker-1`). Names cannot contain `/`, so the
 * key is unambiguous.
 */
export function inventoryKey(object: InventoryRef | InventoryObject): string {
  const namespace = 'namespace' in object && object.namespace !== undefined ? object.namespace : '';
  return `${object.kind}/${namespace}/${object.name}`;
}

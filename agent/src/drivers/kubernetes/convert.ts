import type {
  V1EndpointSlice,
  V1Namespace,
  V1Node,
  V1Pod,
  V1Service,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import {
  type Annotations,
  type EndpointSliceObject,
  type HostEndpointObject,
  isQualifiedKey,
  type L4Protocol,
  type Labels,
  MAX_ANNOTATION_VALUE_LENGTH,
  MAX_ANNOTATIONS_PER_OBJECT,
  MAX_ENDPOINTS_PER_SLICE,
  MAX_IPS_PER_OBJECT,
  MAX_PORTS_PER_OBJECT,
  type NamespaceObject,
  type NodeObject,
  type PodObject,
  type ServiceAccountObject,
  type ServiceExportObject,
  type ServiceObject,
} from '@meshplane/protocol';

/**
 * Pure conversions from Kubernetes objects (as `@kubernetes/client-node` delivers them) to the
 * protocol's inventory objects. Annotations are reduced to what can travel: the huge
 * `kubectl.kubernetes.io/last-applied-configuration` and any value over the protocol's limit
 * are dropped, and at most `MAX_ANNOTATIONS_PER_OBJECT` are kept.
 */

/** The subset of a custom resource the converters read. */
export interface CustomObject {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

const DROPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const POD_PHASES = new Set(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']);
const SERVICE_TYPES = new Set(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);
const ADDRESS_TYPES = new Set(['IPv4', 'IPv6', 'FQDN']);

export function labelsOf(labels: Record<string, string> | undefined): Labels {
  return { ...(labels ?? {}) };
}

export function annotationsOf(annotations: Record<string, string> | undefined): Annotations {
  const kept: Annotations = {};
  let count = 0;
  for (const [key, value] of Object.entries(annotations ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (count === MAX_ANNOTATIONS_PER_OBJECT) break;
    if (DROPPED_ANNOTATIONS.has(key) || value.length > MAX_ANNOTATION_VALUE_LENGTH || !isQualifiedKey(key))
      continue;
    kept[key] = value;
    count += 1;
  }
  return kept;
}

function l4Protocol(protocol: string | undefined): L4Protocol {
  return protocol === 'UDP' || protocol === 'SCTP' ? protocol : 'TCP';
}

export function namespaceToInventory(namespace: V1Namespace): NamespaceObject {
  return {
    kind: 'namespace',
    name: namespace.metadata?.name ?? '',
    labels: labelsOf(namespace.metadata?.labels),
  };
}

export function podToInventory(pod: V1Pod): PodObject {
  const metadata = pod.metadata ?? {};
  const ready = pod.status?.conditions?.find((condition) => condition.type === 'Ready')?.status === 'True';
  const ips = (pod.status?.podIPs ?? []).map((entry) => entry.ip).filter((ip): ip is string => Boolean(ip));
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  const phase = pod.status?.phase;
  const object: PodObject = {
    kind: 'pod',
    namespace: metadata.namespace ?? 'default',
    name: metadata.name ?? '',
    labels: labelsOf(metadata.labels),
    ips: ips.slice(0, MAX_IPS_PER_OBJECT),
    nodeName: pod.spec?.nodeName ?? '',
    serviceAccount: pod.spec?.serviceAccountName || 'default',
    ready,
    phase: phase !== undefined && POD_PHASES.has(phase) ? (phase as PodObject['phase']) : 'Unknown',
  };
  if (metadata.uid) object.uid = metadata.uid;
  const owner =
    metadata.ownerReferences?.find((reference) => reference.controller) ?? metadata.ownerReferences?.[0];
  if (owner) {
    object.ownerKind = owner.kind;
    object.ownerName = owner.name;
  }
  return object;
}

export function serviceToInventory(service: V1Service): ServiceObject {
  const metadata = service.metadata ?? {};
  const spec = service.spec ?? {};
  const selector = spec.selector && Object.keys(spec.selector).length > 0 ? labelsOf(spec.selector) : null;
  const type = spec.type !== undefined && SERVICE_TYPES.has(spec.type) ? spec.type : 'ClusterIP';
  const clusterIPs = spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []);
  return {
    kind: 'service',
    namespace: metadata.namespace ?? 'default',
    name: metadata.name ?? '',
    labels: labelsOf(metadata.labels),
    annotations: annotationsOf(metadata.annotations),
    selector,
    ports: (spec.ports ?? []).slice(0, MAX_PORTS_PER_OBJECT).map((port) => {
      const converted: ServiceObject['ports'][number] = {
        port: port.port,
        protocol: l4Protocol(port.protocol),
      };
      if (port.name) converted.name = port.name;
      if (port.targetPort !== undefined && port.targetPort !== '') converted.targetPort = port.targetPort;
      return converted;
    }),
    clusterIPs: clusterIPs.slice(0, 2),
    type: type as ServiceObject['type'],
  };
}

export function endpointSliceToInventory(slice: V1EndpointSlice): EndpointSliceObject {
  const metadata = slice.metadata ?? {};
  return {
    kind: 'endpointslice',
    namespace: metadata.namespace ?? 'default',
    name: metadata.name ?? '',
    service: metadata.labels?.['kubernetes.io/service-name'] ?? '',
    addressType: ADDRESS_TYPES.has(slice.addressType)
      ? (slice.addressType as EndpointSliceObject['addressType'])
      : 'IPv4',
    endpoints: (slice.endpoints ?? [])
      .filter((endpoint) => endpoint.addresses.length > 0)
      .slice(0, MAX_ENDPOINTS_PER_SLICE)
      .map((endpoint) => {
        const converted: EndpointSliceObject['endpoints'][number] = {
          addresses: endpoint.addresses,
          // Kubernetes reads an absent ready condition as ready.
          ready: endpoint.conditions?.ready !== false,
        };
        if (endpoint.nodeName) converted.nodeName = endpoint.nodeName;
        const target = endpoint.targetRef;
        if (target?.kind && target.name) {
          converted.targetRef = { kind: target.kind, name: target.name };
          if (target.namespace) converted.targetRef.namespace = target.namespace;
          if (target.uid) converted.targetRef.uid = target.uid;
        }
        return converted;
      }),
    ports: (slice.ports ?? []).slice(0, MAX_PORTS_PER_OBJECT).map((port) => {
      const converted: EndpointSliceObject['ports'][number] = { protocol: l4Protocol(port.protocol) };
      if (port.name) converted.name = port.name;
      if (port.port !== undefined && port.port !== null) converted.port = port.port;
      if (port.appProtocol) converted.appProtocol = port.appProtocol;
      return converted;
    }),
  };
}

export function nodeToInventory(node: V1Node): NodeObject {
  const metadata = node.metadata ?? {};
  const internalIPs = (node.status?.addresses ?? [])
    .filter((address) => address.type === 'InternalIP')
    .map((address) => address.address);
  return {
    kind: 'node',
    name: metadata.name ?? '',
    labels: labelsOf(metadata.labels),
    annotations: annotationsOf(metadata.annotations),
    internalIPs: internalIPs.slice(0, MAX_IPS_PER_OBJECT),
  };
}

export function serviceAccountToInventory(account: V1ServiceAccount): ServiceAccountObject {
  return {
    kind: 'serviceaccount',
    namespace: account.metadata?.namespace ?? 'default',
    name: account.metadata?.name ?? '',
    labels: labelsOf(account.metadata?.labels),
  };
}

/** A Calico `HostEndpoint` (`projectcalico.org/v3`): `spec.node`, `spec.expectedIPs`, `spec.interfaceName`. */
export function hostEndpointToInventory(hostEndpoint: CustomObject): HostEndpointObject {
  const spec = hostEndpoint.spec ?? {};
  const expectedIPs = Array.isArray(spec.expectedIPs)
    ? spec.expectedIPs.filter((ip): ip is string => typeof ip === 'string')
    : [];
  const object: HostEndpointObject = {
    kind: 'hostendpoint',
    name: hostEndpoint.metadata?.name ?? '',
    labels: labelsOf(hostEndpoint.metadata?.labels),
    node: typeof spec.node === 'string' ? spec.node : '',
    expectedIPs: expectedIPs.slice(0, MAX_IPS_PER_OBJECT),
  };
  // `*` means every interface of the node, which the protocol expresses by leaving it out.
  if (typeof spec.interfaceName === 'string' && spec.interfaceName && spec.interfaceName !== '*') {
    object.interfaceName = spec.interfaceName;
  }
  return object;
}

export function serviceExportToInventory(serviceExport: CustomObject): ServiceExportObject {
  return {
    kind: 'serviceexport',
    namespace: serviceExport.metadata?.namespace ?? 'default',
    name: serviceExport.metadata?.name ?? '',
  };
}

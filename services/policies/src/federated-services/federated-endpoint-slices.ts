import {
  CLUSTER_LABEL,
  compileSelector,
  type LabelMatcher,
  type Labels,
  tryParseSelector,
} from '@meshplane/policy';
import type { EndpointSliceObject, ServiceObject } from '@meshplane/protocol';
import {
  DISCOVERY_API_VERSION,
  type KubeEndpoint,
  type KubeEndpointPort,
  type KubeEndpointSlice,
  MANAGED_LABELS,
} from '../compiler/calico-objects.js';
import { sha256Hex } from '../compiler/canonical-json.js';
import type { CompilerCluster, FederationInventory, Located } from '../compiler/compiler.types.js';

/**
 * Federated services, computed from the tenant's inventory (pure: no I/O, deterministic).
 *
 * Two ways a Service (the *consumer*) gets endpoints from other Services (its *members*):
 *
 * - **Service selector.** A Service with no `spec.selector` and the annotation
 *   `federation.meshplane.io/serviceSelector: <Calico selector>` gets the endpoints of every
 *   Service of the same namespace, in every cluster of the tenant (its own included), whose
 *   labels (plus `meshplane.io/cluster: <cluster name>`) match the selector.
 * - **MCS ServiceExport.** A Service `ns/name` exported (an MCS `ServiceExport` of the same
 *   namespace and name in its cluster) is imported by every *other* cluster that has a Service
 *   `ns/name` with no `spec.selector` and no serviceSelector annotation: that placeholder Service
 *   gets the endpoints of every exported `ns/name` of the other clusters. (Meshplane does not
 *   create the placeholder Service: the cluster owner declares the import by creating it, as with
 *   MCS's derived Services; a Service that has a selector keeps its own endpoints only.)
 *
 * Members are never consumers themselves (so endpoints are never copied twice or in a loop).
 * Endpoints are taken from the members' EndpointSlices: ready endpoints only, IPv4/IPv6 slices only
 * (pod IPs; FQDN slices are skipped), and only for the consumer's ports: a consumer port matches a
 * member slice port with the same name and protocol, and the slice's port number (the pods' target
 * port) is kept.
 *
 * **Locality.** By default local and remote endpoints are all ready and load-balanced together.
 * With the annotation `federation.meshplane.io/failover: "true"` on the consumer, remote endpoints
 * serve only as failover: they are written in their own slices (label
 * `federation.meshplane.io/locality: remote`) with `conditions: { ready: false, serving: true,
 * terminating: true }`. kube-proxy (and Calico's eBPF data plane, which follows it) sends traffic
 * only to ready endpoints while there are any, and falls back to serving-terminating endpoints
 * when none is ready (KEP-1669, on by default since Kubernetes 1.26) — so remote endpoints take
 * traffic exactly when no local endpoint is ready. Local endpoints are always ready.
 *
 * The slices are labelled `kubernetes.io/service-name: <consumer>`,
 * `endpointslice.kubernetes.io/managed-by: meshplane.io` (so Kubernetes' EndpointSlice controller
 * leaves them alone) and Meshplane's managed-by labels (so the agent prunes them when they go).
 */

export const SERVICE_SELECTOR_ANNOTATION = 'federation.meshplane.io/serviceSelector';
export const FAILOVER_ANNOTATION = 'federation.meshplane.io/failover';
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const ENDPOINTSLICE_MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const ENDPOINTSLICE_MANAGED_BY_VALUE = 'meshplane.io';
export const LOCALITY_LABEL = 'federation.meshplane.io/locality';
/** Endpoints per slice written (Kubernetes' own controller's default). */
export const MAX_ENDPOINTS_PER_SLICE = 100;

export type FederationMode = 'ServiceSelector' | 'ServiceExport';
export type Locality = 'local' | 'remote';

export interface ServiceRef {
  readonly clusterId: string;
  readonly namespace: string;
  readonly name: string;
}

/** A member Service and the ready endpoints it contributes. */
export interface FederatedMember extends ServiceRef {
  readonly locality: Locality;
  /** Ready endpoint addresses (pod IPs) whose slices have at least one matching port, sorted. */
  readonly addresses: readonly string[];
}

export interface FederatedService extends ServiceRef {
  readonly mode: FederationMode;
  /** The serviceSelector annotation (ServiceSelector mode), else null. */
  readonly selector: string | null;
  /** Why the selector is not used (it does not parse); null when fine. */
  readonly selectorError: string | null;
  readonly failover: boolean;
  readonly members: readonly FederatedMember[];
  /** The EndpointSlices written into the consumer's cluster. */
  readonly slices: readonly KubeEndpointSlice[];
}

interface Consumer {
  readonly located: Located<ServiceObject>;
  readonly mode: FederationMode;
  readonly selector: string | null;
  readonly selectorError: string | null;
  readonly matcher: LabelMatcher | null;
  readonly failover: boolean;
}

const refKey = (clusterId: string, namespace: string, name: string) => `${clusterId}/${namespace}/${name}`;

/** Every federated service (consumer) of the tenant, its members and its slices. */
export function federatedServices(
  clusters: readonly CompilerCluster[],
  inventory: FederationInventory,
): FederatedService[] {
  const clusterNames = new Map(clusters.map((cluster) => [cluster.id, cluster.name]));
  const live = <T>(items: readonly Located<T>[]) => items.filter((item) => clusterNames.has(item.clusterId));
  const services = live(inventory.services);
  const exported = new Set(
    live(inventory.serviceExports).map(({ clusterId, object: o }) => refKey(clusterId, o.namespace, o.name)),
  );
  const slicesOf = new Map<string, EndpointSliceObject[]>();
  for (const { clusterId, object } of live(inventory.endpointSlices)) {
    if (object.service === '') continue;
    const key = refKey(clusterId, object.namespace, object.service);
    slicesOf.set(key, [...(slicesOf.get(key) ?? []), object]);
  }
  const exportedServices = services.filter(({ clusterId, object: o }) =>
    exported.has(refKey(clusterId, o.namespace, o.name)),
  );

  const consumers = new Map<string, Consumer>();
  for (const located of services) {
    const { clusterId, object } = located;
    if (object.selector !== null) continue;
    const key = refKey(clusterId, object.namespace, object.name);
    const selectorText = object.annotations[SERVICE_SELECTOR_ANNOTATION];
    const failover = object.annotations[FAILOVER_ANNOTATION] === 'true';
    if (selectorText !== undefined) {
      const parsed = tryParseSelector(selectorText);
      consumers.set(key, {
        located,
        mode: 'ServiceSelector',
        selector: selectorText,
        selectorError: parsed.ok ? null : parsed.error.message,
        matcher: parsed.ok ? compileSelector(parsed.node) : null,
        failover,
      });
    } else if (
      exportedServices.some(
        (e) =>
          e.clusterId !== clusterId &&
          e.object.namespace === object.namespace &&
          e.object.name === object.name,
      )
    ) {
      consumers.set(key, {
        located,
        mode: 'ServiceExport',
        selector: null,
        selectorError: null,
        matcher: null,
        failover,
      });
    }
  }

  const isConsumer = (s: Located<ServiceObject>) =>
    consumers.has(refKey(s.clusterId, s.object.namespace, s.object.name));
  const result: FederatedService[] = [];
  for (const consumer of consumers.values()) {
    const { clusterId, object: service } = consumer.located;
    let members: Located<ServiceObject>[];
    if (consumer.mode === 'ServiceSelector') {
      const matcher = consumer.matcher;
      members =
        matcher === null
          ? []
          : services.filter(
              (s) =>
                s.object.namespace === service.namespace &&
                !isConsumer(s) &&
                matcher(memberLabels(s.object.labels, clusterNames.get(s.clusterId)!)),
            );
    } else {
      members = exportedServices.filter(
        (e) =>
          e.clusterId !== clusterId &&
          e.object.namespace === service.namespace &&
          e.object.name === service.name &&
          !isConsumer(e),
      );
    }
    members.sort((a, b) =>
      compare(
        refKey(a.clusterId, a.object.namespace, a.object.name),
        refKey(b.clusterId, b.object.namespace, b.object.name),
      ),
    );
    const built = buildSlices(consumer, members, slicesOf);
    result.push({
      clusterId,
      namespace: service.namespace,
      name: service.name,
      mode: consumer.mode,
      selector: consumer.selector,
      selectorError: consumer.selectorError,
      failover: consumer.failover,
      members: built.members,
      slices: built.slices,
    });
  }
  return result.sort((a, b) =>
    compare(refKey(a.clusterId, a.namespace, a.name), refKey(b.clusterId, b.namespace, b.name)),
  );
}

/** The federated EndpointSlices to write into each cluster (clusters with none are absent). */
export function federatedEndpointSlices(
  clusters: readonly CompilerCluster[],
  inventory: FederationInventory,
): Map<string, KubeEndpointSlice[]> {
  const out = new Map<string, KubeEndpointSlice[]>();
  for (const service of federatedServices(clusters, inventory)) {
    if (service.slices.length === 0) continue;
    out.set(service.clusterId, [...(out.get(service.clusterId) ?? []), ...service.slices]);
  }
  return out;
}

/** What a serviceSelector sees of a member Service: its labels plus the cluster it lives in. */
export function memberLabels(labels: Labels, clusterName: string): Labels {
  return { ...labels, [CLUSTER_LABEL]: clusterName };
}

interface Group {
  readonly locality: Locality;
  readonly addressType: 'IPv4' | 'IPv6';
  readonly ports: KubeEndpointPort[];
  readonly endpoints: Map<string, KubeEndpoint>;
}

function buildSlices(
  consumer: Consumer,
  members: readonly Located<ServiceObject>[],
  slicesOf: ReadonlyMap<string, EndpointSliceObject[]>,
): { members: FederatedMember[]; slices: KubeEndpointSlice[] } {
  const { clusterId, object: service } = consumer.located;
  const groups = new Map<string, Group>();
  const memberViews: FederatedMember[] = [];
  for (const member of members) {
    const locality: Locality = member.clusterId === clusterId ? 'local' : 'remote';
    const addresses = new Set<string>();
    for (const slice of slicesOf.get(refKey(member.clusterId, member.object.namespace, member.object.name)) ??
      []) {
      if (slice.addressType === 'FQDN') continue;
      const ports = matchPorts(service, slice);
      if (ports.length === 0) continue;
      const signature = `${locality}|${slice.addressType}|${ports.map((p) => `${p.name}/${p.protocol}/${p.port}`).join(',')}`;
      let group = groups.get(signature);
      if (group === undefined) {
        group = { locality, addressType: slice.addressType, ports, endpoints: new Map() };
        groups.set(signature, group);
      }
      for (const endpoint of slice.endpoints) {
        if (!endpoint.ready) continue;
        const address = endpoint.addresses[0]!;
        for (const a of endpoint.addresses) addresses.add(a);
        if (group.endpoints.has(address)) continue;
        group.endpoints.set(address, {
          addresses: [...endpoint.addresses],
          conditions:
            locality === 'remote' && consumer.failover
              ? { ready: false, serving: true, terminating: true }
              : { ready: true, serving: true, terminating: false },
          ...(locality === 'local' && endpoint.nodeName !== undefined ? { nodeName: endpoint.nodeName } : {}),
        });
      }
    }
    memberViews.push({
      clusterId: member.clusterId,
      namespace: member.object.namespace,
      name: member.object.name,
      locality,
      addresses: [...addresses].sort(),
    });
  }

  const slices: KubeEndpointSlice[] = [];
  for (const [signature, group] of [...groups].sort(([a], [b]) => compare(a, b))) {
    const endpoints = [...group.endpoints.entries()].sort(([a], [b]) => compare(a, b)).map(([, e]) => e);
    for (let start = 0, chunk = 0; start < endpoints.length; start += MAX_ENDPOINTS_PER_SLICE, chunk += 1) {
      const hash = sha256Hex(`${clusterId}/${service.namespace}/${service.name}|${signature}|${chunk}`).slice(
        0,
        10,
      );
      slices.push({
        apiVersion: DISCOVERY_API_VERSION,
        kind: 'EndpointSlice',
        metadata: {
          name: `${service.name}-mp-${hash}`,
          namespace: service.namespace,
          labels: {
            ...MANAGED_LABELS,
            [SERVICE_NAME_LABEL]: service.name,
            [ENDPOINTSLICE_MANAGED_BY_LABEL]: ENDPOINTSLICE_MANAGED_BY_VALUE,
            [LOCALITY_LABEL]: group.locality,
          },
        },
        addressType: group.addressType,
        endpoints: endpoints.slice(start, start + MAX_ENDPOINTS_PER_SLICE),
        ports: group.ports,
      });
    }
  }
  return { members: memberViews, slices };
}

/** The consumer's ports a member slice serves (same name and protocol), with the slice's port number. */
function matchPorts(service: ServiceObject, slice: EndpointSliceObject): KubeEndpointPort[] {
  const ports: KubeEndpointPort[] = [];
  for (const port of service.ports) {
    const name = port.name ?? '';
    const match = slice.ports.find((p) => (p.name ?? '') === name && p.protocol === port.protocol);
    if (match?.port === undefined) continue;
    ports.push({ name, port: match.port, protocol: port.protocol });
  }
  return ports.sort((a, b) => compare(`${a.name}/${a.protocol}`, `${b.name}/${b.protocol}`));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

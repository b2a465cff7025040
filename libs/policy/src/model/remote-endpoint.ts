import type { Labels } from '../selector/compile.js';
import { CLUSTER_LABEL, type Endpoint } from './endpoint.js';

/** The agent prunes only objects carrying this label (with this value). */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'meshplane';
export const MANAGED_LABEL = 'meshplane.io/managed';
/** On remote-endpoint network sets: the namespace the pod lives in, in its own cluster. */
export const REMOTE_NAMESPACE_LABEL = 'meshplane.io/namespace';

/** Labels on every object Meshplane writes into a cluster. */
export const MANAGED_LABELS: Readonly<Record<string, string>> = {
  [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
  [MANAGED_LABEL]: 'true',
};

/**
 * The labels of the network set standing for a pod of another cluster: the pod's own labels, then
 * the cluster and namespace it lives in and Meshplane's management labels (which win over pod
 * labels of the same name, so a pod cannot pretend to live in another cluster). The compiler
 * publishes exactly these, and the tenant-wide evaluation (what-if, reports) sees remote pods with
 * exactly these, so both match selectors alike.
 */
export function remoteEndpointLabels(labels: Labels, cluster: string, namespace: string): Labels {
  return { ...labels, [CLUSTER_LABEL]: cluster, [REMOTE_NAMESPACE_LABEL]: namespace, ...MANAGED_LABELS };
}

/**
 * How cluster `observer` holds a pod of cluster `pod.cluster` (as the compiler publishes it, and
 * so as Calico there matches it): a network set of the observer in the pod's namespace where the
 * observer has that namespace (`observerNamespace`: its labels there; undefined when it lacks
 * it), carrying those namespace labels, else a global network set; labelled by
 * {@link remoteEndpointLabels}. The caller gives the id and the pod's addresses as host nets.
 */
export function remoteEndpointView(
  observer: string,
  pod: { readonly cluster: string; readonly namespace: string; readonly labels: Labels },
  observerNamespace: Labels | undefined,
): Omit<Endpoint, 'id' | 'ips'> {
  return {
    kind: 'networkset',
    cluster: observer,
    ...(observerNamespace === undefined
      ? {}
      : { namespace: pod.namespace, namespaceLabels: observerNamespace }),
    labels: remoteEndpointLabels(pod.labels, pod.cluster, pod.namespace),
  };
}

import type { Labels } from '../selector/compile.js';
import { CLUSTER_LABEL } from './endpoint.js';

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

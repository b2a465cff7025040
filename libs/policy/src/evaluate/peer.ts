import {
  CLUSTER_LABEL,
  type Endpoint,
  NAMESPACE_LABEL,
  NAMESPACE_NAME_LABEL,
  SERVICE_ACCOUNT_LABEL,
} from '../model/endpoint.js';
import type { IpAddress } from '../net/ip.js';
import type { Labels } from '../selector/compile.js';

/**
 * A key no selector can name (it is outside the label alphabet): present in a peer's namespace
 * view exactly when the peer is namespaced. It gives an entity rule's namespaceSelector Calico's
 * meaning of `all()` (any namespaced endpoint) and `global()` (only non-namespaced ones).
 */
export const NAMESPACED_KEY = '\u0000namespaced';

/** How one end of a flow looks to the policies of the cluster observing it. */
export interface PeerView {
  /** The endpoint or network set it resolved to; undefined for an address Calico knows nothing of. */
  readonly endpoint?: Endpoint;
  readonly ip?: IpAddress;
  /** Labels as Calico's selectors see them; undefined for an unknown address (no selector matches it). */
  readonly labels?: Labels;
  readonly namespace?: string;
  /** Namespace labels plus Calico's name label (and {@link NAMESPACED_KEY}); empty when not namespaced. */
  readonly namespaceView: Labels;
  readonly serviceAccountName?: string;
  readonly serviceAccountLabels: Labels;
  /**
   * The other network sets of the observing cluster whose nets hold the address: Felix puts a
   * network set's CIDRs in the IP set of every selector matching it, so rule selectors match the
   * peer through them too, even where a more specific endpoint or set holds the address.
   */
  readonly alsoMatchedAs?: readonly PeerView[];
}

const EMPTY: Labels = Object.freeze({});

export function viewOfEndpoint(endpoint: Endpoint, ip: IpAddress | undefined): PeerView {
  const labels: Record<string, string> = { ...endpoint.labels };
  if (endpoint.namespace !== undefined) labels[NAMESPACE_LABEL] = endpoint.namespace;
  if (endpoint.serviceAccount !== undefined) labels[SERVICE_ACCOUNT_LABEL] = endpoint.serviceAccount.name;
  return {
    endpoint,
    ...(ip === undefined ? {} : { ip }),
    labels,
    ...(endpoint.namespace === undefined ? {} : { namespace: endpoint.namespace }),
    namespaceView: namespaceView(endpoint),
    ...(endpoint.serviceAccount === undefined ? {} : { serviceAccountName: endpoint.serviceAccount.name }),
    serviceAccountLabels: serviceAccountLabels(endpoint),
  };
}

/**
 * The labels of the endpoint's service account as service-account selectors see them: its labels
 * plus Calico's name label (Calico's service-account profile carries both); empty without one.
 */
export function serviceAccountLabels(endpoint: Endpoint): Labels {
  const account = endpoint.serviceAccount;
  if (account === undefined) return EMPTY;
  return { ...account.labels, [NAMESPACE_NAME_LABEL]: account.name };
}

export function viewOfAddress(ip: IpAddress): PeerView {
  return { ip, namespaceView: EMPTY, serviceAccountLabels: EMPTY };
}

/** The namespace labels as a policy-level namespaceSelector sees them. */
export function namespaceLabels(endpoint: Endpoint): Labels {
  if (endpoint.namespace === undefined) return EMPTY;
  return { ...endpoint.namespaceLabels, [NAMESPACE_NAME_LABEL]: endpoint.namespace };
}

function namespaceView(endpoint: Endpoint): Labels {
  if (endpoint.namespace === undefined) return EMPTY;
  return { ...namespaceLabels(endpoint), [NAMESPACED_KEY]: endpoint.namespace };
}

/** A cluster's labels plus Meshplane's cluster-name label. */
export function clusterView(name: string | undefined, labels: Labels | undefined): Labels {
  if (name === undefined) return labels ?? EMPTY;
  return { ...labels, [CLUSTER_LABEL]: name };
}

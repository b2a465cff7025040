import type { Labels } from '../selector/compile.js';
import type { Protocol } from './protocol.js';

/**
 * - `workload`: a pod; policies apply; with no applicable tier it is allowed (Kubernetes profile).
 * - `host`: a Calico host endpoint; policies apply; with no applicable tier it is denied.
 * - `networkset`: a (Global)NetworkSet, also how remote endpoints of other clusters appear; rule
 *   selectors match its labels, but no policy ever applies to it.
 */
export type EndpointKind = 'workload' | 'host' | 'networkset';

/** A named container port, for rules that name ports. */
export interface NamedPort {
  readonly name: string;
  readonly protocol: Protocol;
  readonly port: number;
}

export interface Endpoint {
  /** Unique across all clusters. */
  readonly id: string;
  readonly kind: EndpointKind;
  /** The cluster it lives in; for a network set, the cluster it is installed in (none = every cluster). */
  readonly cluster?: string;
  /** None for host endpoints and GlobalNetworkSets. */
  readonly namespace?: string;
  readonly labels: Labels;
  /** The labels of its namespace. */
  readonly namespaceLabels?: Labels;
  readonly serviceAccount?: { readonly name: string; readonly labels?: Labels };
  /** Addresses for workloads and hosts; CIDRs for network sets. */
  readonly ips: readonly string[];
  readonly namedPorts?: readonly NamedPort[];
  /** Services the endpoint backs (its EndpointSlice entries), for rules that match `services`. */
  readonly services?: readonly ServiceMembership[];
}

/** A port of an EndpointSlice: the endpoint's own (target) port, not the Service's. */
export interface ServicePort {
  readonly port: number;
  /** Default TCP, as in an EndpointSlice. */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/**
 * The endpoint is an address of a Service's EndpointSlice. A rule's destination `services`
 * matches traffic to one of the slice's `ports` only (none listed: no traffic), as Felix's
 * IP-and-port set for it holds; a source `services` matches the address on any port.
 */
export interface ServiceMembership {
  readonly name: string;
  readonly namespace: string;
  readonly ports?: readonly ServicePort[];
}

/** A cluster and its labels, for `clusterSelector`. */
export interface Cluster {
  readonly name: string;
  readonly labels: Labels;
}

/** Labels Calico adds to every endpoint, which selectors may use. */
export const NAMESPACE_LABEL = 'projectcalico.org/namespace';
export const SERVICE_ACCOUNT_LABEL = 'projectcalico.org/serviceaccount';
/** Calico's label on a namespace carrying its name. */
export const NAMESPACE_NAME_LABEL = 'projectcalico.org/name';
/** Meshplane's label naming a cluster (on clusters and on remote-endpoint network sets). */
export const CLUSTER_LABEL = 'meshplane.io/cluster';

import type { Rule } from './rule.js';

export type PolicyType = 'Ingress' | 'Egress';

/** The spec shared by both kinds, plus Meshplane's `clusterSelector` and `staged`. */
export interface PolicySpec {
  /** Default `default`. */
  readonly tier?: string;
  /** Lower first; none = last; ties by name. */
  readonly order?: number;
  /** Endpoints the policy applies to; empty = all (within the namespace for a NetworkPolicy). */
  readonly selector?: string;
  readonly serviceAccountSelector?: string;
  /** Defaulted from the rules present; see {@link effectivePolicyTypes}. */
  readonly types?: readonly PolicyType[];
  readonly ingress?: readonly Rule[];
  readonly egress?: readonly Rule[];
  /** Meshplane: which clusters receive the policy (matched against cluster labels); empty = all. */
  readonly clusterSelector?: string;
  /** Meshplane: evaluated and reported, never enforced. */
  readonly staged?: boolean;
}

export interface GlobalPolicySpec extends PolicySpec {
  /** Only for GlobalNetworkPolicy: endpoints whose namespace labels match. */
  readonly namespaceSelector?: string;
}

/** A namespaced Calico `NetworkPolicy`. */
export interface NetworkPolicy {
  readonly kind: 'NetworkPolicy';
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: PolicySpec;
}

/** A cluster-wide Calico `GlobalNetworkPolicy`. */
export interface GlobalNetworkPolicy {
  readonly kind: 'GlobalNetworkPolicy';
  readonly metadata: { readonly name: string };
  readonly spec: GlobalPolicySpec;
}

export type Policy = NetworkPolicy | GlobalNetworkPolicy;

/**
 * Calico's defaulting of `types` when none are given: Ingress when there are no egress rules
 * (even with no rules at all), Egress when there are only egress rules, both otherwise.
 */
export function effectivePolicyTypes(spec: PolicySpec): readonly PolicyType[] {
  if (spec.types !== undefined && spec.types.length > 0) return spec.types;
  const hasEgress = (spec.egress?.length ?? 0) > 0;
  const hasIngress = (spec.ingress?.length ?? 0) > 0;
  if (!hasEgress) return ['Ingress'];
  if (!hasIngress) return ['Egress'];
  return ['Ingress', 'Egress'];
}

/** A name unique across both kinds: `namespace/name` for namespaced policies, `name` otherwise. */
export function policyKey(policy: Policy): string {
  return policy.kind === 'NetworkPolicy'
    ? `${policy.metadata.namespace}/${policy.metadata.name}`
    : policy.metadata.name;
}

/** The namespace of a namespaced policy, undefined for a global one. */
export function policyNamespace(policy: Policy): string | undefined {
  return policy.kind === 'NetworkPolicy' ? policy.metadata.namespace : undefined;
}

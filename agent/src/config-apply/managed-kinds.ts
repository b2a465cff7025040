import {
  type ConfigObject,
  type ConfigObjectRef,
  configObjectKey,
  MAX_TEXT_LENGTH,
} from '@meshplane/protocol';

/** The label every object Meshplane applies carries; pruning only ever touches objects with it. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'meshplane';
/** `app.kubernetes.io/managed-by=meshplane`, for list calls. */
export const MANAGED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
/** Field manager of every server-side apply the agent makes. */
export const FIELD_MANAGER = 'meshplane';

export interface ManagedKind {
  apiVersion: string;
  kind: string;
  namespaced: boolean;
  /**
   * Apply rank: lower first. Tiers before everything that names a tier, sets and EndpointSlices
   * before the policies whose selectors use them; pruning runs in the reverse order.
   */
  rank: number;
}

const CALICO = 'projectcalico.org/v3';

/** The only kinds the agent applies or prunes. */
export const MANAGED_KINDS: readonly ManagedKind[] = [
  { apiVersion: CALICO, kind: 'Tier', namespaced: false, rank: 0 },
  { apiVersion: CALICO, kind: 'FelixConfiguration', namespaced: false, rank: 1 },
  { apiVersion: CALICO, kind: 'GlobalNetworkSet', namespaced: false, rank: 2 },
  { apiVersion: CALICO, kind: 'NetworkSet', namespaced: true, rank: 2 },
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', namespaced: true, rank: 2 },
  { apiVersion: CALICO, kind: 'GlobalNetworkPolicy', namespaced: false, rank: 3 },
  { apiVersion: CALICO, kind: 'NetworkPolicy', namespaced: true, rank: 3 },
  { apiVersion: CALICO, kind: 'StagedGlobalNetworkPolicy', namespaced: false, rank: 3 },
  { apiVersion: CALICO, kind: 'StagedNetworkPolicy', namespaced: true, rank: 3 },
];

export function managedKindOf(object: { apiVersion: string; kind: string }): ManagedKind | undefined {
  return MANAGED_KINDS.find((kind) => kind.apiVersion === object.apiVersion && kind.kind === object.kind);
}

export function refOf(object: ConfigObject): ConfigObjectRef {
  const ref: ConfigObjectRef = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
  };
  if (object.metadata.namespace !== undefined) ref.namespace = object.metadata.namespace;
  return ref;
}

export function refKey(ref: ConfigObjectRef): string {
  return configObjectKey(ref);
}

function rankOf(ref: { apiVersion: string; kind: string }): number {
  return managedKindOf(ref)?.rank ?? Number.MAX_SAFE_INTEGER;
}

/**
 * Objects Meshplane patches but does not own: it server-side-applies only some of their fields
 * (its field manager owns just those), never labels them as Meshplane's and never deletes them.
 * Calico's `default` FelixConfiguration is the only one Felix reads cluster-wide, so Meshplane's
 * WireGuard settings go there — and deleting it would reset every Felix setting of the cluster.
 */
export const SHARED_OBJECTS: readonly { apiVersion: string; kind: string; name: string }[] = [
  { apiVersion: CALICO, kind: 'FelixConfiguration', name: 'default' },
];

export function isSharedObject(ref: ConfigObjectRef): boolean {
  return SHARED_OBJECTS.some(
    (shared) =>
      shared.apiVersion === ref.apiVersion &&
      shared.kind === ref.kind &&
      shared.name === ref.name &&
      ref.namespace === undefined,
  );
}

/** Apply order: by rank, bundle order within a rank (a stable sort). */
export function inApplyOrder<T extends { apiVersion: string; kind: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => rankOf(a) - rankOf(b));
}

/**
 * What to prune, in prune order: the reverse of the apply order, so policies go before the tiers
 * and sets they use. Shared objects ({@link SHARED_OBJECTS}) are never pruned, even if something
 * labelled them as Meshplane's.
 */
export function inPruneOrder<T extends ConfigObjectRef>(items: readonly T[]): T[] {
  return items.filter((item) => !isSharedObject(item)).sort((a, b) => rankOf(b) - rankOf(a));
}

/**
 * A copy of `object` carrying the managed-by label (the hub sets it; the agent makes sure) —
 * except shared objects, which must not carry it (so they are never listed for pruning).
 */
export function withManagedLabel(object: ConfigObject): ConfigObject {
  const copy = structuredClone(object);
  if (isSharedObject(refOf(object))) {
    const { [MANAGED_BY_LABEL]: _dropped, ...labels } = copy.metadata.labels ?? {};
    copy.metadata.labels = labels;
    return copy;
  }
  copy.metadata.labels = { ...copy.metadata.labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
  return copy;
}

export function isManagedByMeshplane(labels: Record<string, string> | undefined): boolean {
  return labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

/** An outcome message that fits the protocol's text limit. */
export function outcomeMessage(text: string): string {
  return text.length <= MAX_TEXT_LENGTH ? text : `${text.slice(0, MAX_TEXT_LENGTH - 1)}…`;
}

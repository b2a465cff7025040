import {
  CLUSTER_LABEL,
  compileSelector,
  DEFAULT_TIER,
  type EntityRule,
  LabelIndex,
  type LabelMatcher,
  type Labels,
  type Policy,
  parseSelector,
  policyKey,
  type Rule,
  type SelectorNode,
  selectorAst,
} from '@meshplane/policy';
import { federatedEndpointSlices } from '../federated-services/federated-endpoint-slices.js';
import {
  type EmittedObject,
  emit,
  felixConfigurationObject,
  KIND_ORDER,
  NAMESPACE_LABEL,
  networkSetObject,
  objectSortKey,
  policyObject,
  policyTier,
  remoteEndpointLabels,
  remoteEndpointSetName,
  tierObject,
} from './calico-objects.js';
import { bySortKey, ClusterObjects, rankSets } from './cluster-objects.js';
import { CompilerError } from './compiler.errors.js';
import type {
  ClusterBundle,
  CompilerCluster,
  CompilerEndpoint,
  CompilerInput,
  CompilerTier,
  EndpointChanges,
  EndpointRef,
} from './compiler.types.js';
import { COMPLIANCE_TIER, compliancePolicies } from './compliance.js';
import { effectiveWireguard } from './encryption.js';

/** The policy a rule belongs to: global, or namespaced in one namespace. */
type Scope = { readonly kind: 'global' } | { readonly kind: 'namespaced'; readonly namespace: string };

/** How a remote pod is published in a cluster: see {@link FederationCompiler}. */
type SetKind = 'global' | 'namespaced';

interface PreparedPolicy {
  readonly key: string;
  readonly tier: string;
  readonly emitted: EmittedObject;
  readonly targets: LabelMatcher;
  /** Ids (in the endpoint index) of the rule selectors whose remote matches need network sets. */
  readonly ruleSelectorIds: readonly string[];
}

interface IndexedEndpoint {
  readonly endpoint: CompilerEndpoint;
  /** Its cluster (its labels as a network set are computed again when a set is emitted). */
  readonly owner: ClusterState;
  /** Whether some cluster lacks its namespace (so it is also a global variant item of the index). */
  readonly twoVariants: boolean;
  /** The network sets standing for it, built on first use (a new entry on every upsert). */
  global?: EmittedObject;
  namespaced?: EmittedObject;
}

/** What one cluster's bundle is made of. */
interface ClusterState {
  readonly cluster: CompilerCluster;
  readonly index: number;
  /** The policies it receives (its compliance policy first). */
  readonly policies: PreparedPolicy[];
  /** The distinct rule selectors of those policies. */
  readonly selectorIds: Set<string>;
  /** Its namespaces (undefined: every namespace is taken to exist). */
  readonly namespaces: ReadonlySet<string> | undefined;
  /** Tiers and FelixConfiguration (listed before network sets): fixed for the compiler's life. */
  fixedBefore: readonly EmittedObject[];
  /** EndpointSlices and policies (listed after network sets): fixed for the compiler's life. */
  fixedAfter: readonly EmittedObject[];
  /** Its bundle's objects, with the network sets of the remote pods its rule selectors match. */
  objects: ClusterObjects;
}

const GLOBAL_SET_RANK = KIND_ORDER.indexOf('GlobalNetworkSet');
const NAMESPACED_SET_RANK = KIND_ORDER.indexOf('NetworkSet');
const GLOBAL_SCOPE: Scope = { kind: 'global' };
const EMPTY_OBJECTS = ClusterObjects.of([], [], []);

/**
 * Compiles one tenant's policy state and inventory into each cluster's desired Calico bundle, and
 * keeps what it needs to recompile only the clusters an inventory change affects.
 *
 * Pure and in memory: no I/O, no clock. Every endpoint is an item of a {@link LabelIndex}, labelled
 * exactly as its network set will be; every rule selector of every policy is a selector of that
 * index (namespaced ones ANDed with their namespace), so the index knows at all times which pods each
 * rule selector matches and, for a changed pod, which selectors (hence clusters) it concerns.
 *
 * Each remote pod a cluster needs is published there ONCE, as what Calico makes of it: a
 * `NetworkSet` in the pod's own namespace when that namespace exists in the cluster (Calico gives it
 * `projectcalico.org/namespace` and that namespace's labels, so namespaced rules and rule
 * namespaceSelectors see it as a pod of that namespace — Calico federation's namespace sameness),
 * else a `GlobalNetworkSet` (no namespace: only plain selectors of global policies match it). A
 * cluster needs a remote pod when one of its rules could select it: a rule's `notSelector`, or its
 * positive selector as libcalico-go builds it (`getEndpointSelector`: namespace restriction, service
 * accounts, selector), where parts the index cannot decide (namespace labels, service-account
 * labels) are left out, so the index over-approximates; Calico makes the final match.
 *
 * A bundle is its fixed objects (tiers, policies, FelixConfiguration, EndpointSlices) around its
 * network sets, kept sorted per cluster ({@link ClusterObjects}). Every object is emitted once
 * (serialised and hashed once, shared by every bundle that holds it), and a bundle's hash is
 * combined from its objects' digests by buckets (see `bundleHash`), so a pod change patches
 * the network sets of the clusters it concerns (drop the pod's old sets, insert its new ones),
 * rehashes only the buckets it touched, and never re-serialises an unchanged object.
 *
 * Policy and tier changes: build a new compiler (a full compile); they are rare next to inventory
 * churn. A later step can diff policies the same way endpoints are diffed here: the clusters to
 * recompile are the old and new targets of each changed policy.
 */
export class FederationCompiler {
  private readonly tiers = new Map<string, CompilerTier>();
  /** Per cluster id, in input order. */
  private readonly states = new Map<string, ClusterState>();
  private readonly policies: PreparedPolicy[] = [];
  /** Clusters whose bundles use each rule selector. */
  private readonly selectorClusters = new Map<string, Set<string>>();
  /**
   * Every pod is an item of the index as a cluster holding its namespace sees its NetworkSet
   * (its set labels plus the `projectcalico.org/namespace` Calico adds); a pod whose namespace some
   * cluster lacks is also an item `<key>` + {@link GLOBAL_VARIANT}, as its GlobalNetworkSet looks.
   */
  private readonly index = new LabelIndex();
  /** Per namespace name: whether some cluster of the tenant lacks it (namespaces are fixed for the compiler's life). */
  private readonly missingSomewhere = new Map<string, boolean>();
  private readonly endpoints = new Map<string, IndexedEndpoint>();
  private readonly bundles = new Map<string, ClusterBundle>();
  /** Per cluster: its FelixConfiguration and federated EndpointSlices (inventory of pods aside). */
  private readonly clusterExtras = new Map<string, EmittedObject[]>();

  constructor(input: CompilerInput) {
    for (const tier of input.tiers) this.tiers.set(tier.name, tier);
    // Meshplane's own tier: the tenant cannot have one of that name (the tiers service refuses it).
    this.tiers.set(COMPLIANCE_TIER.name, COMPLIANCE_TIER);
    const names = new Set<string>();
    const namespaces = new Map<string, Set<string>>();
    if (input.namespaces !== undefined) {
      for (const cluster of input.clusters) namespaces.set(cluster.id, new Set());
      for (const { clusterId, name } of input.namespaces) namespaces.get(clusterId)?.add(name);
    }
    for (const cluster of input.clusters) {
      if (this.states.has(cluster.id) || names.has(cluster.name))
        throw new CompilerError('DUPLICATE_CLUSTER', `${cluster.id} (${cluster.name})`);
      this.states.set(cluster.id, {
        cluster,
        index: this.states.size,
        policies: [],
        selectorIds: new Set(),
        namespaces: namespaces.get(cluster.id),
        fixedBefore: [],
        fixedAfter: [],
        objects: EMPTY_OBJECTS,
      });
      names.add(cluster.name);
    }
    for (const endpoint of input.endpoints) this.upsertEndpoint(endpoint);
    const policies = [...input.policies].sort((a, b) => compareText(policySortKey(a), policySortKey(b)));
    for (const policy of policies) this.addPolicy(policy);
    this.addCompliance(input);
    this.addExtras(input);
    for (const state of this.states.values()) this.fixObjects(state);
    this.resolveAllSets();
    for (const state of this.states.values())
      this.bundles.set(state.cluster.id, state.objects.bundle(state.cluster.id));
  }

  /** The current bundle of every cluster. */
  allBundles(): ReadonlyMap<string, ClusterBundle> {
    return this.bundles;
  }

  bundle(clusterId: string): ClusterBundle | undefined {
    return this.bundles.get(clusterId);
  }

  /**
   * Applies pod changes and recompiles only the clusters whose bundles could change: those using a
   * rule selector the pod matched before or matches now (its own cluster never holds a set for it).
   * Returns the recompiled bundles (compare `hash` with the previous one to decide on a push). A
   * pod upserted exactly as it is already known changes nothing and recompiles nothing.
   *
   * A recompile patches the cluster's network sets: the changed pods' sets are dropped and their
   * current ones (where one of the cluster's rule selectors matches them now) inserted in order.
   */
  applyEndpointChanges(changes: EndpointChanges): ClusterBundle[] {
    /** Per affected cluster, the changed pods to refresh in it (by endpoint key). */
    const pending = new Map<string, Map<string, EndpointRef>>();
    const touch = (ref: EndpointRef, apply: () => void): void => {
      const key = endpointKey(ref);
      const variant = key + GLOBAL_VARIANT;
      const before = [this.index.selectorsMatching(key), this.index.selectorsMatching(variant)];
      apply();
      const after = [this.index.selectorsMatching(key), this.index.selectorsMatching(variant)];
      for (const selectors of [...before, ...after]) {
        for (const selectorId of selectors) {
          for (const clusterId of this.selectorClusters.get(selectorId) ?? []) {
            if (clusterId !== ref.clusterId) getOrCreate(pending, clusterId, () => new Map()).set(key, ref);
          }
        }
      }
    };
    for (const ref of changes.removed ?? []) touch(ref, () => this.removeEndpoint(ref));
    for (const endpoint of changes.upserted ?? []) {
      // A pod upserted as it already is (an agent's snapshot after a reconnect) changes nothing.
      if (sameEndpoint(this.endpoints.get(endpointKey(endpoint))?.endpoint, endpoint)) continue;
      touch(endpoint, () => this.upsertEndpoint(endpoint));
    }

    const setNames = new Map<string, string>();
    const recompiled: ClusterBundle[] = [];
    for (const clusterId of [...pending.keys()].sort()) {
      const state = this.states.get(clusterId)!;
      this.patchSets(state, pending.get(clusterId)!, setNames);
      const bundle = state.objects.bundle(clusterId);
      this.bundles.set(clusterId, bundle);
      recompiled.push(bundle);
    }
    return recompiled;
  }

  private upsertEndpoint(endpoint: CompilerEndpoint): void {
    const state = this.states.get(endpoint.clusterId);
    if (state === undefined) return; // inventory of a cluster that is gone: nothing can select it
    const key = endpointKey(endpoint);
    const twoVariants = this.isMissingSomewhere(endpoint.namespace);
    this.endpoints.set(key, { endpoint, owner: state, twoVariants });
    const labels = remoteEndpointLabels(endpoint, state.cluster.name);
    // Frozen: the index keeps them as they are instead of copying them.
    this.index.upsertItem(key, Object.freeze({ ...labels, [CALICO_NAMESPACE_LABEL]: endpoint.namespace }));
    if (twoVariants) this.index.upsertItem(key + GLOBAL_VARIANT, Object.freeze(labels));
  }

  private isMissingSomewhere(namespace: string): boolean {
    let missing = this.missingSomewhere.get(namespace);
    if (missing === undefined) {
      missing = [...this.states.values()].some((state) => state.namespaces?.has(namespace) === false);
      this.missingSomewhere.set(namespace, missing);
    }
    return missing;
  }

  private removeEndpoint(ref: EndpointRef): void {
    const key = endpointKey(ref);
    this.endpoints.delete(key);
    this.index.removeItem(key);
    this.index.removeItem(key + GLOBAL_VARIANT);
  }

  private addPolicy(policy: Policy): void {
    const tier = policyTier(policy);
    if (tier !== DEFAULT_TIER.name && !this.tiers.has(tier))
      throw new CompilerError('UNKNOWN_TIER', `${policyKey(policy)} names tier ${tier}`);
    const scope: Scope =
      policy.kind === 'NetworkPolicy'
        ? { kind: 'namespaced', namespace: policy.metadata.namespace }
        : GLOBAL_SCOPE;
    const prepared: PreparedPolicy = {
      key: policyKey(policy),
      tier,
      emitted: emit(policyObject(policy)),
      targets: compileSelector(parse(policy.spec.clusterSelector ?? 'all()', policyKey(policy))),
      ruleSelectorIds: this.registerRuleSelectors(policy, scope),
    };
    this.policies.push(prepared);
    for (const state of this.states.values()) {
      if (!prepared.targets(clusterSelectorLabels(state.cluster))) continue;
      this.receive(state, prepared, 'last');
    }
  }

  /**
   * Each cluster's compliance policy (in the `meshplane-compliance` tier) joins that cluster's
   * policies, and its deny selectors are filed in the endpoint index like any rule selector, so the
   * forbidden clusters' pods are emitted as network sets (and a pod change there recompiles it).
   */
  private addCompliance(input: CompilerInput): void {
    const zones = input.zones ?? [];
    if (zones.length === 0) return;
    const clusters = [...this.states.values()].map((state) => state.cluster);
    for (const [clusterId, policy] of compliancePolicies(clusters, zones)) {
      const prepared: PreparedPolicy = {
        key: policyKey(policy),
        tier: COMPLIANCE_TIER.name,
        emitted: emit(policyObject(policy)),
        targets: () => false,
        ruleSelectorIds: this.registerRuleSelectors(policy, GLOBAL_SCOPE),
      };
      this.receive(this.states.get(clusterId)!, prepared, 'first');
    }
  }

  private receive(state: ClusterState, policy: PreparedPolicy, where: 'first' | 'last'): void {
    if (where === 'first') state.policies.unshift(policy);
    else state.policies.push(policy);
    for (const selectorId of policy.ruleSelectorIds) {
      state.selectorIds.add(selectorId);
      getOrCreate(this.selectorClusters, selectorId, () => new Set()).add(state.cluster.id);
    }
  }

  /** FelixConfiguration (WireGuard) and federated EndpointSlices, per cluster. */
  private addExtras(input: CompilerInput): void {
    const push = (clusterId: string, emitted: EmittedObject) =>
      getOrCreate(this.clusterExtras, clusterId, () => []).push(emitted);
    for (const clusterId of this.states.keys()) {
      const settings = effectiveWireguard(input.encryption, clusterId);
      if (settings !== undefined) push(clusterId, emit(felixConfigurationObject(settings)));
    }
    if (input.federation !== undefined) {
      const clusters = [...this.states.values()].map((state) => state.cluster);
      const slices = federatedEndpointSlices(clusters, input.federation);
      for (const [clusterId, list] of slices) for (const slice of list) push(clusterId, emit(slice));
    }
  }

  /** Files each distinct rule selector of the policy that may select remote pods in the endpoint index. */
  private registerRuleSelectors(policy: Policy, scope: Scope): string[] {
    const ids = new Set<string>();
    for (const node of remoteSelectors(policy, scope)) {
      const id = selectorAst.nodeKey(node);
      if (!this.index.hasSelector(id)) this.index.upsertSelector(id, node);
      ids.add(id);
    }
    return [...ids];
  }

  /** Sorts a cluster's fixed objects (its policies and their tiers, its extras) once. */
  private fixObjects(state: ClusterState): void {
    const objects = new Map<string, EmittedObject>();
    const add = (emitted: EmittedObject) => objects.set(emitted.sortKey, emitted);
    for (const policy of state.policies) {
      add(policy.emitted);
      const tier = this.tiers.get(policy.tier);
      if (tier !== undefined && tier.name !== DEFAULT_TIER.name) add(this.tierObject(tier));
    }
    for (const extra of this.clusterExtras.get(state.cluster.id) ?? []) add(extra);
    const sorted = [...objects.values()].sort(bySortKey);
    state.fixedBefore = sorted.filter((object) => object.rank < GLOBAL_SET_RANK);
    state.fixedAfter = sorted.filter((object) => object.rank > NAMESPACED_SET_RANK);
  }

  /**
   * Every cluster's network sets, from cold. Each selector's matches are listed once: per matching
   * index item, the set it stands for (the pod's NetworkSet, or its GlobalNetworkSet for a global
   * variant item) and the owning cluster. Every such set is emitted once and ranked once in bundle
   * order; a cluster's sets are then the ranks of its selectors' matches outside itself — of a pod
   * whose namespace some cluster lacks, only the variant this cluster publishes — sorted and
   * deduplicated as integers.
   */
  private resolveAllSets(): void {
    const rankOf = new Map<EmittedObject, number>();
    const ordered: EmittedObject[] = [];
    const matched = new Map<string, { sets: EmittedObject[]; owners: Int32Array; pods: IndexedEndpoint[] }>();
    for (const [selectorId, clusters] of this.selectorClusters) {
      if (clusters.size === 0) continue;
      const keys = this.index.itemsMatching(selectorId);
      const sets: EmittedObject[] = [];
      const pods: IndexedEndpoint[] = [];
      const owners = new Int32Array(keys.size);
      for (const key of keys) {
        const global = key.endsWith(GLOBAL_VARIANT);
        const indexed = this.endpoints.get(global ? key.slice(0, -GLOBAL_VARIANT.length) : key)!;
        const set = this.networkSet(indexed, global ? 'global' : 'namespaced');
        owners[sets.length] = indexed.owner.index;
        sets.push(set);
        pods.push(indexed);
        if (!rankOf.has(set)) {
          rankOf.set(set, 0);
          ordered.push(set);
        }
      }
      matched.set(selectorId, { sets, owners, pods });
    }
    ordered.sort(bySortKey);
    for (let rank = 0; rank < ordered.length; rank++) rankOf.set(ordered[rank]!, rank);
    const table = rankSets(ordered);
    const ranked = new Map<string, { ranks: Int32Array; owners: Int32Array; pods: IndexedEndpoint[] }>();
    for (const [selectorId, { sets, owners, pods }] of matched) {
      ranked.set(selectorId, { ranks: Int32Array.from(sets, (set) => rankOf.get(set)!), owners, pods });
    }

    for (const state of this.states.values()) {
      let size = 0;
      for (const selectorId of state.selectorIds) size += ranked.get(selectorId)?.ranks.length ?? 0;
      const buffer = new Int32Array(size);
      let count = 0;
      for (const selectorId of state.selectorIds) {
        const entry = ranked.get(selectorId);
        if (entry === undefined) continue;
        const { ranks, owners, pods } = entry;
        for (let i = 0; i < ranks.length; i++) {
          if (owners[i] === state.index) continue;
          const pod = pods[i]!;
          // Both variants of such a pod are items: keep the one this cluster publishes.
          if (pod.twoVariants && table.sets[ranks[i]!]!.object.kind !== setObjectKind(state, pod.endpoint))
            continue;
          buffer[count++] = ranks[i]!;
        }
      }
      const sorted = buffer.subarray(0, count).sort();
      let distinct = 0;
      for (let i = 0; i < sorted.length; i++) {
        if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i]!;
      }
      state.objects = ClusterObjects.fromRanks(
        state.fixedBefore,
        sorted.subarray(0, distinct),
        state.fixedAfter,
        table,
      );
    }
  }

  /**
   * A cluster's network sets after the given pods changed: their old sets (found by name: a pod's
   * set names derive from its cluster, namespace and name) are dropped, and the sets the cluster
   * needs for them now are merged in.
   */
  private patchSets(
    state: ClusterState,
    changed: ReadonlyMap<string, EndpointRef>,
    setNames: Map<string, string>,
  ): void {
    const dropped: string[] = [];
    const added: EmittedObject[] = [];
    for (const [key, ref] of changed) {
      const name = getOrCreate(setNames, key, () => remoteEndpointSetName(ref));
      dropped.push(objectSortKey(GLOBAL_SET_RANK, '', name));
      dropped.push(objectSortKey(NAMESPACED_SET_RANK, ref.namespace, name));
      const indexed = this.endpoints.get(key);
      if (indexed === undefined) continue;
      const kind = setKind(state, indexed.endpoint);
      for (const selectorId of this.index.selectorsMatching(kind === 'global' ? key + GLOBAL_VARIANT : key)) {
        if (!state.selectorIds.has(selectorId)) continue;
        added.push(this.networkSet(indexed, kind));
        break;
      }
    }
    state.objects.patch(dropped, added);
  }

  private readonly tierObjects = new Map<string, EmittedObject>();

  private tierObject(tier: CompilerTier): EmittedObject {
    return getOrCreate(this.tierObjects, tier.name, () => emit(tierObject(tier)));
  }

  private networkSet(indexed: IndexedEndpoint, kind: SetKind): EmittedObject {
    if (kind === 'global') {
      indexed.global ??= emit(networkSetObject('global', indexed.endpoint, setLabels(indexed)));
      return indexed.global;
    }
    indexed.namespaced ??= emit(networkSetObject('namespaced', indexed.endpoint, setLabels(indexed)));
    return indexed.namespaced;
  }
}

/** Compiles every cluster's bundle from scratch. */
export function compileBundles(input: CompilerInput): ReadonlyMap<string, ClusterBundle> {
  return new FederationCompiler(input).allBundles();
}

/** Whether two pods are the same in every field the compiler reads. */
function sameEndpoint(a: CompilerEndpoint | undefined, b: CompilerEndpoint): boolean {
  if (a === undefined) return false;
  if (a === b) return true;
  if (a.clusterId !== b.clusterId || a.namespace !== b.namespace || a.name !== b.name) return false;
  if ((a.serviceAccount ?? null) !== (b.serviceAccount ?? null)) return false;
  if (a.ips.length !== b.ips.length || a.ips.some((ip, i) => ip !== b.ips[i])) return false;
  const keys = Object.keys(a.labels);
  if (keys.length !== Object.keys(b.labels).length) return false;
  return keys.every((key) => Object.hasOwn(b.labels, key) && a.labels[key] === b.labels[key]);
}

/** The labels of a pod's network sets: exactly what its item in the endpoint index was filed with. */
function setLabels(indexed: IndexedEndpoint): Labels {
  return remoteEndpointLabels(indexed.endpoint, indexed.owner.cluster.name);
}

/** The labels a `clusterSelector` sees: the cluster's labels plus `meshplane.io/cluster: <name>`. */
export function clusterSelectorLabels(cluster: CompilerCluster): Labels {
  return { ...cluster.labels, [CLUSTER_LABEL]: cluster.name };
}

export function endpointKey(ref: EndpointRef): string {
  return `${ref.clusterId}/${ref.namespace}/${ref.name}`;
}

/** The kind of set a cluster publishes a remote pod as. */
function setObjectKind(state: ClusterState, endpoint: CompilerEndpoint): 'GlobalNetworkSet' | 'NetworkSet' {
  return setKind(state, endpoint) === 'global' ? 'GlobalNetworkSet' : 'NetworkSet';
}

/** How a cluster publishes a remote pod: in the pod's namespace where the cluster has it. */
function setKind(state: ClusterState, endpoint: CompilerEndpoint): SetKind {
  return state.namespaces === undefined || state.namespaces.has(endpoint.namespace) ? 'namespaced' : 'global';
}

const ALL = selectorAst.all();
/** Calico's label on a namespaced NetworkSet (it refuses it in a set's own labels). */
const CALICO_NAMESPACE_LABEL = 'projectcalico.org/namespace';
/** Suffix of the index item standing for a pod as its GlobalNetworkSet (no key has a NUL). */
const GLOBAL_VARIANT = '\u0000global';
const EMPTY_LABELS: Labels = Object.freeze({});

/**
 * The selectors, over a remote pod's set labels, of the pods a policy's rules could select: each
 * entity rule's `notSelector` (Calico does not restrict it to a namespace), and its positive
 * selector as libcalico-go's `getEndpointSelector` builds it — present once any of selector,
 * notSelector, namespaceSelector (or serviceAccounts) is used; restricted to the policy's namespace
 * unless a namespaceSelector replaces that restriction. What the index cannot see is left out (a
 * namespaceSelector: the receiving cluster's namespace labels decide; a service-account selector:
 * the sets carry no account), except that a service-account match a set can never satisfy (names,
 * or a selector that needs a label) drops the positive selector altogether.
 */
function remoteSelectors(policy: Policy, scope: Scope): SelectorNode[] {
  const where = policyKey(policy);
  const nodes: SelectorNode[] = [];
  const visit = (entity: EntityRule | undefined) => {
    if (entity === undefined) return;
    if (entity.notSelector) nodes.push(parse(entity.notSelector, where));
    const accounts = entity.serviceAccounts;
    const usesAccounts =
      accounts !== undefined && (Boolean(accounts.names?.length) || Boolean(accounts.selector));
    const restricted = Boolean(entity.namespaceSelector) || scope.kind === 'namespaced';
    const positive =
      Boolean(entity.selector) ||
      usesAccounts ||
      (restricted && (Boolean(entity.notSelector) || Boolean(entity.namespaceSelector)));
    if (!positive) return;
    if (
      usesAccounts &&
      (accounts.names?.length || !compileSelector(parse(accounts.selector!, where))(EMPTY_LABELS))
    )
      return;
    const own = entity.selector ? parse(entity.selector, where) : ALL;
    if (entity.namespaceSelector || scope.kind === 'global') nodes.push(own);
    else nodes.push(selectorAst.and(selectorAst.eq(NAMESPACE_LABEL, scope.namespace), own));
  };
  const rules: readonly Rule[] = [...(policy.spec.ingress ?? []), ...(policy.spec.egress ?? [])];
  for (const rule of rules) {
    visit(rule.source);
    visit(rule.destination);
  }
  return nodes;
}

function parse(text: string, where: string): SelectorNode {
  try {
    return parseSelector(text);
  } catch (error) {
    throw new CompilerError('INVALID_SELECTOR', `${where}: ${(error as Error).message}`);
  }
}

function policySortKey(policy: Policy): string {
  return `${policy.kind}\u0000${policyKey(policy)}\u0000${policy.spec.staged === true ? 1 : 0}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

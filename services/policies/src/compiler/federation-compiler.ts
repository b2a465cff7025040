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
import {
  type EmittedObject,
  emit,
  felixConfigurationObject,
  NAMESPACE_LABEL,
  networkSetObject,
  policyObject,
  policyTier,
  remoteEndpointLabels,
  tierObject,
} from './calico-objects.js';
import { sha256Hex } from './canonical-json.js';
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
import { federatedEndpointSlices } from './federated-services.js';

/** Where a rule selector looks: every namespace (global policies) or one namespace. */
type Scope = { readonly kind: 'global' } | { readonly kind: 'namespaced'; readonly namespace: string };

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
  readonly labels: Labels;
  /** The network sets standing for it, built on first use. */
  global?: EmittedObject;
  namespaced?: EmittedObject;
}

/**
 * Compiles one tenant's policy state and inventory into each cluster's desired Calico bundle, and
 * keeps what it needs to recompile only the clusters an inventory change affects.
 *
 * Pure and in memory: no I/O, no clock. Every endpoint is an item of a {@link LabelIndex}, labelled
 * exactly as its network set will be; every rule selector of every policy is a selector of that
 * index (namespaced ones ANDed with their namespace), so the index knows at all times which pods each
 * rule selector matches and, for a changed pod, which selectors (hence clusters) it concerns.
 *
 * Policy and tier changes: build a new compiler (a full compile); they are rare next to inventory
 * churn. A later step can diff policies the same way endpoints are diffed here: the clusters to
 * recompile are the old and new targets of each changed policy.
 */
export class FederationCompiler {
  private readonly tiers = new Map<string, CompilerTier>();
  private readonly clusters = new Map<string, CompilerCluster>();
  private readonly policies: PreparedPolicy[] = [];
  /** Which clusters each policy reaches, by cluster id. */
  private readonly clusterPolicies = new Map<string, PreparedPolicy[]>();
  /** Clusters whose bundles use each rule selector. */
  private readonly selectorClusters = new Map<string, Set<string>>();
  private readonly selectorScopes = new Map<string, Scope>();
  private readonly index = new LabelIndex();
  private readonly endpoints = new Map<string, IndexedEndpoint>();
  private readonly bundles = new Map<string, ClusterBundle>();
  /** Per cluster: its FelixConfiguration and federated EndpointSlices (inventory of pods aside). */
  private readonly clusterExtras = new Map<string, EmittedObject[]>();

  constructor(input: CompilerInput) {
    for (const tier of input.tiers) this.tiers.set(tier.name, tier);
    // Meshplane's own tier: the tenant cannot have one of that name (the tiers service refuses it).
    this.tiers.set(COMPLIANCE_TIER.name, COMPLIANCE_TIER);
    const names = new Set<string>();
    for (const cluster of input.clusters) {
      if (this.clusters.has(cluster.id) || names.has(cluster.name))
        throw new CompilerError('DUPLICATE_CLUSTER', `${cluster.id} (${cluster.name})`);
      this.clusters.set(cluster.id, cluster);
      names.add(cluster.name);
      this.clusterPolicies.set(cluster.id, []);
    }
    for (const endpoint of input.endpoints) this.upsertEndpoint(endpoint);
    const policies = [...input.policies].sort((a, b) => compareText(policySortKey(a), policySortKey(b)));
    for (const policy of policies) this.addPolicy(policy);
    this.addCompliance(input);
    this.addExtras(input);
    for (const clusterId of this.clusters.keys()) this.bundles.set(clusterId, this.compileCluster(clusterId));
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
   * Returns the recompiled bundles (compare `hash` with the previous one to decide on a push).
   */
  applyEndpointChanges(changes: EndpointChanges): ClusterBundle[] {
    const affected = new Set<string>();
    const touch = (ref: EndpointRef, apply: () => void): void => {
      const key = endpointKey(ref);
      const before = this.index.selectorsMatching(key);
      apply();
      const after = this.index.selectorsMatching(key);
      for (const selectorId of [...before, ...after]) {
        for (const clusterId of this.selectorClusters.get(selectorId) ?? []) {
          if (clusterId !== ref.clusterId) affected.add(clusterId);
        }
      }
    };
    for (const ref of changes.removed ?? []) touch(ref, () => this.removeEndpoint(ref));
    for (const endpoint of changes.upserted ?? []) touch(endpoint, () => this.upsertEndpoint(endpoint));

    const recompiled: ClusterBundle[] = [];
    for (const clusterId of [...affected].sort()) {
      const bundle = this.compileCluster(clusterId);
      this.bundles.set(clusterId, bundle);
      recompiled.push(bundle);
    }
    return recompiled;
  }

  private upsertEndpoint(endpoint: CompilerEndpoint): void {
    const cluster = this.clusters.get(endpoint.clusterId);
    if (cluster === undefined) return; // inventory of a cluster that is gone: nothing can select it
    const key = endpointKey(endpoint);
    const labels = remoteEndpointLabels(endpoint, cluster.name);
    this.endpoints.set(key, { endpoint, labels });
    this.index.upsertItem(key, labels);
  }

  private removeEndpoint(ref: EndpointRef): void {
    const key = endpointKey(ref);
    this.endpoints.delete(key);
    this.index.removeItem(key);
  }

  private addPolicy(policy: Policy): void {
    const tier = policyTier(policy);
    if (tier !== DEFAULT_TIER.name && !this.tiers.has(tier))
      throw new CompilerError('UNKNOWN_TIER', `${policyKey(policy)} names tier ${tier}`);
    const scope: Scope =
      policy.kind === 'NetworkPolicy'
        ? { kind: 'namespaced', namespace: policy.metadata.namespace }
        : { kind: 'global' };
    const prepared: PreparedPolicy = {
      key: policyKey(policy),
      tier,
      emitted: emit(policyObject(policy)),
      targets: compileSelector(parse(policy.spec.clusterSelector ?? 'all()', policyKey(policy))),
      ruleSelectorIds: this.registerRuleSelectors(policy, scope),
    };
    this.policies.push(prepared);
    for (const cluster of this.clusters.values()) {
      if (!prepared.targets(clusterSelectorLabels(cluster))) continue;
      this.clusterPolicies.get(cluster.id)!.push(prepared);
      for (const selectorId of prepared.ruleSelectorIds) {
        getOrCreate(this.selectorClusters, selectorId, () => new Set()).add(cluster.id);
      }
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
    for (const [clusterId, policy] of compliancePolicies([...this.clusters.values()], zones)) {
      const prepared: PreparedPolicy = {
        key: policyKey(policy),
        tier: COMPLIANCE_TIER.name,
        emitted: emit(policyObject(policy)),
        targets: () => false,
        ruleSelectorIds: this.registerRuleSelectors(policy, { kind: 'global' }),
      };
      this.clusterPolicies.get(clusterId)!.unshift(prepared);
      for (const selectorId of prepared.ruleSelectorIds) {
        getOrCreate(this.selectorClusters, selectorId, () => new Set()).add(clusterId);
      }
    }
  }

  /** FelixConfiguration (WireGuard) and federated EndpointSlices, per cluster. */
  private addExtras(input: CompilerInput): void {
    const push = (clusterId: string, emitted: EmittedObject) =>
      getOrCreate(this.clusterExtras, clusterId, () => []).push(emitted);
    for (const clusterId of this.clusters.keys()) {
      const settings = effectiveWireguard(input.encryption, clusterId);
      if (settings !== undefined) push(clusterId, emit(felixConfigurationObject(settings)));
    }
    if (input.federation !== undefined) {
      const slices = federatedEndpointSlices([...this.clusters.values()], input.federation);
      for (const [clusterId, list] of slices) for (const slice of list) push(clusterId, emit(slice));
    }
  }

  /** Files each distinct rule selector of the policy in the endpoint index, once per scope. */
  private registerRuleSelectors(policy: Policy, scope: Scope): string[] {
    const ids = new Set<string>();
    for (const text of remoteSelectors(policy)) {
      const node = parse(text, policyKey(policy));
      const scoped =
        scope.kind === 'global'
          ? node
          : selectorAst.and(selectorAst.eq(NAMESPACE_LABEL, scope.namespace), node);
      const id = `${scope.kind === 'global' ? '' : scope.namespace}|${text}`;
      if (!this.index.hasSelector(id)) {
        this.index.upsertSelector(id, scoped);
        this.selectorScopes.set(id, scope);
      }
      ids.add(id);
    }
    return [...ids];
  }

  private compileCluster(clusterId: string): ClusterBundle {
    const policies = this.clusterPolicies.get(clusterId) ?? [];
    const objects = new Map<string, EmittedObject>();
    const add = (emitted: EmittedObject) => objects.set(emitted.sortKey, emitted);

    for (const policy of policies) {
      add(policy.emitted);
      const tier = this.tiers.get(policy.tier);
      if (tier !== undefined && tier.name !== DEFAULT_TIER.name) add(this.tierObject(tier));
    }
    for (const selectorId of new Set(policies.flatMap((policy) => policy.ruleSelectorIds))) {
      const scope = this.selectorScopes.get(selectorId)!;
      for (const key of this.index.itemsMatching(selectorId)) {
        const indexed = this.endpoints.get(key)!;
        if (indexed.endpoint.clusterId !== clusterId) add(this.networkSet(indexed, scope));
      }
    }
    for (const extra of this.clusterExtras.get(clusterId) ?? []) add(extra);

    const sorted = [...objects.values()].sort((a, b) => compareText(a.sortKey, b.sortKey));
    const json = `{"clusterId":${JSON.stringify(clusterId)},"objects":[${sorted.map((o) => o.json).join(',')}]}`;
    return { clusterId, objects: sorted.map((o) => o.object), hash: sha256Hex(json) };
  }

  private readonly tierObjects = new Map<string, EmittedObject>();

  private tierObject(tier: CompilerTier): EmittedObject {
    return getOrCreate(this.tierObjects, tier.name, () => emit(tierObject(tier)));
  }

  private networkSet(indexed: IndexedEndpoint, scope: Scope): EmittedObject {
    if (scope.kind === 'global') {
      indexed.global ??= emit(networkSetObject('global', indexed.endpoint, indexed.labels));
      return indexed.global;
    }
    indexed.namespaced ??= emit(networkSetObject('namespaced', indexed.endpoint, indexed.labels));
    return indexed.namespaced;
  }
}

/** Compiles every cluster's bundle from scratch. */
export function compileBundles(input: CompilerInput): ReadonlyMap<string, ClusterBundle> {
  return new FederationCompiler(input).allBundles();
}

/** The labels a `clusterSelector` sees: the cluster's labels plus `meshplane.io/cluster: <name>`. */
export function clusterSelectorLabels(cluster: CompilerCluster): Labels {
  return { ...cluster.labels, [CLUSTER_LABEL]: cluster.name };
}

export function endpointKey(ref: EndpointRef): string {
  return `${ref.clusterId}/${ref.namespace}/${ref.name}`;
}

/**
 * The rule selectors that can match remote pods: `selector` and `notSelector` of sources and
 * destinations (a `notSelector` needs the sets too, so that remote pods it names are excluded).
 * Entity rules with a `namespaceSelector` are left out: they look into other namespaces, which
 * the namespace-sameness model of remote sets does not cover yet.
 */
function remoteSelectors(policy: Policy): string[] {
  const texts = new Set<string>();
  const visit = (entity: EntityRule | undefined) => {
    if (entity === undefined || entity.namespaceSelector !== undefined) return;
    if (entity.selector !== undefined) texts.add(entity.selector);
    if (entity.notSelector !== undefined) texts.add(entity.notSelector);
  };
  const rules: readonly Rule[] = [...(policy.spec.ingress ?? []), ...(policy.spec.egress ?? [])];
  for (const rule of rules) {
    visit(rule.source);
    visit(rule.destination);
  }
  return [...texts].sort();
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

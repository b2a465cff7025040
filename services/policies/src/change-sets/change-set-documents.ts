import { DEFAULT_TIER, type Tier as TierSpec } from '@meshplane/policy';
import { canonicalJson, sha256Hex } from '../compiler/canonical-json.js';
import type { WireguardSettings } from '../compiler/compiler.types.js';
import { WIREGUARD_FIELDS, type WireguardField } from '../compiler/encryption.js';
import { encryptionIssues } from '../encryption/encryption-rules.js';
import {
  canonicalSpec,
  type StoredSpec,
  toCalicoPolicy,
  withDefaults,
} from '../policies/canonical-policy.js';
import { PolicyKind } from '../policies/policy.model.js';
import { policyIssues } from '../policies/policy-issues.js';
import type { PolicySpec } from '../policies/policy-spec.model.js';
import { reservedNameMessage, tierIssues } from '../tiers/tier-rules.js';
import { type JsonChange, jsonDiff } from '../versions/json-diff.js';
import { zoneIssues } from '../zones/zone-rules.js';

/**
 * Change sets in Calico's `projectcalico.org/v3` shape, pure: the documents of the tenant's
 * tiers and policies as `meshplane get` prints them, the objects a client sends checked and put
 * in the same canonical form, and the plan between the two (create / update / delete /
 * unchanged with JSON-pointer diffs).
 */

export const CALICO_API_VERSION = 'projectcalico.org/v3';
/** Meshplane's own kinds (ComplianceZone) are not Calico's. */
export const MESHPLANE_API_VERSION = 'meshplane.io/v1';

/** Objects one change set may hold. */
export const MAX_CHANGE_SET_OBJECTS = 1_000;

/** Calico's policy kinds and how Meshplane stores them (kind + staged flag). */
const POLICY_KINDS: Record<string, { kind: PolicyKind; staged: boolean }> = {
  NetworkPolicy: { kind: PolicyKind.NetworkPolicy, staged: false },
  GlobalNetworkPolicy: { kind: PolicyKind.GlobalNetworkPolicy, staged: false },
  StagedNetworkPolicy: { kind: PolicyKind.NetworkPolicy, staged: true },
  StagedGlobalNetworkPolicy: { kind: PolicyKind.GlobalNetworkPolicy, staged: true },
};
const KINDS = ['Tier', 'ComplianceZone', 'FelixConfiguration', ...Object.keys(POLICY_KINDS)];

/** The one FelixConfiguration a change set holds: the mesh-wide WireGuard settings. */
export const ENCRYPTION_NAME = 'default';

/** The type of each WireGuard field (Calico's FelixConfiguration spec). */
const WIREGUARD_TYPES: Record<WireguardField, 'boolean' | 'number' | 'string'> = {
  wireguardEnabled: 'boolean',
  wireguardEnabledV6: 'boolean',
  wireguardHostEncryptionEnabled: 'boolean',
  wireguardListeningPort: 'number',
  wireguardListeningPortV6: 'number',
  wireguardMTU: 'number',
  wireguardMTUV6: 'number',
  wireguardKeepAlive: 'string',
  wireguardRoutingRulePriority: 'number',
  wireguardThreadingEnabled: 'boolean',
};

export interface TierDocument {
  apiVersion: string;
  kind: 'Tier';
  metadata: { name: string };
  spec: { order?: number; defaultAction: 'Deny' | 'Pass' };
}

export interface PolicyDocument {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: Record<string, unknown>;
}

export interface ZoneDocument {
  apiVersion: string;
  kind: 'ComplianceZone';
  metadata: { name: string };
  spec: { clusterSelector: string; isolation: { allowedZones: string[] } };
}

/** The mesh-wide WireGuard settings as Calico's FelixConfiguration `default` (only the fields set). */
export interface EncryptionDocument {
  apiVersion: string;
  kind: 'FelixConfiguration';
  metadata: { name: string };
  spec: WireguardSettings;
}

export type ChangeSetDocument = TierDocument | PolicyDocument | ZoneDocument | EncryptionDocument;

/** A compliance zone as stored. */
export interface LiveZone {
  name: string;
  clusterSelector: string;
  allowedZones: readonly string[];
}

/** A tier as stored. */
export interface LiveTier {
  name: string;
  order: number | null;
  defaultAction: 'Deny' | 'Pass';
}

/** A policy as stored (`namespace` '' for a global one). */
export interface LivePolicy {
  kind: string;
  namespace: string;
  name: string;
  staged: boolean;
  spec: StoredSpec;
}

export interface LiveObjects {
  tiers: readonly LiveTier[];
  policies: readonly LivePolicy[];
  zones: readonly LiveZone[];
  /** The mesh-wide WireGuard settings; null when never set. */
  encryption: WireguardSettings | null;
}

/** A problem with one object of the change set: its index in `objects` and a field path in it. */
export interface ChangeSetIssue {
  index: number;
  path: string;
  message: string;
}

export type ChangeSetAction = 'create' | 'update' | 'delete' | 'unchanged';

/** One object of the plan; `index` is its place in `objects` (null for a delete by prune). */
export interface ChangeSetEntry {
  index: number | null;
  action: ChangeSetAction;
  kind: string;
  name: string;
  namespace: string | null;
  diff: JsonChange[];
}

/** What applying does to one object (stored with the plan). */
export interface ChangeSetOperation {
  action: 'create' | 'update' | 'delete';
  before: ChangeSetDocument | null;
  after: ChangeSetDocument | null;
}

export interface PlannedChangeSet {
  issues: ChangeSetIssue[];
  entries: ChangeSetEntry[];
  /** In apply order: tiers created or updated, policies deleted, policies created or updated, tiers deleted. */
  operations: ChangeSetOperation[];
  /** The tiers (the default one included), policies and number of zones once applied. */
  result: { tiers: TierSpec[]; policies: LivePolicy[]; zones: number };
  /** The index in `objects` of the object with this key, if it was given. */
  indexOf(key: string): number | undefined;
}

export function tierDocument(tier: LiveTier): TierDocument {
  return {
    apiVersion: CALICO_API_VERSION,
    kind: 'Tier',
    metadata: { name: tier.name },
    spec: { ...(tier.order === null ? {} : { order: tier.order }), defaultAction: tier.defaultAction },
  };
}

export function policyDocument(policy: LivePolicy): PolicyDocument {
  const { staged: _staged, ...spec } = policy.spec as StoredSpec & { staged?: boolean };
  return {
    apiVersion: CALICO_API_VERSION,
    kind: policy.staged ? `Staged${policy.kind}` : policy.kind,
    metadata:
      policy.namespace === '' ? { name: policy.name } : { name: policy.name, namespace: policy.namespace },
    spec: spec as Record<string, unknown>,
  };
}

/** `Kind/namespace/name` of a stored policy, as {@link documentKey} names its document. */
export function policyKey(policy: LivePolicy): string {
  return `${policy.staged ? `Staged${policy.kind}` : policy.kind}/${policy.namespace}/${policy.name}`;
}

/** `Kind/namespace/name`: what identifies an object in a change set. */
export function documentKey(document: ChangeSetDocument): string {
  const namespace = 'namespace' in document.metadata ? (document.metadata.namespace ?? '') : '';
  return `${document.kind}/${namespace}/${document.metadata.name}`;
}

/** The stored form of a policy document: Meshplane's kind, staged flag and spec (with `staged`). */
export function policyOf(document: PolicyDocument): LivePolicy {
  const { kind, staged } = POLICY_KINDS[document.kind]!;
  const spec = (staged ? { ...document.spec, staged: true } : document.spec) as StoredSpec;
  return { kind, staged, namespace: document.metadata.namespace ?? '', name: document.metadata.name, spec };
}

export function zoneDocument(zone: LiveZone): ZoneDocument {
  return {
    apiVersion: MESHPLANE_API_VERSION,
    kind: 'ComplianceZone',
    metadata: { name: zone.name },
    spec: {
      clusterSelector: zone.clusterSelector,
      isolation: { allowedZones: [...zone.allowedZones].sort() },
    },
  };
}

export function encryptionDocument(settings: WireguardSettings): EncryptionDocument {
  const spec: Record<string, unknown> = {};
  for (const field of WIREGUARD_FIELDS) if (settings[field] !== undefined) spec[field] = settings[field];
  return {
    apiVersion: CALICO_API_VERSION,
    kind: 'FelixConfiguration',
    metadata: { name: ENCRYPTION_NAME },
    spec,
  };
}

export function isEncryptionDocument(document: ChangeSetDocument): document is EncryptionDocument {
  return document.kind === 'FelixConfiguration';
}

export function isTierDocument(document: ChangeSetDocument): document is TierDocument {
  return document.kind === 'Tier';
}

export function isZoneDocument(document: ChangeSetDocument): document is ZoneDocument {
  return document.kind === 'ComplianceZone';
}

export function isPolicyDocument(document: ChangeSetDocument): document is PolicyDocument {
  return !isTierDocument(document) && !isZoneDocument(document) && !isEncryptionDocument(document);
}

/** Every live document (the default tier is Calico's own and not one of them), sorted by key. */
export function liveDocuments(live: LiveObjects): ChangeSetDocument[] {
  const documents: ChangeSetDocument[] = [
    ...live.tiers.filter((t) => t.name !== DEFAULT_TIER.name).map(tierDocument),
    ...(live.encryption === null ? [] : [encryptionDocument(live.encryption)]),
    ...live.zones.map(zoneDocument),
    ...live.policies.map(policyDocument),
  ];
  return documents.sort((a, b) => exportOrder(a) - exportOrder(b) || compare(documentKey(a), documentKey(b)));
}

function exportOrder(document: ChangeSetDocument): number {
  if (isTierDocument(document)) return 0;
  if (isEncryptionDocument(document)) return 1;
  return isZoneDocument(document) ? 2 : 3;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The revision of a tenant's objects: equal objects, equal revision; any change moves it. */
export function revisionOf(live: LiveObjects): string {
  return sha256Hex(canonicalJson(liveDocuments(live)));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** One object of the input checked for shape; undefined (with issues) when it is unusable. */
function parseObject(raw: unknown, index: number, issues: ChangeSetIssue[]): ChangeSetDocument | undefined {
  const at = (path: string, message: string) => issues.push({ index, path, message });
  if (!isRecord(raw)) {
    at('', 'must be a mapping with apiVersion, kind, metadata and spec');
    return undefined;
  }
  const before = issues.length;
  for (const key of Object.keys(raw))
    if (!['apiVersion', 'kind', 'metadata', 'spec'].includes(key))
      at(key, 'unknown field (apiVersion, kind, metadata, spec)');
  const kind = raw.kind;
  if (typeof kind !== 'string' || !KINDS.includes(kind)) {
    at('kind', `must be one of ${KINDS.join(', ')}`);
    return undefined;
  }
  const apiVersion = kind === 'ComplianceZone' ? MESHPLANE_API_VERSION : CALICO_API_VERSION;
  if (raw.apiVersion !== apiVersion) at('apiVersion', `must be ${apiVersion} for a ${kind}`);
  const metadata = raw.metadata;
  if (!isRecord(metadata)) {
    at('metadata', 'must be a mapping with name (and namespace for a NetworkPolicy)');
    return undefined;
  }
  for (const key of Object.keys(metadata))
    if (!['name', 'namespace'].includes(key)) at(`metadata.${key}`, 'unknown field (name, namespace)');
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    at('metadata.name', 'required: a non-empty string');
    return undefined;
  }
  const namespace = metadata.namespace;
  if (namespace !== undefined && (typeof namespace !== 'string' || namespace === ''))
    at('metadata.namespace', 'must be a non-empty string');
  const spec = raw.spec ?? {};
  if (!isRecord(spec)) {
    at('spec', 'must be a mapping');
    return undefined;
  }
  if (kind === 'Tier') {
    if (namespace !== undefined) at('metadata.namespace', 'a Tier is cluster-scoped: no namespace');
    for (const key of Object.keys(spec))
      if (!['order', 'defaultAction'].includes(key))
        at(`spec.${key}`, 'unknown field (order, defaultAction)');
    const tier = { name, order: spec.order, defaultAction: spec.defaultAction ?? 'Deny' } as TierSpec;
    for (const issue of tierIssues(tier, 'spec'))
      at(issue.path === 'spec.name' ? 'metadata.name' : issue.path, issue.message);
    const reserved = reservedNameMessage(name);
    if (reserved !== undefined) at('metadata.name', reserved);
    if (issues.length > before) return undefined;
    return tierDocument({
      name,
      order: typeof spec.order === 'number' ? spec.order : null,
      defaultAction: tier.defaultAction as 'Deny' | 'Pass',
    });
  }
  if (kind === 'FelixConfiguration') {
    if (name !== ENCRYPTION_NAME)
      at(
        'metadata.name',
        `must be '${ENCRYPTION_NAME}': a change set holds the mesh-wide WireGuard settings (per-cluster ones are set with setEncryption)`,
      );
    if (namespace !== undefined)
      at('metadata.namespace', 'a FelixConfiguration is cluster-scoped: no namespace');
    for (const [key, value] of Object.entries(spec)) {
      const type = WIREGUARD_TYPES[key as WireguardField];
      if (type === undefined)
        at(
          `spec.${key}`,
          `unknown field (Meshplane sets the WireGuard fields: ${WIREGUARD_FIELDS.join(', ')})`,
        );
      else if (typeof value !== type) at(`spec.${key}`, `must be a ${type}`);
    }
    if (issues.length > before) return undefined;
    for (const issue of encryptionIssues(spec as WireguardSettings))
      at(issue.path.replace(/^input\./, 'spec.'), issue.message);
    if (issues.length > before) return undefined;
    return encryptionDocument(spec as WireguardSettings);
  }
  if (kind === 'ComplianceZone') {
    if (namespace !== undefined) at('metadata.namespace', 'a ComplianceZone is tenant-wide: no namespace');
    for (const key of Object.keys(spec))
      if (!['clusterSelector', 'isolation'].includes(key))
        at(`spec.${key}`, 'unknown field (clusterSelector, isolation)');
    if (typeof spec.clusterSelector !== 'string')
      at('spec.clusterSelector', "required: a selector of clusters (e.g. geo == 'eu')");
    const isolation = spec.isolation ?? {};
    if (!isRecord(isolation)) at('spec.isolation', 'must be a mapping with allowedZones');
    else {
      for (const key of Object.keys(isolation))
        if (key !== 'allowedZones') at(`spec.isolation.${key}`, 'unknown field (allowedZones)');
      const allowed = isolation.allowedZones ?? [];
      if (!Array.isArray(allowed) || allowed.some((z) => typeof z !== 'string'))
        at('spec.isolation.allowedZones', 'must be a list of zone names');
    }
    if (issues.length > before) return undefined;
    const allowedZones = ((isolation as { allowedZones?: string[] }).allowedZones ?? []).slice();
    return zoneDocument({ name, clusterSelector: spec.clusterSelector as string, allowedZones });
  }
  if (spec.staged !== undefined)
    at('spec.staged', 'a staged policy is kind StagedNetworkPolicy or StagedGlobalNetworkPolicy');
  if (issues.length > before) return undefined;
  return {
    apiVersion: CALICO_API_VERSION,
    kind,
    metadata: typeof namespace === 'string' ? { name, namespace } : { name },
    spec: spec,
  };
}

/** A zone checked against the zones the tenant will have (allowed zones must be among them). */
function checkedZone(
  document: ZoneDocument,
  index: number,
  zoneNames: ReadonlySet<string>,
  issues: ChangeSetIssue[],
): ZoneDocument | undefined {
  const others = new Set(zoneNames);
  others.delete(document.metadata.name);
  const found = zoneIssues(
    {
      name: document.metadata.name,
      clusterSelector: document.spec.clusterSelector,
      allowedZones: document.spec.isolation.allowedZones,
    },
    document.metadata.name,
    others,
  );
  for (const issue of found) {
    const path = issue.path === 'input.name' ? 'metadata.name' : issue.path.replace(/^input\./, 'spec.');
    issues.push({ index, path, message: issue.message });
  }
  return found.length > 0 ? undefined : document;
}

/**
 * A policy document's spec checked against the tiers it will have (issues at the document's own
 * paths) and put in stored form: canonical ports and protocols, Calico's defaults (`tier`,
 * `types`). Undefined when it has issues.
 */
function checkedPolicy(
  document: PolicyDocument,
  index: number,
  tiers: readonly TierSpec[],
  issues: ChangeSetIssue[],
): PolicyDocument | undefined {
  const { kind, staged } = POLICY_KINDS[document.kind]!;
  const spec = canonicalSpec(document.spec as unknown as PolicySpec);
  const resource = toCalicoPolicy(
    { kind, name: document.metadata.name, namespace: document.metadata.namespace ?? null },
    staged ? { ...spec, staged: true } : spec,
  );
  const found = policyIssues(resource, tiers);
  for (const issue of found) issues.push({ index, path: issue.path, message: issue.message });
  if (found.length > 0) return undefined;
  const { staged: _staged, ...stored } = withDefaults(spec) as StoredSpec & { staged?: boolean };
  return { ...document, spec: stored as Record<string, unknown> };
}

/**
 * The plan of a change set against the live objects. Objects given are created or updated
 * (unchanged when equal to the live one); with `prune`, live objects not given are deleted
 * (never the default tier). Every object is checked as it will be: a policy against the tiers
 * the tenant will have once the change set is applied.
 */
export function planChangeSet(
  objects: readonly unknown[],
  prune: boolean,
  live: LiveObjects,
): PlannedChangeSet {
  const issues: ChangeSetIssue[] = [];
  const parsed = objects.map((raw, index) => parseObject(raw, index, issues));
  const seen = new Map<string, number>();
  parsed.forEach((document, index) => {
    if (!document) return;
    const key = documentKey(document);
    const first = seen.get(key);
    if (first !== undefined)
      issues.push({ index, path: 'metadata.name', message: `the same object as object ${first} (${key})` });
    else seen.set(key, index);
  });
  const current = new Map(liveDocuments(live).map((document) => [documentKey(document), document]));
  const given = new Set(seen.keys());

  // The tiers once applied: the default tier, live tiers kept, tiers given.
  const tiers = new Map<string, TierSpec>([[DEFAULT_TIER.name, DEFAULT_TIER]]);
  for (const document of current.values())
    if (isTierDocument(document) && (!prune || given.has(documentKey(document))))
      tiers.set(document.metadata.name, { name: document.metadata.name, ...document.spec });
  for (const document of parsed)
    if (document && isTierDocument(document))
      tiers.set(document.metadata.name, { name: document.metadata.name, ...document.spec });

  // The zones once applied: live zones kept, zones given.
  const zoneNames = new Set<string>();
  for (const document of current.values())
    if (isZoneDocument(document) && (!prune || given.has(documentKey(document))))
      zoneNames.add(document.metadata.name);
  for (const document of parsed)
    if (document && isZoneDocument(document)) zoneNames.add(document.metadata.name);

  const desired = parsed.map((document, index) => {
    if (!document || isTierDocument(document) || isEncryptionDocument(document)) return document;
    if (isZoneDocument(document)) return checkedZone(document, index, zoneNames, issues);
    return checkedPolicy(document, index, [...tiers.values()], issues);
  });
  issues.sort((a, b) => a.index - b.index);

  const entries: ChangeSetEntry[] = [];
  const upserts: ChangeSetOperation[] = [];
  desired.forEach((after, index) => {
    if (!after || seen.get(documentKey(after)) !== index) return;
    const before = current.get(documentKey(after)) ?? null;
    const diff = jsonDiff(before ?? undefined, after);
    const action: ChangeSetAction = before === null ? 'create' : diff.length > 0 ? 'update' : 'unchanged';
    entries.push({ index, action, ...identityOf(after), diff });
    if (action !== 'unchanged') upserts.push({ action, before, after });
  });
  const deletes: ChangeSetOperation[] = [];
  if (prune)
    for (const [key, before] of current)
      if (!given.has(key)) {
        entries.push({
          index: null,
          action: 'delete',
          ...identityOf(before),
          diff: jsonDiff(before, undefined),
        });
        deletes.push({ action: 'delete', before, after: null });
      }
  const tierOf = (op: ChangeSetOperation) => isTierDocument((op.after ?? op.before)!);
  const operations = [
    ...upserts.filter(tierOf),
    ...deletes.filter((op) => !tierOf(op)),
    ...upserts.filter((op) => !tierOf(op)),
    ...deletes.filter(tierOf),
  ];

  const policies = new Map<string, LivePolicy>();
  for (const [key, document] of current)
    if (isPolicyDocument(document) && (!prune || given.has(key))) policies.set(key, policyOf(document));
  for (const document of desired)
    if (document && isPolicyDocument(document)) policies.set(documentKey(document), policyOf(document));
  return {
    issues,
    entries,
    operations,
    result: { tiers: [...tiers.values()], policies: [...policies.values()], zones: zoneNames.size },
    indexOf: (key) => seen.get(key),
  };
}

function identityOf(document: ChangeSetDocument): Pick<ChangeSetEntry, 'kind' | 'name' | 'namespace'> {
  return {
    kind: document.kind,
    name: document.metadata.name,
    namespace: 'namespace' in document.metadata ? (document.metadata.namespace ?? null) : null,
  };
}

/**
 * The plan's policy changes in the shape of telemetry's `whatIf(input: {changes})`: an upsert in
 * the CreatePolicyInput shape (`staged` in the spec) for each policy created or updated, a
 * remove for each deleted. Tier and zone changes have no what-if form and are left out.
 */
export function whatIfChanges(operations: readonly ChangeSetOperation[]): unknown[] {
  return operations.flatMap((op): unknown[] => {
    const document = (op.after ?? op.before)!;
    if (!isPolicyDocument(document)) return [];
    const policy = policyOf(document);
    const identity = {
      kind: policy.kind,
      name: policy.name,
      ...(policy.namespace === '' ? {} : { namespace: policy.namespace }),
    };
    if (op.action === 'delete') return [{ remove: { ...identity, staged: policy.staged } }];
    return [{ upsert: { ...identity, spec: policy.spec } }];
  });
}

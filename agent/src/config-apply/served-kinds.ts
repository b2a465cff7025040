import type { ConfigObject, ConfigOutcome } from '@meshplane/protocol';
import { MANAGED_KINDS, managedKindOf, refOf } from './managed-kinds.js';
import { outcome } from './sync-config.js';

const CALICO = 'projectcalico.org/v3';

/** What a cluster's API server serves, from API discovery, and the Calico release it runs. */
export interface ServedApi {
  /** `apiVersion` → the kinds served in it; a group version absent here is not served at all. */
  kinds: ReadonlyMap<string, ReadonlySet<string>>;
  /** `ClusterInformation` `default` `.spec.calicoVersion`, when readable. */
  calicoVersion?: string;
}

/** The release a kind first came with: Calico's for `projectcalico.org/v3`, Kubernetes' for the rest. */
export interface KindRequirement {
  apiVersion: string;
  kind: string;
  product: 'Calico' | 'Kubernetes';
  /** `major.minor`. */
  since: string;
}

/**
 * Where each kind Meshplane applies (and a few it reads) first appeared. Checked against Calico's
 * history (`api/pkg/apis/projectcalico/v3`): tiered policy came to open-source Calico with
 * "Add tiered policy support" (#9085, first in v3.29.0), the three staged policy kinds with "Add
 * staged policies" (#9746, first in v3.30.0). The other `projectcalico.org/v3` kinds are older
 * than Calico's API server, which serves the group to kubectl and the agent (GA in v3.20).
 */
export const KIND_REQUIREMENTS: readonly KindRequirement[] = [
  { apiVersion: CALICO, kind: 'Tier', product: 'Calico', since: '3.29' },
  { apiVersion: CALICO, kind: 'StagedGlobalNetworkPolicy', product: 'Calico', since: '3.30' },
  { apiVersion: CALICO, kind: 'StagedNetworkPolicy', product: 'Calico', since: '3.30' },
  { apiVersion: CALICO, kind: 'StagedKubernetesNetworkPolicy', product: 'Calico', since: '3.30' },
  { apiVersion: CALICO, kind: 'GlobalNetworkPolicy', product: 'Calico', since: '3.20' },
  { apiVersion: CALICO, kind: 'NetworkPolicy', product: 'Calico', since: '3.20' },
  { apiVersion: CALICO, kind: 'GlobalNetworkSet', product: 'Calico', since: '3.20' },
  { apiVersion: CALICO, kind: 'NetworkSet', product: 'Calico', since: '3.20' },
  { apiVersion: CALICO, kind: 'FelixConfiguration', product: 'Calico', since: '3.20' },
  { apiVersion: CALICO, kind: 'HostEndpoint', product: 'Calico', since: '3.20' },
  { apiVersion: CALICO, kind: 'ClusterInformation', product: 'Calico', since: '3.20' },
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', product: 'Kubernetes', since: '1.21' },
];

export function requirementOf(apiVersion: string, kind: string): KindRequirement | undefined {
  return KIND_REQUIREMENTS.find((r) => r.apiVersion === apiVersion && r.kind === kind);
}

/** The group versions whose discovery the check needs: those of the managed kinds. */
export function managedApiVersions(): string[] {
  return [...new Set(MANAGED_KINDS.map((kind) => kind.apiVersion))];
}

/** `v3.30.2` → [3, 30]; undefined when it does not start with `major.minor`. */
function majorMinor(version: string): [number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** Whether `version` is at least `since` (`major.minor`); false for a version that does not parse. */
export function isAtLeast(version: string, since: string): boolean {
  const have = majorMinor(version);
  const need = majorMinor(since);
  if (have === undefined || need === undefined) return false;
  return have[0] !== need[0] ? have[0] > need[0] : have[1] >= need[1];
}

/** The `projectcalico.org/v3` kinds a Calico release serves, as far as {@link KIND_REQUIREMENTS} knows. */
export function calicoKindsOf(calicoVersion: string): string[] {
  return KIND_REQUIREMENTS.filter((r) => r.product === 'Calico' && isAtLeast(calicoVersion, r.since))
    .map((r) => r.kind)
    .sort();
}

/** A `ServedApi` with the given Calico release's kinds, and every other managed group version's. */
export function servedApiOf(calicoVersion: string): ServedApi {
  const kinds = new Map<string, Set<string>>();
  for (const kind of MANAGED_KINDS) {
    if (kind.apiVersion === CALICO) continue;
    kinds.set(kind.apiVersion, (kinds.get(kind.apiVersion) ?? new Set()).add(kind.kind));
  }
  kinds.set(CALICO, new Set(calicoKindsOf(calicoVersion)));
  return { kinds, calicoVersion };
}

export interface MissingKind {
  apiVersion: string;
  kind: string;
  requirement?: KindRequirement;
}

/** The managed kinds `objects` use that `served` lacks, each once, in the order first used. */
export function missingKinds(objects: readonly ConfigObject[], served: ServedApi): MissingKind[] {
  const missing = new Map<string, MissingKind>();
  for (const object of objects) {
    if (managedKindOf(object) === undefined) continue; // refused per object by the apply itself
    if (served.kinds.get(object.apiVersion)?.has(object.kind)) continue;
    const key = `${object.apiVersion} ${object.kind}`;
    if (missing.has(key)) continue;
    const requirement = requirementOf(object.apiVersion, object.kind);
    missing.set(key, {
      apiVersion: object.apiVersion,
      kind: object.kind,
      ...(requirement ? { requirement } : {}),
    });
  }
  return [...missing.values()];
}

/**
 * Why a kind cannot be applied: `StagedNetworkPolicy (projectcalico.org/v3) is not served by this
 * cluster's API server; it needs Calico 3.30 or later (the cluster runs v3.29.2)`.
 */
export function missingKindMessage(missing: MissingKind, served: ServedApi): string {
  const what = `${missing.kind} (${missing.apiVersion}) is not served by this cluster's API server`;
  const groupAbsent = !served.kinds.has(missing.apiVersion);
  const requirement = missing.requirement;
  if (requirement === undefined)
    return `${what}${groupAbsent ? ` (no ${missing.apiVersion} API at all)` : ''}`;
  const needs = `it needs ${requirement.product} ${requirement.since} or later`;
  if (requirement.product !== 'Calico') return `${what}; ${needs}`;
  const runs =
    served.calicoVersion === undefined
      ? "the cluster's Calico version is unknown"
      : `the cluster runs Calico ${served.calicoVersion}`;
  const api = groupAbsent ? `; no ${missing.apiVersion} API is served at all (Calico's API server)` : '';
  return `${what}; ${needs} (${runs})${api}`;
}

/**
 * The answer to a bundle that uses kinds the cluster lacks: one failed outcome per object of a
 * missing kind, saying which kind, the release it needs, and that nothing of the bundle was applied.
 */
export function missingKindOutcomes(
  objects: readonly ConfigObject[],
  missing: readonly MissingKind[],
  served: ServedApi,
  version: number,
): ConfigOutcome[] {
  const messages = new Map(
    missing.map((m) => [
      `${m.apiVersion} ${m.kind}`,
      `${missingKindMessage(m, served)}; nothing of config version ${version} was applied`,
    ]),
  );
  const outcomes: ConfigOutcome[] = [];
  for (const object of objects) {
    const message = messages.get(`${object.apiVersion} ${object.kind}`);
    if (message !== undefined) outcomes.push(outcome(refOf(object), 'failed', message));
  }
  return outcomes;
}

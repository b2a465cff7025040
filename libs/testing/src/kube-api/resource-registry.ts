/** What the server knows about one resource type: enough for routing and for discovery. */
export interface ResourceDefinition {
  /** API group; `''` for the core group served under `/api`. */
  group: string;
  version: string;
  /** The URL segment, e.g. `pods`. */
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Field selector keys accepted besides `metadata.name` and `metadata.namespace`. */
  extraFieldSelectors?: string[];
  /**
   * Served from a CustomResourceDefinition. Lists of custom resources keep `apiVersion`/`kind` on
   * each item (built-in lists drop them), and strategic merge patch is refused for them.
   */
  customResource?: boolean;
  /** DELETE answers with the deleted object rather than a success `Status` (pods, namespaces). */
  returnsDeletedObject?: boolean;
}

const POD_FIELD_SELECTORS = [
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.schedulerName',
  'spec.serviceAccountName',
  'spec.hostNetwork',
  'status.phase',
  'status.podIP',
  'status.nominatedNodeName',
];

const core = (plural: string, kind: string, namespaced: boolean, shortNames?: string[]) =>
  resource('', 'v1', plural, kind, namespaced, shortNames);

const calico = (plural: string, kind: string, namespaced: boolean) =>
  resource('projectcalico.org', 'v3', plural, kind, namespaced);

function resource(
  group: string,
  version: string,
  plural: string,
  kind: string,
  namespaced: boolean,
  shortNames?: string[],
): ResourceDefinition {
  const definition: ResourceDefinition = {
    group,
    version,
    plural,
    singular: kind.toLowerCase(),
    kind,
    namespaced,
  };
  if (shortNames) definition.shortNames = shortNames;
  return definition;
}

const rbac = (plural: string, kind: string, namespaced: boolean) =>
  resource('rbac.authorization.k8s.io', 'v1', plural, kind, namespaced);

/** The resource types the agent reads and writes, and those its install manifest creates. */
export const DEFAULT_RESOURCES: readonly ResourceDefinition[] = [
  { ...core('namespaces', 'Namespace', false, ['ns']), returnsDeletedObject: true },
  {
    ...core('pods', 'Pod', true, ['po']),
    extraFieldSelectors: POD_FIELD_SELECTORS,
    returnsDeletedObject: true,
  },
  core('services', 'Service', true, ['svc']),
  core('nodes', 'Node', false, ['no']),
  core('serviceaccounts', 'ServiceAccount', true, ['sa']),
  core('configmaps', 'ConfigMap', true, ['cm']),
  core('secrets', 'Secret', true),
  resource('apps', 'v1', 'deployments', 'Deployment', true, ['deploy']),
  rbac('clusterroles', 'ClusterRole', false),
  rbac('clusterrolebindings', 'ClusterRoleBinding', false),
  rbac('roles', 'Role', true),
  rbac('rolebindings', 'RoleBinding', true),
  resource('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true),
  resource('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, ['netpol']),
  {
    ...resource('multicluster.x-k8s.io', 'v1alpha1', 'serviceexports', 'ServiceExport', true),
    customResource: true,
  },
  {
    ...resource('multicluster.x-k8s.io', 'v1alpha1', 'serviceimports', 'ServiceImport', true),
    customResource: true,
  },
  calico('tiers', 'Tier', false),
  calico('globalnetworkpolicies', 'GlobalNetworkPolicy', false),
  calico('networkpolicies', 'NetworkPolicy', true),
  calico('stagedglobalnetworkpolicies', 'StagedGlobalNetworkPolicy', false),
  calico('stagednetworkpolicies', 'StagedNetworkPolicy', true),
  calico('stagedkubernetesnetworkpolicies', 'StagedKubernetesNetworkPolicy', true),
  calico('globalnetworksets', 'GlobalNetworkSet', false),
  calico('networksets', 'NetworkSet', true),
  calico('hostendpoints', 'HostEndpoint', false),
  calico('felixconfigurations', 'FelixConfiguration', false),
  calico('clusterinformations', 'ClusterInformation', false),
];

export function groupVersionOf(definition: Pick<ResourceDefinition, 'group' | 'version'>): string {
  return definition.group ? `${definition.group}/${definition.version}` : definition.version;
}

/** Splits `apps/v1` into group and version; `v1` is the core group. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * Looks resource definitions up by URL segment or by kind. A withheld definition (by
 * {@link resourceId}) is not served at all — neither routed nor listed by discovery — as on a
 * cluster whose Calico predates it, until {@link serve} makes it appear.
 */
export class ResourceRegistry {
  private readonly known: ResourceDefinition[];
  private definitions: ResourceDefinition[];
  private readonly withheld: Set<string>;

  constructor(definitions: readonly ResourceDefinition[], withheld: readonly string[] = []) {
    this.known = [...definitions];
    const unknown = withheld.filter((id) => !this.known.some((d) => resourceId(d) === id));
    if (unknown.length > 0) throw new Error(`cannot withhold unknown resources: ${unknown.join(', ')}`);
    this.withheld = new Set(withheld);
    this.definitions = this.served();
  }

  /** Starts serving a withheld resource, e.g. `stagednetworkpolicies.projectcalico.org`. */
  serve(id: string): void {
    if (!this.withheld.delete(id)) throw new Error(`${id} is not withheld`);
    this.definitions = this.served();
  }

  all(): readonly ResourceDefinition[] {
    return this.definitions;
  }

  private served(): ResourceDefinition[] {
    return this.known.filter((d) => !this.withheld.has(resourceId(d)));
  }

  byPlural(group: string, version: string, plural: string): ResourceDefinition | undefined {
    return this.definitions.find((d) => d.group === group && d.version === version && d.plural === plural);
  }

  byKind(apiVersion: string, kind: string): ResourceDefinition | undefined {
    const { group, version } = parseApiVersion(apiVersion);
    return this.definitions.find((d) => d.group === group && d.version === version && d.kind === kind);
  }

  inGroupVersion(group: string, version: string): ResourceDefinition[] {
    return this.definitions.filter((d) => d.group === group && d.version === version);
  }

  /** Every non-core group with its versions, in registration order. */
  groups(): { name: string; versions: string[] }[] {
    const groups = new Map<string, string[]>();
    for (const d of this.definitions) {
      if (!d.group) continue;
      const versions = groups.get(d.group) ?? [];
      if (!versions.includes(d.version)) versions.push(d.version);
      groups.set(d.group, versions);
    }
    return [...groups].map(([name, versions]) => ({ name, versions }));
  }
}

/** `pods` or `tiers.projectcalico.org`: how the request log names a resource. */
export function resourceId(definition: Pick<ResourceDefinition, 'group' | 'plural'>): string {
  return definition.group ? `${definition.plural}.${definition.group}` : definition.plural;
}

import { groupVersionOf, type ResourceDefinition, type ResourceRegistry } from './resource-registry.js';

export const RESOURCE_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** `/version`: what `VersionApi.getCode` reads. */
export function versionInfo(gitVersion: string): Record<string, string> {
  const match = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: match?.[1] ?? '1',
    minor: match?.[2] ?? '0',
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-08-13T07:28:49Z',
    goVersion: 'go1.22.5',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** `/api`: the legacy core group's versions. */
export function coreApiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(name: string, versions: string[]): Record<string, unknown> {
  const groupVersions = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: groupVersions, preferredVersion: groupVersions[0] };
}

/** `/apis`: every named group. */
export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().map((g) => apiGroup(g.name, g.versions)),
  };
}

/** `/apis/{group}`, or undefined when the group is not served. */
export function apiGroupDocument(
  registry: ResourceRegistry,
  name: string,
): Record<string, unknown> | undefined {
  const group = registry.groups().find((g) => g.name === name);
  return group && { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group.name, group.versions) };
}

function apiResource(definition: ResourceDefinition): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    name: definition.plural,
    singularName: definition.singular,
    namespaced: definition.namespaced,
    kind: definition.kind,
    verbs: RESOURCE_VERBS,
  };
  if (definition.shortNames) entry.shortNames = definition.shortNames;
  return entry;
}

/** `/api/v1` or `/apis/{group}/{version}`: the APIResourceList `KubernetesObjectApi` resolves kinds with. */
export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const definitions = registry.inGroupVersion(group, version);
  if (definitions.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersionOf({ group, version }),
    resources: definitions.map(apiResource),
  };
}

import type { ResourceDefinition, ResourceRegistry } from './resource-registry.js';

/** What a URL path addresses. */
export type Route =
  | { kind: 'version' }
  | { kind: 'health' }
  | { kind: 'core-versions' }
  | { kind: 'groups' }
  | { kind: 'group'; group: string }
  | { kind: 'resources'; group: string; version: string }
  | { kind: 'openapi-v2' }
  /** `/openapi/v3` (the index) when `path` is absent, else one group-version: `apis/apps/v1`. */
  | { kind: 'openapi-v3'; path?: string }
  | { kind: 'collection'; definition: ResourceDefinition; namespace?: string }
  | { kind: 'object'; definition: ResourceDefinition; namespace?: string; name: string }
  | { kind: 'unknown' };

const UNKNOWN: Route = { kind: 'unknown' };

function segmentsOf(path: string): string[] | undefined {
  try {
    return path
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

/**
 * Resolves the part after `/api/v1` or `/apis/{group}/{version}`:
 * `{plural}`, `{plural}/{name}` (cluster-scoped), `namespaces/{ns}/{plural}` and
 * `namespaces/{ns}/{plural}/{name}`. `{plural}` alone on a namespaced resource lists all namespaces.
 */
function resourceRoute(registry: ResourceRegistry, group: string, version: string, rest: string[]): Route {
  const find = (plural: string) => registry.byPlural(group, version, plural);
  const [first, second, third, fourth] = rest;
  if (rest.length === 0) return { kind: 'resources', group, version };
  if (first === 'namespaces' && rest.length >= 3) {
    const definition = find(third!);
    if (!definition?.namespaced || rest.length > 4) return UNKNOWN;
    const namespace = second!;
    return rest.length === 3
      ? { kind: 'collection', definition, namespace }
      : { kind: 'object', definition, namespace, name: fourth! };
  }
  const definition = find(first!);
  if (!definition || rest.length > 2) return UNKNOWN;
  if (rest.length === 1) return { kind: 'collection', definition };
  return definition.namespaced ? UNKNOWN : { kind: 'object', definition, name: second! };
}

export function routeRequest(registry: ResourceRegistry, path: string): Route {
  const segments = segmentsOf(path);
  if (!segments) return UNKNOWN;
  const [root, ...rest] = segments;
  if (segments.length === 1 && root === 'version') return { kind: 'version' };
  if (segments.length === 1 && (root === 'healthz' || root === 'livez' || root === 'readyz'))
    return { kind: 'health' };
  if (root === 'openapi') {
    if (segments.length === 2 && rest[0] === 'v2') return { kind: 'openapi-v2' };
    if (rest[0] === 'v3')
      return rest.length === 1
        ? { kind: 'openapi-v3' }
        : { kind: 'openapi-v3', path: rest.slice(1).join('/') };
    return UNKNOWN;
  }
  if (root === 'api') {
    if (rest.length === 0) return { kind: 'core-versions' };
    return rest[0] === 'v1' ? resourceRoute(registry, '', 'v1', rest.slice(1)) : UNKNOWN;
  }
  if (root === 'apis') {
    if (rest.length === 0) return { kind: 'groups' };
    if (rest.length === 1) return { kind: 'group', group: rest[0]! };
    return resourceRoute(registry, rest[0]!, rest[1]!, rest.slice(2));
  }
  return UNKNOWN;
}

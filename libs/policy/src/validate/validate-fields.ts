import type { IssueCollector } from './validation-issue.js';

/**
 * The fields of each object of a policy that Meshplane models. Anything else is refused rather
 * than dropped: a field the evaluator and compiler ignored would be enforced by nobody, or by
 * Calico differently from what Meshplane shows.
 */
export const KNOWN_FIELDS = {
  spec: [
    'tier',
    'order',
    'selector',
    'serviceAccountSelector',
    'namespaceSelector',
    'types',
    'ingress',
    'egress',
    'clusterSelector',
    'staged',
  ],
  rule: [
    'action',
    'ipVersion',
    'protocol',
    'notProtocol',
    'icmp',
    'notICMP',
    'source',
    'destination',
    'http',
    'metadata',
  ],
  entityRule: [
    'nets',
    'notNets',
    'selector',
    'notSelector',
    'namespaceSelector',
    'ports',
    'notPorts',
    'serviceAccounts',
    'services',
  ],
  icmp: ['type', 'code'],
  serviceAccounts: ['names', 'selector'],
  services: ['name', 'namespace'],
  http: ['methods', 'paths'],
  httpPath: ['exact', 'prefix'],
  ruleMetadata: ['annotations'],
} as const satisfies Record<string, readonly string[]>;

export type FieldSet = keyof typeof KNOWN_FIELDS;

const SETS = new Map(
  Object.entries(KNOWN_FIELDS).map(([name, fields]) => [name, new Set<string>(fields)] as const),
);

/**
 * GlobalNetworkPolicy fields for host endpoints that Meshplane does not model. `false` is
 * Calico's default and changes nothing, so it is accepted; anything else is refused.
 */
export const HOST_ENDPOINT_FIELDS = ['preDNAT', 'doNotTrack', 'applyOnForward'] as const;

const HOST_ENDPOINT_MESSAGE =
  "host endpoint policy fields preDNAT/doNotTrack/applyOnForward are not supported: Meshplane does not model host endpoints' pre-DNAT or untracked traffic";

/** Reports each field of `value` outside `set` (paths `${path}.${field}`); false if not an object. */
export function checkFields(issues: IssueCollector, path: string, value: unknown, set: FieldSet): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    issues.add(path, 'must be an object');
    return false;
  }
  const known = SETS.get(set)!;
  for (const field of Object.keys(value)) {
    if (known.has(field)) continue;
    if (set === 'spec' && (HOST_ENDPOINT_FIELDS as readonly string[]).includes(field)) {
      if ((value as Record<string, unknown>)[field] !== false)
        issues.add(`${path}.${field}`, HOST_ENDPOINT_MESSAGE);
      continue;
    }
    issues.add(
      `${path}.${field}`,
      `unknown field "${field}": Meshplane refuses fields it does not model rather than ignore them`,
    );
  }
  return true;
}

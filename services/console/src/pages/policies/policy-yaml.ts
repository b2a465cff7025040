import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, stringify } from 'yaml';
import type { CreatePolicyInput, PolicyKind, PolicySpecInput, SpecFieldsFragment } from '../../api/generated';

/**
 * The policy editor's text: a Calico `projectcalico.org/v3` resource in YAML (Calico's kinds,
 * `StagedNetworkPolicy` / `StagedGlobalNetworkPolicy` for staged ones), whose spec also takes
 * Meshplane's `clusterSelector`. It turns into the API's CreatePolicyInput; a problem, whether the
 * YAML's own or one the API reports with a field path, is placed on the line of that field.
 */

export const API_VERSION = 'projectcalico.org/v3';
/** Most characters the editor sends (a policy of 1024 rules each way fits). */
export const MAX_POLICY_YAML = 512 * 1024;

const KINDS: Record<string, { kind: PolicyKind; staged: boolean }> = {
  NetworkPolicy: { kind: 'NetworkPolicy', staged: false },
  GlobalNetworkPolicy: { kind: 'GlobalNetworkPolicy', staged: false },
  StagedNetworkPolicy: { kind: 'NetworkPolicy', staged: true },
  StagedGlobalNetworkPolicy: { kind: 'GlobalNetworkPolicy', staged: true },
};

/** A problem of the editor's text, at a line (1-based); `field` is the YAML path, when known. */
export interface EditorProblem {
  readonly line: number;
  readonly field?: string;
  readonly message: string;
}

/** The text as an API input, or why it is not one yet. */
export type ParsedPolicy =
  | { readonly ok: true; readonly input: CreatePolicyInput; readonly staged: boolean }
  | { readonly ok: false; readonly problems: readonly EditorProblem[] };

/** The Calico kind a stored policy is written as. */
export function calicoKind(kind: PolicyKind, staged: boolean): string {
  return staged ? `Staged${kind}` : kind;
}

/** Drops nulls and empty lists (the API's "not given"), and writes numeric ports as numbers. */
function compact(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => compact(item));
    return key === 'ports' || key === 'notPorts' ? items.map(portOf) : items;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [inner, field] of Object.entries(value)) {
      if (field === null || field === undefined || inner === '__typename') continue;
      out[inner] = compact(field, inner);
    }
    return out;
  }
  return value;
}

const portOf = (port: unknown) => (typeof port === 'string' && /^\d{1,5}$/.test(port) ? Number(port) : port);

/** The spec's fields in the order the editor writes them (Calico's, Meshplane's clusterSelector after the selectors). */
const SPEC_ORDER = [
  'tier',
  'order',
  'selector',
  'namespaceSelector',
  'serviceAccountSelector',
  'clusterSelector',
  'types',
  'ingress',
  'egress',
];

/** A policy as the editor shows it (spec in SPEC_ORDER, then anything else; `staged` is the kind). */
export function policyToYaml(policy: {
  kind: PolicyKind;
  name: string;
  namespace?: string | null;
  staged: boolean;
  spec: SpecFieldsFragment | Record<string, unknown>;
}): string {
  const { staged: _staged, ...given } = compact(policy.spec) as Record<string, unknown>;
  const keys = [
    ...SPEC_ORDER.filter((key) => key in given),
    ...Object.keys(given).filter((key) => !SPEC_ORDER.includes(key)),
  ];
  const spec = Object.fromEntries(keys.map((key) => [key, given[key]]));
  const metadata: Record<string, unknown> = { name: policy.name };
  if (policy.namespace) metadata.namespace = policy.namespace;
  return stringify(
    { apiVersion: API_VERSION, kind: calicoKind(policy.kind, policy.staged), metadata, spec },
    { lineWidth: 0 },
  );
}

/** A recommendation's CreatePolicyInput (JSON) as the editor shows it. */
export function inputToYaml(input: unknown): string {
  const value = (input ?? {}) as {
    kind?: PolicyKind;
    name?: string;
    namespace?: string | null;
    spec?: object;
  };
  const spec = (value.spec ?? {}) as Record<string, unknown>;
  return policyToYaml({
    kind: value.kind ?? 'NetworkPolicy',
    name: value.name ?? '',
    namespace: value.namespace,
    staged: spec.staged === true,
    spec,
  });
}

/** Calico's int-or-string fields go to the API as strings (`ports: [80]` → `["80"]`). */
function specInput(spec: Record<string, unknown>): PolicySpecInput {
  const rules = (rules: unknown) =>
    Array.isArray(rules)
      ? rules.map((rule) => {
          if (rule === null || typeof rule !== 'object') return rule;
          const out: Record<string, unknown> = { ...rule };
          for (const key of ['protocol', 'notProtocol'])
            if (typeof out[key] === 'number') out[key] = String(out[key]);
          for (const side of ['source', 'destination']) {
            const entity = out[side];
            if (entity === null || typeof entity !== 'object') continue;
            const e: Record<string, unknown> = { ...entity };
            for (const key of ['ports', 'notPorts'])
              if (Array.isArray(e[key]))
                e[key] = (e[key] as unknown[]).map((p) => (typeof p === 'number' ? String(p) : p));
            out[side] = e;
          }
          return out;
        })
      : rules;
  const out: Record<string, unknown> = { ...spec };
  if ('ingress' in out) out.ingress = rules(out.ingress);
  if ('egress' in out) out.egress = rules(out.egress);
  return out as PolicySpecInput;
}

function parse(text: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  return { doc, lineOf: (offset: number) => lineCounter.linePos(offset).line };
}

/** Parses the editor's text; YAML errors and a wrong resource shape come back at their lines. */
export function parsePolicyYaml(text: string): ParsedPolicy {
  if (text.length > MAX_POLICY_YAML)
    return {
      ok: false,
      problems: [{ line: 1, message: `the policy is longer than ${MAX_POLICY_YAML} characters` }],
    };
  const { doc, lineOf } = parse(text);
  if (doc.errors.length > 0)
    return {
      ok: false,
      problems: doc.errors.map((error) => ({ line: lineOf(error.pos[0]), message: error.message })),
    };
  const problems: EditorProblem[] = [];
  const at = (path: readonly (string | number)[], message: string) =>
    problems.push({ line: lineOfPath(doc, lineOf, path), field: path.join('.'), message });
  const value = doc.toJS({ maxAliasCount: 10 }) as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      problems: [
        { line: 1, message: 'the policy must be a YAML mapping (apiVersion, kind, metadata, spec)' },
      ],
    };
  }
  const resource = value as Record<string, unknown>;
  for (const key of Object.keys(resource))
    if (!['apiVersion', 'kind', 'metadata', 'spec'].includes(key))
      at([key], 'unknown field (apiVersion, kind, metadata, spec)');
  if (resource.apiVersion !== API_VERSION) at(['apiVersion'], `must be ${API_VERSION}`);
  const kind = typeof resource.kind === 'string' ? KINDS[resource.kind] : undefined;
  if (!kind) at(['kind'], `must be one of ${Object.keys(KINDS).join(', ')}`);
  const metadata = (resource.metadata ?? {}) as Record<string, unknown>;
  if (typeof metadata !== 'object' || Array.isArray(metadata)) at(['metadata'], 'must be a mapping');
  else {
    for (const key of Object.keys(metadata))
      if (!['name', 'namespace'].includes(key)) at(['metadata', key], 'unknown field (name, namespace)');
    if (typeof metadata.name !== 'string' || metadata.name === '') at(['metadata', 'name'], 'required');
    if (metadata.namespace !== undefined && typeof metadata.namespace !== 'string')
      at(['metadata', 'namespace'], 'must be a string');
  }
  const spec = resource.spec ?? {};
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) at(['spec'], 'must be a mapping');
  else if ('staged' in spec)
    at(['spec', 'staged'], 'a staged policy is kind StagedNetworkPolicy or StagedGlobalNetworkPolicy');
  if (problems.length > 0 || !kind) return { ok: false, problems };
  const input: CreatePolicyInput = {
    kind: kind.kind,
    name: metadata.name as string,
    spec: specInput(spec as Record<string, unknown>),
  };
  if (typeof metadata.namespace === 'string') input.namespace = metadata.namespace;
  return { ok: true, input, staged: kind.staged };
}

/**
 * The YAML path of a field path the API reports: `input.spec.ingress[0].action`,
 * `input.changes.0.upsert.spec.tier` (what-if), `input.name` → `metadata.name`.
 */
export function yamlPathOf(field: string): (string | number)[] {
  const bare = field.replace(/^input\.changes\.\d+\.upsert\./, '').replace(/^input\./, '');
  const path: (string | number)[] = bare
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((segment) => segment !== '')
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  if (path[0] === 'name' || path[0] === 'namespace') return ['metadata', ...path];
  return path;
}

/**
 * The line of a path in the document: the key's line for a mapping entry, the item's for a list
 * item; where the path goes further than the text (a missing field), the line of what exists.
 */
function lineOfPath(
  doc: Document,
  lineOf: (offset: number) => number,
  path: readonly (string | number)[],
): number {
  let node: unknown = doc.contents;
  let line = 1;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      const key = pair.key as { range?: [number, number, number] };
      if (key.range) line = lineOf(key.range[0]);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as { range?: [number, number, number] } | undefined;
      if (!item) break;
      if (item.range) line = lineOf(item.range[0]);
      node = item;
    } else break;
  }
  return line;
}

/** Places the API's problems (`{ field, message }`) on the lines of their fields in `text`. */
export function placeProblems(
  text: string,
  problems: readonly { field?: string; message: string }[],
): EditorProblem[] {
  const { doc, lineOf } = parse(text);
  return problems.map(({ field, message }) => {
    if (field === undefined) return { line: 1, message };
    const path = yamlPathOf(field);
    const shown = message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
    return { line: lineOfPath(doc, lineOf, path), field: path.join('.'), message: shown };
  });
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type Options, type SchemaObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

/**
 * Validates Calico `projectcalico.org/v3` objects against the CRDs Calico publishes
 * (vendored unchanged in `libs/testing/schemas/calico/`, with the upstream commit noted there).
 * For tests: this reads files.
 *
 * Beyond the OpenAPI schema the checks are the ones the API server would do anyway:
 * - unknown fields are rejected (a CRD would silently prune them, hiding e.g. a leaked Meshplane
 *   field), by closing every object schema that lists properties and does not preserve unknowns;
 * - metadata: a DNS-1123 subdomain name, a namespace exactly when the kind is namespaced, and
 *   Kubernetes-valid label keys and values.
 * CEL rules (`x-kubernetes-validations`) are not run; the ones that matter for policies (no
 * `global()` outside namespaceSelector, ICMP code needs a type...) are checked by `@meshplane/policy`.
 */
export interface CalicoSchemas {
  /** The kinds loaded, e.g. `GlobalNetworkPolicy`. */
  readonly kinds: readonly string[];
  /** Every problem found; empty when the object is valid. */
  validate(object: unknown): string[];
}

/** `libs/testing/schemas/calico` (this file is `libs/testing/src/`), or `$MESHPLANE_CALICO_SCHEMAS`. */
export function defaultCalicoSchemaDir(): string {
  return process.env.MESHPLANE_CALICO_SCHEMAS ?? path.resolve(import.meta.dirname, '../schemas/calico');
}

interface LoadedKind {
  readonly namespaced: boolean;
  readonly validate: ValidateFunction;
}

interface CustomResourceDefinition {
  readonly spec: {
    readonly group: string;
    readonly scope: 'Namespaced' | 'Cluster';
    readonly names: { readonly kind: string };
    readonly versions: readonly {
      readonly name: string;
      readonly schema: { readonly openAPIV3Schema: SchemaObject };
    }[];
  };
}

/** One vendored CRD's v3 version: what the API server serves and validates for that kind. */
export interface CalicoCrd {
  readonly group: string;
  readonly version: 'v3';
  readonly kind: string;
  readonly namespaced: boolean;
  readonly schema: SchemaObject;
}

/** Reads the vendored Calico CRDs (their `v3` versions), sorted by file name. */
export function readCalicoCrds(dir = defaultCalicoSchemaDir()): CalicoCrd[] {
  if (!existsSync(dir)) {
    throw new Error(
      `Calico CRD schemas not found at ${dir}: the repository ships them in libs/testing/schemas/calico (or set MESHPLANE_CALICO_SCHEMAS)`,
    );
  }
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .flatMap((file) => {
      const crd = parseYaml(readFileSync(path.join(dir, file), 'utf8')) as CustomResourceDefinition;
      const version = crd.spec.versions.find((candidate) => candidate.name === 'v3');
      if (version === undefined) return [];
      return [
        {
          group: crd.spec.group,
          version: 'v3' as const,
          kind: crd.spec.names.kind,
          namespaced: crd.spec.scope === 'Namespaced',
          schema: version.schema.openAPIV3Schema,
        },
      ];
    });
}

export function loadCalicoSchemas(dir = defaultCalicoSchemaDir()): CalicoSchemas {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    code: { regExp: goRegExp },
  });
  for (const keyword of KUBERNETES_KEYWORDS) ajv.addKeyword(keyword);
  addFormats(ajv);

  const kinds = new Map<string, LoadedKind>();
  for (const crd of readCalicoCrds(dir)) {
    kinds.set(crd.kind, {
      namespaced: crd.namespaced,
      validate: ajv.compile(closeObjects(crd.schema) as SchemaObject),
    });
  }

  return {
    kinds: [...kinds.keys()],
    validate(object) {
      if (object === null || typeof object !== 'object') return ['not an object'];
      const { apiVersion, kind, metadata } = object as Record<string, unknown>;
      if (apiVersion !== 'projectcalico.org/v3')
        return [`apiVersion ${String(apiVersion)} is not projectcalico.org/v3`];
      const loaded = typeof kind === 'string' ? kinds.get(kind) : undefined;
      if (loaded === undefined) return [`unknown kind ${String(kind)}`];
      const problems = loaded.validate(object) ? [] : (loaded.validate.errors ?? []).map(describeError);
      return [...problems, ...metadataProblems(metadata, loaded.namespaced)];
    },
  };
}

/** Kubernetes' OpenAPI extensions: annotations to Ajv, checked (where it matters) elsewhere. */
const KUBERNETES_KEYWORDS = [
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
];

/** ajv-formats is CommonJS: depending on the loader its default import is the plugin or its module. */
const addFormats: (ajv: Ajv) => unknown =
  'default' in addFormatsModule
    ? addFormatsModule.default
    : (addFormatsModule as unknown as (ajv: Ajv) => unknown);

/**
 * Go regular expressions in JavaScript: a leading inline `(?i)` (possibly after `^`) becomes the
 * `i` flag. Any other inline flag is refused rather than silently dropped.
 */
export function translateGoPattern(pattern: string): { source: string; flags: string } {
  const match = /^(\^?)\(\?i\)/.exec(pattern);
  const source = match === null ? pattern : `${match[1]}${pattern.slice(match[0].length)}`;
  if (/\(\?[a-zA-Z]+[):]/.test(source)) throw new Error(`unsupported inline flag in pattern ${pattern}`);
  return { source, flags: match === null ? '' : 'i' };
}

type RegExpEngine = NonNullable<NonNullable<Options['code']>['regExp']>;

const goRegExp: RegExpEngine = Object.assign(
  (pattern: string, u: string) => {
    const { source, flags } = translateGoPattern(pattern);
    return new RegExp(source, `${u}${flags}`);
  },
  { code: 'goRegExp' },
);

/** Copies the schema, adding `additionalProperties: false` wherever Kubernetes would prune unknowns. */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // `properties` and `x-kubernetes-*` values are maps of names, not schemas to close themselves.
    out[key] =
      key === 'properties'
        ? mapValues(value, closeObjects)
        : key.startsWith('x-')
          ? value
          : closeObjects(value);
  }
  if (
    out.properties !== undefined &&
    out.additionalProperties === undefined &&
    out['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    out.additionalProperties = false;
  }
  return out;
}

function mapValues(value: unknown, map: (inner: unknown) => unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, map(inner)]));
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(root)' : error.instancePath;
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (${String((error.params as { additionalProperty: string }).additionalProperty)})`
      : '';
  return `${where}: ${error.message ?? error.keyword}${extra}`;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function metadataProblems(metadata: unknown, namespaced: boolean): string[] {
  if (metadata === null || typeof metadata !== 'object') return ['/metadata: must be an object'];
  const { name, namespace, labels } = metadata as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof name !== 'string' || name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    problems.push(`/metadata/name: ${String(name)} is not a DNS-1123 subdomain`);
  }
  if (namespaced && (typeof namespace !== 'string' || namespace.length > 63 || !DNS_LABEL.test(namespace))) {
    problems.push(`/metadata/namespace: a namespaced kind needs a valid namespace, got ${String(namespace)}`);
  }
  if (!namespaced && namespace !== undefined)
    problems.push('/metadata/namespace: not allowed on a cluster-scoped kind');
  if (labels !== undefined) {
    if (labels === null || typeof labels !== 'object')
      return [...problems, '/metadata/labels: must be an object'];
    for (const [key, value] of Object.entries(labels)) {
      if (!isLabelKey(key)) problems.push(`/metadata/labels: invalid key ${key}`);
      if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
        problems.push(`/metadata/labels/${key}: invalid value ${String(value)}`);
      }
    }
  }
  return problems;
}

function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (name.length > 63 || !LABEL_NAME.test(name)) return false;
  return prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix));
}

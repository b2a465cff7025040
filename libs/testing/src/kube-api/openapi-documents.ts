import { createHash } from 'node:crypto';
import {
  buildSchemaTable,
  type OpenApiSchema,
  reachableSchemas,
  type SchemaTable,
} from './openapi-schemas.js';
import { groupVersionOf, type ResourceDefinition, type ResourceRegistry } from './resource-registry.js';

const PATCH_TYPES_ALWAYS = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
];
const STRATEGIC_MERGE = 'application/strategic-merge-patch+json';

const queryParameter = (name: string, description: string) => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string', uniqueItems: true },
});

const WRITE_PARAMETERS = [
  queryParameter('fieldManager', 'The name of the actor making the change.'),
  queryParameter(
    'fieldValidation',
    'Ignore, Warn or Strict: what to do with fields the schema does not declare (Strict refuses them).',
  ),
];

/** `api/v1` or `apis/apps/v1`: how `/openapi/v3` names a group-version. */
function groupVersionPath(definition: Pick<ResourceDefinition, 'group' | 'version'>): string {
  return definition.group ? `apis/${definition.group}/${definition.version}` : `api/${definition.version}`;
}

/**
 * The OpenAPI documents the real API server publishes, for the kinds this server serves:
 * `/openapi/v3` (the index of group-versions, each with a content hash), `/openapi/v3/<gv>` and
 * `/openapi/v2` (JSON only: protobuf is not spoken here). kubectl reads v3 to decide that the server
 * validates fields itself (`fieldValidation` on PATCH) and which kinds take strategic merge patches.
 */
export class OpenApiDocuments {
  private table: SchemaTable | undefined;
  private readonly v3 = new Map<string, { document: Record<string, unknown>; hash: string }>();
  private v2Document: Record<string, unknown> | undefined;

  constructor(private readonly registry: ResourceRegistry) {}

  /** The schema table, built on first use (and again after the registry changes). */
  schemas(): SchemaTable {
    this.table ??= buildSchemaTable(this.registry.all());
    return this.table;
  }

  /** Forgets what was built, after `serveResource` changed what is served. */
  invalidate(): void {
    this.table = undefined;
    this.v3.clear();
    this.v2Document = undefined;
  }

  v3Index(): Record<string, unknown> {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const path of this.groupVersionPaths()) {
      paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${this.v3Entry(path)!.hash}` };
    }
    return { paths };
  }

  /** The document of one group-version (`apis/apps/v1`), or undefined when none is served. */
  v3GroupVersion(path: string): { document: Record<string, unknown>; hash: string } | undefined {
    return this.groupVersionPaths().includes(path) ? this.v3Entry(path) : undefined;
  }

  v2(): Record<string, unknown> {
    if (this.v2Document) return this.v2Document;
    const table = this.schemas();
    const definitions: Record<string, OpenApiSchema> = {};
    for (const [name, schema] of table.schemas) definitions[name] = v2Refs(schema) as OpenApiSchema;
    const paths: Record<string, unknown> = {};
    for (const definition of this.registry.all()) {
      for (const [path, item] of Object.entries(resourcePaths(definition, table.nameOf(definition)))) {
        paths[path] = v2PathItem(item);
      }
    }
    this.v2Document = {
      swagger: '2.0',
      info: { title: 'Kubernetes', version: 'meshplane-test' },
      paths,
      definitions,
    };
    return this.v2Document;
  }

  private groupVersionPaths(): string[] {
    return [...new Set(this.registry.all().map(groupVersionPath))];
  }

  private v3Entry(path: string): { document: Record<string, unknown>; hash: string } | undefined {
    const cached = this.v3.get(path);
    if (cached) return cached;
    const definitions = this.registry.all().filter((definition) => groupVersionPath(definition) === path);
    if (definitions.length === 0) return undefined;
    const table = this.schemas();
    const paths: Record<string, unknown> = {};
    for (const definition of definitions) {
      Object.assign(paths, resourcePaths(definition, table.nameOf(definition)));
    }
    const schemas = Object.fromEntries(
      reachableSchemas(
        table,
        definitions.map((definition) => table.nameOf(definition)),
      ),
    );
    const document = {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: 'meshplane-test' },
      paths,
      components: { schemas },
    };
    const hash = createHash('sha512').update(JSON.stringify(document)).digest('hex').toUpperCase();
    const entry = { document, hash };
    this.v3.set(path, entry);
    return entry;
  }
}

/** The collection and object paths of one resource, as OpenAPI v3 path items. */
function resourcePaths(definition: ResourceDefinition, schemaName: string): Record<string, unknown> {
  const base = definition.group
    ? `/apis/${definition.group}/${definition.version}`
    : `/api/${definition.version}`;
  const scoped = definition.namespaced
    ? `${base}/namespaces/{namespace}/${definition.plural}`
    : `${base}/${definition.plural}`;
  const gvk = { group: definition.group, version: definition.version, kind: definition.kind };
  const ref = { $ref: `#/components/schemas/${schemaName}` };
  const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
  const operation = (action: string, verb: string, extra: Record<string, unknown> = {}) => ({
    operationId: `${verb}${groupVersionOf(definition).replace(/[^a-zA-Z0-9]/g, '')}${definition.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    responses: { '200': { description: 'OK', ...json(action === 'list' ? { type: 'object' } : ref) } },
    ...extra,
  });
  const patchTypes = definition.customResource
    ? PATCH_TYPES_ALWAYS
    : [...PATCH_TYPES_ALWAYS, STRATEGIC_MERGE];
  const patchBody = Object.fromEntries(patchTypes.map((type) => [type, { schema: { type: 'object' } }]));
  const paths: Record<string, unknown> = {
    [scoped]: {
      get: operation('list', 'list'),
      post: operation('post', 'create', {
        parameters: WRITE_PARAMETERS,
        requestBody: { required: true, content: { '*/*': { schema: ref } } },
      }),
    },
    [`${scoped}/{name}`]: {
      get: operation('get', 'read'),
      put: operation('put', 'replace', {
        parameters: WRITE_PARAMETERS,
        requestBody: { required: true, content: { '*/*': { schema: ref } } },
      }),
      patch: operation('patch', 'patch', {
        parameters: [
          ...WRITE_PARAMETERS,
          queryParameter('force', 'Force an apply patch to take conflicting fields.'),
        ],
        requestBody: { required: true, content: patchBody },
      }),
      delete: operation('delete', 'delete'),
    },
  };
  if (definition.namespaced) paths[`${base}/${definition.plural}`] = { get: operation('list', 'listAll') };
  return paths;
}

/** A v3 path item in Swagger 2.0's shape: parameters typed inline, request bodies as `in: body`. */
function v2PathItem(item: unknown): Record<string, unknown> {
  const converted: Record<string, unknown> = {};
  for (const [method, value] of Object.entries(item as Record<string, Record<string, unknown>>)) {
    const { requestBody, parameters, responses: _responses, ...rest } = value;
    const body = requestBody as { content: Record<string, { schema: unknown }> } | undefined;
    const schemas = body && Object.values(body.content);
    converted[method] = v2Refs({
      ...rest,
      ...(body ? { consumes: Object.keys(body.content) } : {}),
      parameters: [
        ...((parameters as { name: string; in: string; description: string }[] | undefined) ?? []).map(
          (parameter) => ({ ...parameter, schema: undefined, type: 'string', uniqueItems: true }),
        ),
        ...(schemas ? [{ name: 'body', in: 'body', required: true, schema: schemas[0]!.schema }] : []),
      ],
      responses: { '200': { description: 'OK' } },
    });
  }
  return converted;
}

function v2Refs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(v2Refs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, nested]) => nested !== undefined)
      .map(([key, nested]) =>
        key === '$ref' && typeof nested === 'string'
          ? [key, nested.replace('#/components/schemas/', '#/definitions/')]
          : [key, v2Refs(nested)],
      ),
  );
}

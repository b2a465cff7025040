import * as kubernetesModels from '@kubernetes/client-node';
import { type CalicoCrd, readCalicoCrds } from '../calico-schemas.js';
import { groupVersionOf, type ResourceDefinition } from './resource-registry.js';

/** An OpenAPI v3 schema object (as JSON). */
export type OpenApiSchema = Record<string, unknown>;

/** One generated `components.schemas` table and the schema name of each served kind. */
export interface SchemaTable {
  /** Every named schema, by name; `$ref`s point at `#/components/schemas/<name>`. */
  readonly schemas: ReadonlyMap<string, OpenApiSchema>;
  /** The named schema of a served kind. */
  nameOf(definition: ResourceDefinition): string;
}

interface AttributeType {
  baseName: string;
  type: string;
  format: string;
}

interface ModelClass {
  getAttributeTypeMap(): AttributeType[];
}

const SCHEMA_REF = '#/components/schemas/';
const OBJECT_META = 'V1ObjectMeta';

const models = kubernetesModels as unknown as Record<string, ModelClass | undefined>;

function modelOf(name: string): ModelClass | undefined {
  const candidate = models[name];
  return typeof candidate?.getAttributeTypeMap === 'function' ? candidate : undefined;
}

/** The `@kubernetes/client-node` model generated for a built-in kind (`apps/v1 Deployment` → `V1Deployment`). */
function builtInModelName(definition: ResourceDefinition): string | undefined {
  if (definition.customResource) return undefined;
  const name = `${definition.version.charAt(0).toUpperCase()}${definition.version.slice(1)}${definition.kind}`;
  return modelOf(name) ? name : undefined;
}

/** `projectcalico.org`, v3, `Tier` → `org.projectcalico.v3.Tier`, as the API server names a CRD's schema. */
function customResourceSchemaName(definition: ResourceDefinition): string {
  return [...definition.group.split('.').reverse(), definition.version, definition.kind].join('.');
}

const gvkExtension = (definition: ResourceDefinition) => [
  { group: definition.group, version: definition.version, kind: definition.kind },
];

/**
 * Builds the OpenAPI schemas of the served kinds from the real schemas the project validates with:
 * built-in kinds from the models `@kubernetes/client-node` generates from Kubernetes' own OpenAPI
 * document (property names and types; the generator drops `required`, descriptions and patch
 * directives), Calico kinds from the vendored CRDs' `openAPIV3Schema` (with `metadata` pointing at
 * ObjectMeta, as the API server publishes CRDs). A custom kind without a CRD here keeps unknown
 * fields, like a CRD with `x-kubernetes-preserve-unknown-fields`.
 */
export function buildSchemaTable(definitions: readonly ResourceDefinition[]): SchemaTable {
  const schemas = new Map<string, OpenApiSchema>();
  const addModel = (name: string): void => {
    if (schemas.has(name)) return;
    const model = modelOf(name);
    if (!model) throw new Error(`no @kubernetes/client-node model named ${name}`);
    const properties: Record<string, OpenApiSchema> = {};
    schemas.set(name, { type: 'object', properties });
    for (const attribute of model.getAttributeTypeMap()) {
      properties[attribute.baseName] = typeSchema(attribute.type, attribute.format, addModel);
    }
  };
  addModel(OBJECT_META);

  const crds = calicoCrds();
  const names = new Map<ResourceDefinition, string>();
  for (const definition of definitions) {
    const modelName = builtInModelName(definition);
    if (modelName) {
      addModel(modelName);
      const schema = schemas.get(modelName)!;
      schema['x-kubernetes-group-version-kind'] = gvkExtension(definition);
      names.set(definition, modelName);
      continue;
    }
    const name = customResourceSchemaName(definition);
    const crd = crds.get(`${definition.group}/${definition.version}/${definition.kind}`);
    const base: OpenApiSchema = crd
      ? structuredClone(crd.schema)
      : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: {} };
    const properties = { ...((base.properties as Record<string, OpenApiSchema> | undefined) ?? {}) };
    properties.apiVersion = { type: 'string' };
    properties.kind = { type: 'string' };
    properties.metadata = { $ref: `${SCHEMA_REF}${OBJECT_META}` };
    schemas.set(name, {
      ...base,
      properties,
      'x-kubernetes-group-version-kind': gvkExtension(definition),
    });
    names.set(definition, name);
  }
  return {
    schemas,
    nameOf(definition) {
      const name = names.get(definition);
      if (!name) throw new Error(`no schema for ${groupVersionOf(definition)} ${definition.kind}`);
      return name;
    },
  };
}

let crdCache: Map<string, CalicoCrd> | undefined;

/** The vendored CRDs by `group/version/kind`, read once per process. */
function calicoCrds(): Map<string, CalicoCrd> {
  crdCache ??= new Map(readCalicoCrds().map((crd) => [`${crd.group}/${crd.version}/${crd.kind}`, crd]));
  return crdCache;
}

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

/** One attribute type of a client-node model (`Array<V1Container>`, `{ [key: string]: string; }`, …). */
function typeSchema(type: string, format: string, addModel: (name: string) => void): OpenApiSchema {
  const withFormat = (schema: OpenApiSchema) => (format ? { ...schema, format } : schema);
  const array = ARRAY.exec(type);
  if (array) return { type: 'array', items: typeSchema(array[1]!, '', addModel) };
  const map = MAP.exec(type);
  if (map) return { type: 'object', additionalProperties: typeSchema(map[1]!, '', addModel) };
  switch (type) {
    case 'string':
      return withFormat({ type: 'string' });
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      return withFormat({ type: format.startsWith('int') ? 'integer' : 'number' });
    case 'Date':
      return { type: 'string', format: 'date-time' };
    case 'IntOrString':
      return { 'x-kubernetes-int-or-string': true };
    case 'any':
    case 'object':
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    default:
      addModel(type);
      return { $ref: `${SCHEMA_REF}${type}` };
  }
}

/** Every schema name reachable from `roots` through `$ref`s. */
export function reachableSchemas(table: SchemaTable, roots: readonly string[]): Map<string, OpenApiSchema> {
  const reached = new Map<string, OpenApiSchema>();
  const visit = (name: string) => {
    if (reached.has(name)) return;
    const schema = table.schemas.get(name);
    if (!schema) throw new Error(`dangling schema reference ${name}`);
    reached.set(name, schema);
    for (const ref of refsIn(schema)) visit(ref);
  };
  for (const root of roots) visit(root);
  return reached;
}

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, nested]) =>
    key === '$ref' && typeof nested === 'string' && nested.startsWith(SCHEMA_REF)
      ? [nested.slice(SCHEMA_REF.length)]
      : refsIn(nested),
  );
}

/**
 * The paths of fields the schema does not declare, as the API server's strict decoding names them
 * (`spec.replicaz`, `spec.template.spec.containers[0].imagePullPolicyy`). Objects that preserve
 * unknown fields, maps (`additionalProperties`) and int-or-string values are open.
 */
export function unknownFields(table: SchemaTable, rootName: string, object: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown, schema: OpenApiSchema | undefined, path: string): void => {
    const resolved = resolve(table, schema);
    if (!resolved || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      const items = resolved.items as OpenApiSchema | undefined;
      for (const [index, item] of value.entries()) walk(item, items, `${path}[${index}]`);
      return;
    }
    const properties = resolved.properties as Record<string, OpenApiSchema> | undefined;
    const additional = resolved.additionalProperties;
    const open = resolved['x-kubernetes-preserve-unknown-fields'] === true;
    for (const [key, nested] of Object.entries(value)) {
      const child = path ? `${path}.${key}` : key;
      if (properties?.[key]) walk(nested, properties[key], child);
      else if (additional && typeof additional === 'object') walk(nested, additional as OpenApiSchema, child);
      else if (!open && additional !== true && properties) found.push(child);
    }
  };
  walk(object, { $ref: `${SCHEMA_REF}${rootName}` }, '');
  return found;
}

function resolve(table: SchemaTable, schema: OpenApiSchema | undefined): OpenApiSchema | undefined {
  let current = schema;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 16; hops++) {
    current = table.schemas.get(current.$ref.slice(SCHEMA_REF.length));
  }
  return current;
}

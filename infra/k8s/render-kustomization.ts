import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

/**
 * A small stand-in for `kustomize build`, for tests on machines without kustomize or kubectl.
 * It implements exactly the Kustomization features Meshplane's manifests use, with kustomize's
 * semantics, and throws on any other field so a manifest cannot silently depend on something
 * this renderer ignores:
 *
 * - `resources` (YAML files, or directories holding a kustomization.yaml)
 * - `secretGenerator` / `configMapGenerator` from `envs` files and `literals`, only with
 *   `generatorOptions.disableNameSuffixHash: true` (no hash suffixes, so no name references to rewrite)
 * - `patches` as strategic-merge patch files, optionally with a `target` (kind and/or name)
 * - `namespace`, `labels` (pairs on metadata.labels only), `images` (newName/newTag), `replicas`
 *
 * Strategic merge here means: maps merge key by key, `null` deletes a key, lists whose items all
 * carry a `name` (containers, env, volumes, volumeMounts) merge by name, and any other list is
 * replaced, which is what Kubernetes' patch strategy does for the fields our patches touch.
 */

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

type Json = Record<string, unknown>;

const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'namespace',
  'labels',
  'images',
  'replicas',
  'patches',
  'secretGenerator',
  'configMapGenerator',
  'generatorOptions',
]);

interface Kustomization {
  resources?: string[];
  namespace?: string;
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  replicas?: { name: string; count: number }[];
  patches?: { path: string; target?: { kind?: string; name?: string } }[];
  secretGenerator?: Generator[];
  configMapGenerator?: Generator[];
  generatorOptions?: { disableNameSuffixHash?: boolean };
}

interface Generator {
  name: string;
  envs?: string[];
  literals?: string[];
}

/** Renders the kustomization in `directory`, like `kustomize build <directory>`. */
export function renderKustomization(directory: string): KubeObject[] {
  const kustomization = readKustomization(directory);
  let objects = (kustomization.resources ?? []).flatMap((resource) =>
    loadResource(join(directory, resource)),
  );
  objects.push(...generate(directory, kustomization));
  for (const patch of kustomization.patches ?? []) objects = applyPatch(objects, directory, patch);
  for (const object of objects) transform(object, kustomization);
  return objects;
}

function readKustomization(directory: string): Kustomization {
  const kustomization = parseYaml(readFileSync(join(directory, 'kustomization.yaml'), 'utf8')) as Json;
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED_FIELDS.has(key));
  if (unsupported.length > 0) {
    throw new Error(`${directory}: kustomization fields not supported by the test renderer: ${unsupported}`);
  }
  for (const label of (kustomization as Kustomization).labels ?? []) {
    if (label.includeSelectors || label.includeTemplates) {
      throw new Error(`${directory}: labels.includeSelectors/includeTemplates are not supported`);
    }
  }
  return kustomization as Kustomization;
}

function loadResource(path: string): KubeObject[] {
  if (statSync(path).isDirectory()) return renderKustomization(path);
  return readYamlDocuments(path) as KubeObject[];
}

/** Every document of a (possibly multi-document) YAML file, empty documents skipped. */
export function readYamlDocuments(path: string): Json[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]!.message}`);
      return document.toJSON() as Json | null;
    })
    .filter((document): document is Json => document !== null);
}

function generate(directory: string, kustomization: Kustomization): KubeObject[] {
  const generators = [
    ...(kustomization.secretGenerator ?? []).map((g) => ({ ...g, kind: 'Secret' })),
    ...(kustomization.configMapGenerator ?? []).map((g) => ({ ...g, kind: 'ConfigMap' })),
  ];
  if (generators.length > 0 && kustomization.generatorOptions?.disableNameSuffixHash !== true) {
    throw new Error(`${directory}: generators need generatorOptions.disableNameSuffixHash: true here`);
  }
  return generators.map((generator) => {
    const data: Record<string, string> = {};
    for (const file of generator.envs ?? []) Object.assign(data, parseEnvFile(join(directory, file)));
    for (const literal of generator.literals ?? []) Object.assign(data, parseEnvLines(literal));
    const object: KubeObject = { apiVersion: 'v1', kind: generator.kind, metadata: { name: generator.name } };
    if (generator.kind === 'Secret') {
      object.type = 'Opaque';
      object.data = Object.fromEntries(
        Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
      );
    } else {
      object.data = data;
    }
    return object;
  });
}

/** `KEY=value` lines as kustomize reads an env file: `#` comments and blank lines skipped. */
export function parseEnvFile(path: string): Record<string, string> {
  return parseEnvLines(readFileSync(path, 'utf8'));
}

function parseEnvLines(text: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const equals = line.indexOf('=');
    if (equals <= 0) throw new Error(`not a KEY=value line: ${line}`);
    entries[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return entries;
}

function applyPatch(
  objects: KubeObject[],
  directory: string,
  patch: NonNullable<Kustomization['patches']>[number],
): KubeObject[] {
  const documents = readYamlDocuments(join(directory, patch.path)) as KubeObject[];
  if (documents.length !== 1) throw new Error(`${patch.path}: one strategic-merge patch per file, please`);
  const body = documents[0]!;
  const matches = (object: KubeObject) =>
    patch.target
      ? (!patch.target.kind || object.kind === patch.target.kind) &&
        (!patch.target.name || object.metadata.name === patch.target.name)
      : object.kind === body.kind && object.metadata.name === body.metadata.name;
  if (!objects.some(matches)) throw new Error(`${patch.path}: the patch matches no resource`);
  return objects.map((object) => {
    if (!matches(object)) return object;
    // A targeted patch keeps the target's identity, whatever name the patch file carries.
    const { metadata, ...rest } = body;
    const { name: _ignored, ...metadataFields } = metadata;
    return strategicMerge(object, { ...rest, metadata: metadataFields }) as KubeObject;
  });
}

/** Kubernetes' strategic merge, restricted as described at the top of this file. */
export function strategicMerge(base: unknown, patch: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(patch)) return mergeLists(base, patch);
  if (!isMap(base) || !isMap(patch)) return patch;
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) throw new Error(`patch directive ${key} is not supported`);
    if (value === null) delete merged[key];
    else merged[key] = key in base ? strategicMerge(base[key], value) : value;
  }
  return merged;
}

function mergeLists(base: unknown[], patch: unknown[]): unknown[] {
  const named = (items: unknown[]) => items.every((item) => isMap(item) && typeof item.name === 'string');
  if (!named(base) || !named(patch)) return patch;
  const merged = [...base] as Json[];
  for (const item of patch as Json[]) {
    const index = merged.findIndex((existing) => existing.name === item.name);
    if (index === -1) merged.push(item);
    else merged[index] = strategicMerge(merged[index], item) as Json;
  }
  return merged;
}

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** namespace, labels, images and replicas, applied to one object. */
function transform(object: KubeObject, kustomization: Kustomization): void {
  if (kustomization.namespace) object.metadata.namespace = kustomization.namespace;
  for (const { pairs } of kustomization.labels ?? []) {
    object.metadata.labels = { ...object.metadata.labels, ...pairs };
  }
  for (const container of podContainers(object)) {
    for (const image of kustomization.images ?? []) {
      const [name, tag] = splitImage(String(container.image));
      if (name !== image.name) continue;
      const newTag = image.newTag ?? tag;
      container.image = `${image.newName ?? name}${newTag ? `:${newTag}` : ''}`;
    }
  }
  const replicas = kustomization.replicas?.find((r) => r.name === object.metadata.name);
  if (replicas && object.kind === 'Deployment') (object.spec as Json).replicas = replicas.count;
}

function splitImage(image: string): [string, string | undefined] {
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/')
    ? [image.slice(0, colon), image.slice(colon + 1)]
    : [image, undefined];
}

/** The containers of a Deployment's or a Job's pod template (empty for other kinds). */
export function podContainers(object: KubeObject): Json[] {
  const spec = object.spec as { template?: { spec?: { containers?: Json[]; initContainers?: Json[] } } };
  const pod = spec?.template?.spec;
  return [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])];
}

/** The directory holding this file: the root of the Kustomize tree. */
export const k8sRoot = dirname(new URL(import.meta.url).pathname);

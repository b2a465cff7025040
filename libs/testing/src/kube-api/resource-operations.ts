import { randomBytes, randomUUID } from 'node:crypto';
import { applyConfiguration, recordUpdate, sameContent } from './field-manager.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './json-patches.js';
import {
  alreadyExists,
  badRequest,
  KubeApiError,
  notFound,
  qualifiedName,
  staleResourceVersion,
} from './kube-api.errors.js';
import { isJsonObject, jsonEqual, type KubeObject, type KubeStatus, kubeTimestamp } from './kube-object.js';
import { type FilterOptions, objectFilter } from './object-filter.js';
import type { ObjectStore } from './object-store.js';
import { groupVersionOf, type ResourceDefinition, resourceId } from './resource-registry.js';

export type PatchType = 'apply' | 'merge' | 'strategic-merge' | 'json';

export const PATCH_CONTENT_TYPES: Record<string, PatchType> = {
  'application/apply-patch+yaml': 'apply',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic-merge',
  'application/json-patch+json': 'json',
};

export interface ListOptions extends FilterOptions {
  limit?: number;
  continueToken?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListPage {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WriteResult {
  object: KubeObject;
  /** True when the write created the object (HTTP 201). */
  created: boolean;
}

interface ContinueToken {
  rv: number;
  start: string;
}

function objectKey(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(text: string): ContinueToken {
  try {
    const token: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (isJsonObject(token) && typeof token.rv === 'number' && typeof token.start === 'string') {
      return { rv: token.rv, start: token.start };
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}

function parseRevision(text: string): number {
  const revision = Number(text);
  if (!Number.isSafeInteger(revision) || revision < 0)
    throw badRequest(`invalid resource version: "${text}"`);
  return revision;
}

/** The parts of an object whose change bumps `metadata.generation`. */
function specOf(object: KubeObject): Record<string, unknown> {
  const { metadata: _metadata, status: _status, ...rest } = object;
  return rest;
}

/**
 * Checks an object before it is written (e.g. its fields against the kind's schema); throws a
 * `KubeApiError` to refuse the write.
 */
export type AdmitObject = (definition: ResourceDefinition, object: KubeObject) => void;

/** A Secret's write-only `stringData` merged into `data` (base64), as the API server stores it. */
function foldStringData(secret: KubeObject): void {
  const { stringData } = secret as { stringData?: unknown };
  if (stringData === undefined) return;
  if (!isJsonObject(stringData)) throw badRequest('stringData must be a map of strings');
  const data = { ...((isJsonObject(secret.data) ? secret.data : {}) as Record<string, unknown>) };
  for (const [key, value] of Object.entries(stringData)) {
    if (typeof value !== 'string') throw badRequest(`stringData.${key} must be a string`);
    data[key] = Buffer.from(value, 'utf8').toString('base64');
  }
  secret.data = data;
  delete (secret as { stringData?: unknown }).stringData;
}

function generateName(prefix: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const suffix = [...randomBytes(5)].map((byte) => alphabet[byte % alphabet.length]).join('');
  return `${prefix}${suffix}`;
}

/**
 * The API semantics shared by the HTTP handlers and the programmatic test API: validation and
 * defaulting of objects, optimistic concurrency, managed fields, server-side apply, patches,
 * selectors and pagination. Every failure is a `KubeApiError`.
 */
export class ResourceOperations {
  constructor(private readonly store: ObjectStore) {}

  get(definition: ResourceDefinition, namespace: string | undefined, name: string): KubeObject {
    const object = this.store.get(resourceId(definition), this.scope(definition, namespace), name);
    if (!object) throw notFound(definition.group, definition.plural, name);
    return object;
  }

  list(definition: ResourceDefinition, options: ListOptions = {}): ListPage {
    const filter = objectFilter(definition, options);
    const token = options.continueToken ? decodeContinue(options.continueToken) : undefined;
    const revision = token?.rv ?? this.listRevision(options);
    const snapshot = this.snapshot(definition, options.namespace, revision, token !== undefined);
    const matching = snapshot.filter(filter).filter((o) => !token || objectKey(o) > token.start);
    const limit = options.limit && options.limit > 0 ? options.limit : matching.length;
    const items = matching.slice(0, limit);
    const page: ListPage = { items, resourceVersion: String(revision) };
    if (matching.length > items.length) {
      page.continue = encodeContinue({ rv: revision, start: objectKey(items.at(-1)!) });
      if (!options.labelSelector && !options.fieldSelector)
        page.remainingItemCount = matching.length - items.length;
    }
    return page;
  }

  create(
    definition: ResourceDefinition,
    namespace: string | undefined,
    body: unknown,
    manager: string,
    admit?: AdmitObject,
  ): KubeObject {
    const object = this.normalize(definition, namespace, body, undefined, admit);
    object.metadata.name ??= this.generatedName(definition, object);
    const now = kubeTimestamp();
    object.metadata.uid = randomUUID();
    object.metadata.creationTimestamp = now;
    object.metadata.generation = 1;
    delete object.metadata.resourceVersion;
    delete object.metadata.managedFields;
    return this.insert(definition, recordUpdate(undefined, object, this.updater(definition, manager, now)));
  }

  update(
    definition: ResourceDefinition,
    namespace: string | undefined,
    name: string,
    body: unknown,
    manager: string,
    admit?: AdmitObject,
  ): KubeObject {
    const existing = this.get(definition, namespace, name);
    const object = this.normalize(definition, namespace, body, name, admit);
    return this.write(definition, existing, object, manager);
  }

  patch(
    definition: ResourceDefinition,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    body: unknown,
    options: { manager: string; force?: boolean; admit?: AdmitObject },
  ): WriteResult {
    if (type === 'apply') {
      const force = options.force ?? false;
      return this.apply(definition, namespace, name, body, options.manager, force, options.admit);
    }
    if (options.force !== undefined)
      throw badRequest('force: Invalid value: true: may not be specified for non-apply patch');
    if (type === 'strategic-merge' && definition.customResource) {
      throw new KubeApiError(
        'UnsupportedMediaType',
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      );
    }
    const existing = this.get(definition, namespace, name);
    const patched =
      type === 'json'
        ? applyJsonPatch(existing, body)
        : type === 'strategic-merge'
          ? applyStrategicMergePatch(existing, body)
          : applyMergePatch(existing, body);
    const object = this.normalize(definition, namespace, patched, name, options.admit);
    return { object: this.write(definition, existing, object, options.manager), created: false };
  }

  /** Server-side apply: creates the object when absent, otherwise merges with field ownership. */
  apply(
    definition: ResourceDefinition,
    namespace: string | undefined,
    name: string,
    body: unknown,
    manager: string,
    force: boolean,
    admit?: AdmitObject,
  ): WriteResult {
    if (!manager) {
      throw new KubeApiError(
        'BadRequest',
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    }
    const configuration = this.normalize(definition, namespace, body, name, admit);
    const scope = this.scope(definition, namespace);
    const existing = this.store.get(resourceId(definition), scope, name);
    const request = { manager, force, apiVersion: groupVersionOf(definition), now: kubeTimestamp() };
    if (!existing) {
      const skeleton = this.normalize(definition, namespace, { metadata: { name } }, name);
      const merged = applyConfiguration(skeleton, configuration, request);
      Object.assign(merged.metadata, { uid: randomUUID(), creationTimestamp: request.now, generation: 1 });
      return { object: this.insert(definition, merged), created: true };
    }
    this.checkPrecondition(definition, existing, configuration);
    const merged = applyConfiguration(existing, configuration, request);
    return { object: this.commitReplace(definition, existing, merged), created: false };
  }

  delete(
    definition: ResourceDefinition,
    namespace: string | undefined,
    name: string,
    preconditions?: { uid?: string; resourceVersion?: string },
  ): KubeObject {
    const existing = this.get(definition, namespace, name);
    const uidMismatch = preconditions?.uid && preconditions.uid !== existing.metadata.uid;
    const rvMismatch =
      preconditions?.resourceVersion && preconditions.resourceVersion !== existing.metadata.resourceVersion;
    if (uidMismatch || rvMismatch) {
      throw new KubeApiError(
        'Conflict',
        `Operation cannot be fulfilled on ${qualifiedName(definition.group, definition.plural, name)}: Precondition failed`,
        { name, group: definition.group, kind: definition.plural },
      );
    }
    return this.store.remove(resourceId(definition), this.scope(definition, namespace), name)!;
  }

  deleteCollection(definition: ResourceDefinition, options: FilterOptions): KubeObject[] {
    const filter = objectFilter(definition, options);
    const victims = this.store.list(resourceId(definition), options.namespace).filter(filter);
    return victims.map(
      (v) => this.store.remove(resourceId(definition), v.metadata.namespace, v.metadata.name!)!,
    );
  }

  /** `Status` of a successful delete, as returned for resources that do not return the object. */
  deletedStatus(definition: ResourceDefinition, deleted: KubeObject): KubeStatus {
    const details = { name: deleted.metadata.name, group: definition.group, kind: definition.plural };
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      code: 200,
      details: { ...details, uid: deleted.metadata.uid },
    };
  }

  private listRevision(options: ListOptions): number {
    const requested = options.resourceVersion;
    if (options.resourceVersionMatch === 'Exact') {
      if (!requested || requested === '0')
        throw badRequest('resourceVersionMatch: Forbidden: "Exact" requires a non-zero resourceVersion');
      return parseRevision(requested);
    }
    if (requested) parseRevision(requested);
    return this.store.currentRevision;
  }

  private snapshot(
    definition: ResourceDefinition,
    namespace: string | undefined,
    revision: number,
    continuing: boolean,
  ): KubeObject[] {
    const resource = resourceId(definition);
    if (revision === this.store.currentRevision) return this.store.list(resource, namespace);
    try {
      return this.store.listAt(resource, namespace, revision);
    } catch (error) {
      if (continuing && error instanceof KubeApiError && error.reason === 'Expired') {
        throw new KubeApiError(
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue value from the response to get a consistent snapshot.',
        );
      }
      throw error;
    }
  }

  private scope(definition: ResourceDefinition, namespace: string | undefined): string | undefined {
    return definition.namespaced ? namespace : undefined;
  }

  private updater(definition: ResourceDefinition, manager: string, now: string) {
    return { manager, apiVersion: groupVersionOf(definition), now };
  }

  private generatedName(definition: ResourceDefinition, object: KubeObject): string {
    const prefix = object.metadata.generateName;
    if (!prefix) {
      throw new KubeApiError(
        'Invalid',
        `${definition.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
      );
    }
    return generateName(prefix);
  }

  private insert(definition: ResourceDefinition, object: KubeObject): KubeObject {
    const name = object.metadata.name!;
    if (this.store.get(resourceId(definition), object.metadata.namespace, name)) {
      throw alreadyExists(definition.group, definition.plural, name);
    }
    return this.store.insert(resourceId(definition), object);
  }

  /** A full-object write (update or non-apply patch) onto `existing`. */
  private write(
    definition: ResourceDefinition,
    existing: KubeObject,
    object: KubeObject,
    manager: string,
  ): KubeObject {
    this.checkPrecondition(definition, existing, object);
    object.metadata.uid = existing.metadata.uid;
    object.metadata.creationTimestamp = existing.metadata.creationTimestamp;
    const recorded = recordUpdate(existing, object, this.updater(definition, manager, kubeTimestamp()));
    return this.commitReplace(definition, existing, recorded);
  }

  /** Writes `next` unless nothing but timestamps changed: a no-op keeps the resourceVersion. */
  private commitReplace(definition: ResourceDefinition, existing: KubeObject, next: KubeObject): KubeObject {
    next.metadata.resourceVersion = existing.metadata.resourceVersion;
    const generation = existing.metadata.generation ?? 1;
    next.metadata.generation = jsonEqual(specOf(existing), specOf(next)) ? generation : generation + 1;
    if (sameContent(existing, next)) return existing;
    return this.store.replace(resourceId(definition), next);
  }

  private checkPrecondition(
    definition: ResourceDefinition,
    existing: KubeObject,
    incoming: KubeObject,
  ): void {
    const expected = incoming.metadata.resourceVersion;
    if (expected && expected !== existing.metadata.resourceVersion) {
      throw staleResourceVersion(definition.group, definition.plural, existing.metadata.name!);
    }
  }

  /**
   * Checks that `body` is an object of this resource addressed by this request, and fills in
   * apiVersion, kind and namespace. `name` is the name in the URL, when there is one.
   */
  private normalize(
    definition: ResourceDefinition,
    namespace: string | undefined,
    body: unknown,
    name?: string,
    admit?: AdmitObject,
  ): KubeObject {
    if (!isJsonObject(body)) throw badRequest('the body of the request must be a JSON or YAML object');
    const object = structuredClone(body) as KubeObject;
    const apiVersion = groupVersionOf(definition);
    if (object.apiVersion !== undefined && object.apiVersion !== apiVersion) {
      throw badRequest(
        `the API version in the data (${object.apiVersion}) does not match the expected API version (${apiVersion})`,
      );
    }
    if (object.kind !== undefined && object.kind !== definition.kind) {
      throw badRequest(
        `the kind in the data (${object.kind}) does not match the expected kind (${definition.kind})`,
      );
    }
    object.apiVersion = apiVersion;
    object.kind = definition.kind;
    if (object.metadata === undefined) object.metadata = {};
    if (!isJsonObject(object.metadata)) throw badRequest('metadata must be an object');
    this.normalizeScope(definition, namespace, object);
    if (name !== undefined) {
      object.metadata.name ??= name;
      if (object.metadata.name !== name) {
        throw badRequest(
          `the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`,
        );
      }
    }
    admit?.(definition, object);
    if (definition.group === '' && definition.kind === 'Secret') foldStringData(object);
    return object;
  }

  private normalizeScope(
    definition: ResourceDefinition,
    namespace: string | undefined,
    object: KubeObject,
  ): void {
    if (!definition.namespaced) {
      delete object.metadata.namespace;
      return;
    }
    if (namespace === undefined) throw badRequest(`the namespace of the ${definition.kind} must be given`);
    if (object.metadata.namespace !== undefined && object.metadata.namespace !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    object.metadata.namespace = namespace;
  }
}

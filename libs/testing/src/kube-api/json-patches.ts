import { badRequest, KubeApiError } from './kube-api.errors.js';
import { isJsonObject, type JsonObject, jsonEqual } from './kube-object.js';

/** RFC 7386 JSON merge patch: objects merge recursively, `null` deletes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return structuredClone(patch);
  const result: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/**
 * Lists Kubernetes merges by a key in a strategic merge patch (the `patchMergeKey` of the
 * built-in types this server serves: pod templates and RBAC subjects), by field name. Any other
 * list is replaced whole, as for a list without a merge key.
 */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  volumes: 'name',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
};

const SET_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

/**
 * Strategic merge patch as the API server applies it to built-in kinds: a merge patch, except that
 * lists with a merge key (containers by `name`, ...) merge element by element, and the directives
 * kubectl sends are carried out rather than stored: `$patch: replace | delete` (on a map or a list
 * element), `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>` and `$retainKeys`.
 */
export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') return withoutDirectives(patch);
  const result: JsonObject = isJsonObject(target) ? { ...target } : {};
  const orders: [string, unknown][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith(SET_ORDER)) {
      orders.push([key.slice(SET_ORDER.length), value]);
    } else if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
      const removed = Array.isArray(value) ? value : [];
      if (Array.isArray(result[field]))
        result[field] = (result[field] as unknown[]).filter(
          (item) => !removed.some((r) => jsonEqual(r, item)),
        );
    } else if (value === null || (isJsonObject(value) && value.$patch === 'delete')) {
      delete result[key];
    } else if (Array.isArray(value) && MERGE_KEYS[key]) {
      result[key] = mergeList(
        Array.isArray(result[key]) ? (result[key] as unknown[]) : [],
        value,
        MERGE_KEYS[key],
      );
    } else {
      result[key] = applyStrategicMergePatch(result[key], value);
    }
  }
  for (const [field, order] of orders) {
    const key = MERGE_KEYS[field];
    if (key && Array.isArray(result[field]) && Array.isArray(order))
      result[field] = inOrder(result[field] as unknown[], order, key);
  }
  if (Array.isArray(patch.$retainKeys)) {
    const retained = new Set(patch.$retainKeys as unknown[]);
    for (const key of Object.keys(result)) if (!retained.has(key)) delete result[key];
  }
  return result;
}

function mergeList(existing: readonly unknown[], items: readonly unknown[], key: string): unknown[] {
  const merged = existing.map((item) => structuredClone(item));
  const indexOf = (item: unknown) =>
    isJsonObject(item) ? merged.findIndex((e) => isJsonObject(e) && jsonEqual(e[key], item[key])) : -1;
  for (const item of items) {
    const at = indexOf(item);
    if (isJsonObject(item) && item.$patch === 'delete') {
      if (at >= 0) merged.splice(at, 1);
    } else if (at >= 0) {
      merged[at] = applyStrategicMergePatch(merged[at], item);
    } else {
      merged.push(applyStrategicMergePatch(undefined, item));
    }
  }
  return merged;
}

/** Elements named in `order` first, in its order; the others after them, as they were. */
function inOrder(list: unknown[], order: readonly unknown[], key: string): unknown[] {
  const rank = (item: unknown) => {
    const at = order.findIndex((o) => isJsonObject(o) && isJsonObject(item) && jsonEqual(o[key], item[key]));
    return at < 0 ? order.length : at;
  };
  return list
    .map((item, index) => ({ item, index, rank: rank(item) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ item }) => item);
}

function withoutDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDirectives);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('$'))
      .map(([key, nested]) => [key, withoutDirectives(nested)]),
  );
}

interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`invalid JSON pointer: ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = JsonObject | unknown[];

function resolveParent(document: unknown, tokens: string[]): { parent: Container; key: string } {
  let current = document;
  for (const token of tokens.slice(0, -1)) {
    current = Array.isArray(current)
      ? current[Number(token)]
      : isJsonObject(current)
        ? current[token]
        : undefined;
    if (current === undefined) throw unprocessable(`missing path: /${tokens.join('/')}`);
  }
  if (!Array.isArray(current) && !isJsonObject(current))
    throw unprocessable(`not a container: /${tokens.join('/')}`);
  return { parent: current, key: tokens.at(-1)! };
}

function unprocessable(message: string): KubeApiError {
  return new KubeApiError(
    'Invalid',
    `the server rejected our request due to an error in our request: ${message}`,
  );
}

function read(document: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return document;
  const { parent, key } = resolveParent(document, tokens);
  const value = Array.isArray(parent) ? parent[Number(key)] : parent[key];
  if (value === undefined) throw unprocessable(`missing path: ${pointer}`);
  return value;
}

function remove(document: unknown, pointer: string): unknown {
  const value = read(document, pointer);
  const { parent, key } = resolveParent(document, parsePointer(pointer));
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return value;
}

function add(document: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return structuredClone(value);
  const { parent, key } = resolveParent(document, tokens);
  if (!Array.isArray(parent)) {
    parent[key] = structuredClone(value);
    return document;
  }
  const index = key === '-' ? parent.length : Number(key);
  if (!Number.isInteger(index) || index < 0 || index > parent.length)
    throw unprocessable(`bad index: ${pointer}`);
  parent.splice(index, 0, structuredClone(value));
  return document;
}

function applyOperation(document: unknown, operation: JsonPatchOperation): unknown {
  switch (operation.op) {
    case 'add':
      return add(document, operation.path, operation.value);
    case 'remove':
      remove(document, operation.path);
      return document;
    case 'replace':
      read(document, operation.path);
      if (parsePointer(operation.path).length > 0) remove(document, operation.path);
      return add(document, operation.path, operation.value);
    case 'move':
      return add(document, operation.path, remove(document, operation.from ?? ''));
    case 'copy':
      return add(document, operation.path, read(document, operation.from ?? ''));
    case 'test':
      if (!jsonEqual(read(document, operation.path), operation.value)) {
        throw unprocessable(`testing value ${operation.path} failed`);
      }
      return document;
    default:
      throw badRequest(`unexpected JSON patch operation: ${JSON.stringify(operation)}`);
  }
}

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test). A failed operation is 422 Invalid. */
export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest('a JSON patch must be an array of operations');
  let document = structuredClone(target);
  for (const operation of patch as JsonPatchOperation[]) {
    if (!isJsonObject(operation) || typeof operation.path !== 'string') {
      throw badRequest(`invalid JSON patch operation: ${JSON.stringify(operation)}`);
    }
    document = applyOperation(document, operation);
  }
  return document;
}

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

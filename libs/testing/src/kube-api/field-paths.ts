import { type FieldsV1, isJsonObject, type JsonObject, type KubeObject } from './kube-object.js';

/** A path to a field that ownership is tracked for, e.g. `['spec', 'order']`. */
export type FieldPath = readonly string[];

/** Never owned by a manager: identity and bookkeeping the server controls. */
const UNTRACKED_TOP_LEVEL = new Set(['apiVersion', 'kind', 'metadata', 'status']);
/** Metadata maps whose keys are owned one by one. */
const METADATA_MAPS = ['labels', 'annotations'];
/** Metadata lists owned as a whole. */
const METADATA_LISTS = ['finalizers', 'ownerReferences'];

/**
 * The fields of `object` that ownership is tracked for. The model is deliberately coarse: every
 * key of a top-level map (`spec.order`, `data.key`), every other top-level field as a whole
 * (`addressType`, `endpoints`), each label and annotation, and `metadata.finalizers` /
 * `metadata.ownerReferences` as wholes. Deeper values belong to the field that contains them.
 */
export function trackedFieldPaths(object: KubeObject): FieldPath[] {
  const paths: FieldPath[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (UNTRACKED_TOP_LEVEL.has(key) || value === undefined) continue;
    if (isJsonObject(value)) {
      for (const child of Object.keys(value)) if (value[child] !== undefined) paths.push([key, child]);
    } else {
      paths.push([key]);
    }
  }
  const metadata: JsonObject = object.metadata ?? {};
  for (const map of METADATA_MAPS) {
    const entries = metadata[map];
    if (isJsonObject(entries)) for (const key of Object.keys(entries)) paths.push(['metadata', map, key]);
  }
  for (const list of METADATA_LISTS) if (metadata[list] !== undefined) paths.push(['metadata', list]);
  return paths;
}

export function valueAt(object: unknown, path: FieldPath): unknown {
  let current = object;
  for (const segment of path) {
    if (!isJsonObject(current)) return undefined;
    current = current[segment];
  }
  return current;
}

export function setValueAt(object: JsonObject, path: FieldPath, value: unknown): void {
  let current = object;
  for (const segment of path.slice(0, -1)) {
    const next = current[segment];
    if (!isJsonObject(next)) current[segment] = {};
    current = current[segment] as JsonObject;
  }
  current[path.at(-1)!] = structuredClone(value);
}

/** Removes a field; emptied label/annotation maps are removed too. */
export function deleteValueAt(object: JsonObject, path: FieldPath): void {
  const parent = valueAt(object, path.slice(0, -1));
  if (!isJsonObject(parent)) return;
  delete parent[path.at(-1)!];
  const isMetadataMap = path.length === 3 && path[0] === 'metadata';
  if (isMetadataMap && Object.keys(parent).length === 0) deleteValueAt(object, path.slice(0, -1));
}

/** `.spec.order`: how conflict messages name a field. */
export function formatFieldPath(path: FieldPath): string {
  return path.map((segment) => `.${segment}`).join('');
}

/** A set of field paths with value semantics. */
export class FieldSet {
  private readonly paths = new Map<string, FieldPath>();

  constructor(paths: Iterable<FieldPath> = []) {
    for (const path of paths) this.add(path);
  }

  static fromFieldsV1(fields: FieldsV1 | undefined): FieldSet {
    const set = new FieldSet();
    const walk = (node: FieldsV1, prefix: string[]) => {
      const children = Object.keys(node).filter((key) => key.startsWith('f:'));
      if (children.length === 0 && prefix.length > 0) set.add(prefix);
      for (const child of children) walk(node[child]!, [...prefix, child.slice(2)]);
    };
    if (fields) walk(fields, []);
    return set;
  }

  add(path: FieldPath): void {
    this.paths.set(JSON.stringify(path), path);
  }

  delete(path: FieldPath): void {
    this.paths.delete(JSON.stringify(path));
  }

  has(path: FieldPath): boolean {
    return this.paths.has(JSON.stringify(path));
  }

  get size(): number {
    return this.paths.size;
  }

  [Symbol.iterator](): Iterator<FieldPath> {
    return this.paths.values();
  }

  equals(other: FieldSet): boolean {
    return this.size === other.size && [...this].every((path) => other.has(path));
  }

  toFieldsV1(): FieldsV1 {
    const root: FieldsV1 = {};
    const sorted = [...this.paths.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [, path] of sorted) {
      let node = root;
      for (const segment of path) {
        const key = `f:${segment}`;
        node[key] ??= {};
        node = node[key];
      }
    }
    return root;
  }
}

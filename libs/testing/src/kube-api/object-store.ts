import { tooOldResourceVersion } from './kube-api.errors.js';
import type { KubeObject } from './kube-object.js';

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One committed change, kept in the history that watches replay. */
export interface StoreEvent {
  type: StoreEventType;
  /** The revision this change was committed at. */
  revision: number;
  /** The resource id (`pods`, `tiers.projectcalico.org`). */
  resource: string;
  /** The object after the change; for DELETED its last state, stamped with the deletion revision. */
  object: KubeObject;
  /** The object before the change (MODIFIED and DELETED). */
  previous?: KubeObject;
}

export type StoreListener = (event: StoreEvent) => void;

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function keyOf(object: KubeObject): string {
  return objectKey(object.metadata.namespace, object.metadata.name ?? '');
}

function byKey(a: KubeObject, b: KubeObject): number {
  const ka = keyOf(a);
  const kb = keyOf(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * An in-memory etcd stand-in: objects per resource, one global monotonic revision that becomes
 * every object's `metadata.resourceVersion`, and an event history from which watches are
 * replayed and past list snapshots are rebuilt. Compaction forgets history; a revision older than
 * what is retained is then `410 Expired`. Objects handed in and out are copies.
 */
export class ObjectStore {
  private revision = 1;
  /** History holds every event with a revision greater than this. */
  private compactedRevision = 1;
  private readonly history: StoreEvent[] = [];
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly listeners = new Set<StoreListener>();

  constructor(private readonly historyLimit = Number.POSITIVE_INFINITY) {}

  /** The latest committed revision: the `resourceVersion` of lists and bookmarks. */
  get currentRevision(): number {
    return this.revision;
  }

  /** The oldest revision a watch may start from or a list snapshot may be taken at. */
  get oldestAvailableRevision(): number {
    return this.compactedRevision;
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const object = this.objects.get(resource)?.get(objectKey(namespace, name));
    return object && structuredClone(object);
  }

  /** Current objects of a resource (in one namespace, or all), ordered by namespace and name. */
  list(resource: string, namespace?: string): KubeObject[] {
    const all = [...(this.objects.get(resource)?.values() ?? [])];
    return all
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .sort(byKey)
      .map((o) => structuredClone(o));
  }

  /** The objects as they were at `revision`, rebuilt by undoing newer history. */
  listAt(resource: string, namespace: string | undefined, revision: number): KubeObject[] {
    this.assertRetained(revision);
    const state = new Map(this.objects.get(resource) ?? []);
    for (let index = this.history.length - 1; index >= 0; index -= 1) {
      const event = this.history[index]!;
      if (event.revision <= revision) break;
      if (event.resource !== resource) continue;
      if (event.type === 'ADDED') state.delete(keyOf(event.object));
      else if (event.previous) state.set(keyOf(event.previous), event.previous);
    }
    return [...state.values()]
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .sort(byKey)
      .map((o) => structuredClone(o));
  }

  /** Stores a new object (the caller checked it does not exist) and returns it with its resourceVersion. */
  insert(resource: string, object: KubeObject): KubeObject {
    return this.commit('ADDED', resource, object, undefined);
  }

  /** Replaces an existing object (the caller checked preconditions). */
  replace(resource: string, object: KubeObject): KubeObject {
    const previous = this.objects.get(resource)?.get(keyOf(object));
    return this.commit('MODIFIED', resource, object, previous);
  }

  /** Deletes an object; returns its last state stamped with the deletion revision, or undefined. */
  remove(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const previous = this.objects.get(resource)?.get(objectKey(namespace, name));
    if (!previous) return undefined;
    return this.commit('DELETED', resource, structuredClone(previous), previous);
  }

  /** History events of one resource committed after `revision`; 410 Expired when compacted away. */
  eventsSince(resource: string, revision: number): StoreEvent[] {
    this.assertRetained(revision);
    return this.history.filter((event) => event.resource === resource && event.revision > revision);
  }

  /** Forgets all history: every revision older than the current one becomes 410 Expired. */
  compact(): void {
    this.history.length = 0;
    this.compactedRevision = this.revision;
  }

  /** Calls `listener` synchronously after each commit, until the returned function is called. */
  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private assertRetained(revision: number): void {
    if (revision < this.compactedRevision) throw tooOldResourceVersion(revision, this.compactedRevision);
  }

  private commit(
    type: StoreEventType,
    resource: string,
    input: KubeObject,
    previous: KubeObject | undefined,
  ): KubeObject {
    this.revision += 1;
    const object = structuredClone(input);
    object.metadata.resourceVersion = String(this.revision);
    const objects = this.objects.get(resource) ?? new Map<string, KubeObject>();
    this.objects.set(resource, objects);
    if (type === 'DELETED') objects.delete(keyOf(object));
    else objects.set(keyOf(object), object);

    const event: StoreEvent = { type, revision: this.revision, resource, object };
    if (previous) event.previous = previous;
    this.record(event);
    for (const listener of [...this.listeners]) listener(event);
    return structuredClone(object);
  }

  private record(event: StoreEvent): void {
    this.history.push(event);
    while (this.history.length > this.historyLimit) {
      const dropped = this.history.shift()!;
      this.compactedRevision = dropped.revision;
    }
  }
}

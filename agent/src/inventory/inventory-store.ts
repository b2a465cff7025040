import {
  type InventoryChange,
  type InventoryKind,
  type InventoryObject,
  InventoryObjectSchema,
  type InventoryRef,
  inventoryKey,
} from '@meshplane/protocol';

/** What drivers write into: the cluster's objects as the protocol describes them. */
export interface InventorySink {
  upsert(object: InventoryObject): void;
  remove(ref: InventoryRef): void;
}

export type ChangeListener = (change: InventoryChange) => void;

interface Entry {
  object: InventoryObject;
  /** The object as JSON, to detect updates that change nothing the hub sees. */
  json: string;
}

/**
 * The agent's current view of its cluster, independent of the driver that fills it. Every
 * object is checked against the protocol schema on the way in, so a snapshot or delta built
 * from the store always encodes; an object that does not validate is dropped and counted.
 * Upserts that change nothing the hub sees (a pod's resourceVersion moving on) emit nothing.
 */
export class InventoryStore implements InventorySink {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<ChangeListener>();
  /** Objects refused by the schema since start. */
  invalidObjects = 0;
  lastInvalid: string | undefined;

  upsert(object: InventoryObject): void {
    const parsed = InventoryObjectSchema.safeParse(object);
    if (!parsed.success) {
      this.invalidObjects += 1;
      const issue = parsed.error.issues[0];
      this.lastInvalid = `${inventoryKey(object)}: ${issue?.path.join('.')} ${issue?.message}`;
      this.remove(object);
      return;
    }
    const key = inventoryKey(parsed.data);
    const json = JSON.stringify(parsed.data);
    if (this.entries.get(key)?.json === json) return;
    this.entries.set(key, { object: parsed.data, json });
    this.emit({ op: 'upsert', object: parsed.data });
  }

  remove(ref: InventoryRef): void {
    const key = inventoryKey(ref);
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    const { kind, name } = entry.object;
    const deleted: InventoryRef =
      'namespace' in entry.object ? { kind, namespace: entry.object.namespace, name } : { kind, name };
    this.emit({ op: 'delete', object: deleted });
  }

  get(key: string): InventoryObject | undefined {
    return this.entries.get(key)?.object;
  }

  /** Every object, in insertion order. */
  list(): InventoryObject[] {
    return [...this.entries.values()].map((entry) => entry.object);
  }

  /** Encoded size of each object, for splitting frames without encoding twice. */
  sizeOf(key: string): number {
    return Buffer.byteLength(this.entries.get(key)?.json ?? '', 'utf8');
  }

  get size(): number {
    return this.entries.size;
  }

  countByKind(): Partial<Record<InventoryKind, number>> {
    const counts: Partial<Record<InventoryKind, number>> = {};
    for (const { object } of this.entries.values()) counts[object.kind] = (counts[object.kind] ?? 0) + 1;
    return counts;
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: InventoryChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

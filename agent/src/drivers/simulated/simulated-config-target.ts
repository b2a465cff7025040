import type { ConfigObject, ConfigObjectRef } from '@meshplane/protocol';
import type { ConfigTarget, ManagedObject } from '../../config-apply/config-target.js';
import { isManagedByMeshplane, managedKindOf, refKey, refOf } from '../../config-apply/managed-kinds.js';
import { type ServedApi, servedApiOf } from '../../config-apply/served-kinds.js';
import { SIMULATED_CALICO_VERSION } from './scenario.js';

interface HeldObject {
  object: ConfigObject;
  revision: number;
}

/** Read-only view of the config a simulated cluster holds, for a simulated data plane. */
export interface AppliedConfigView {
  /** Every object held, optionally of one kind, ordered by kind, namespace and name. */
  objects(kind?: string): ConfigObject[];
  get(ref: ConfigObjectRef): ConfigObject | undefined;
  readonly size: number;
  /** Grows with every change of what is held. */
  readonly generation: number;
}

/**
 * Holds applied config in memory, keyed by apiVersion/kind/namespace/name, with the same
 * semantics as the Kubernetes target: applying identical content keeps the revision (reported
 * `unchanged`), and only objects with Meshplane's label are listed for pruning.
 */
export class SimulatedConfigTarget implements ConfigTarget, AppliedConfigView {
  private readonly held = new Map<string, HeldObject>();
  private revision = 0;
  private changes = 0;

  /**
   * @param reject Refuses an object as an API server would (admission, validation), with a message.
   * @param served The kinds the simulated API server serves (change it with {@link serve}).
   */
  constructor(
    private readonly reject: (object: ConfigObject) => string | undefined = () => undefined,
    private servedNow: ServedApi = servedApiOf(SIMULATED_CALICO_VERSION),
  ) {}

  /** The kinds the simulated API server serves now. */
  get served(): ServedApi {
    return this.servedNow;
  }

  async servedApi(): Promise<ServedApi> {
    return this.servedNow;
  }

  /** Serves another set of kinds from now on, as an upgraded (or downgraded) cluster would. */
  serve(served: ServedApi): void {
    this.servedNow = served;
  }

  get size(): number {
    return this.held.size;
  }

  /** Grows with every change of what is held, so a data plane knows when to re-read it. */
  get generation(): number {
    return this.changes;
  }

  async listManaged(): Promise<ManagedObject[]> {
    return [...this.held.values()]
      .filter(
        ({ object }) => managedKindOf(object) !== undefined && isManagedByMeshplane(object.metadata.labels),
      )
      .map(({ object, revision }) => ({ ref: refOf(object), revision: String(revision) }));
  }

  async apply(object: ConfigObject): Promise<string> {
    const refused = this.reject(object);
    if (refused !== undefined) throw new Error(refused);
    const key = refKey(refOf(object));
    const existing = this.held.get(key);
    if (existing !== undefined && canonical(existing.object) === canonical(object))
      return String(existing.revision);
    this.revision += 1;
    this.changes += 1;
    this.held.set(key, { object: structuredClone(object), revision: this.revision });
    return String(this.revision);
  }

  async delete(ref: ConfigObjectRef): Promise<void> {
    if (this.held.delete(refKey(ref))) this.changes += 1;
  }

  /** Puts an object as if someone other than Meshplane created it (tests, scenarios). */
  put(object: ConfigObject): void {
    this.revision += 1;
    this.changes += 1;
    this.held.set(refKey(refOf(object)), { object: structuredClone(object), revision: this.revision });
  }

  objects(kind?: string): ConfigObject[] {
    return [...this.held.entries()]
      .filter(([, { object }]) => kind === undefined || object.kind === kind)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, { object }]) => structuredClone(object));
  }

  get(ref: ConfigObjectRef): ConfigObject | undefined {
    const held = this.held.get(refKey(ref));
    return held === undefined ? undefined : structuredClone(held.object);
  }
}

/** JSON with object keys sorted, so key order never counts as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

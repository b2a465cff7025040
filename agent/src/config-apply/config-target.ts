import type { ConfigObject, ConfigObjectRef } from '@meshplane/protocol';
import type { ServedApi } from './served-kinds.js';

/** An object of a managed kind that carries Meshplane's managed-by label, as found in the cluster. */
export interface ManagedObject {
  ref: ConfigObjectRef;
  /** Changes whenever the object changes (a Kubernetes resourceVersion). */
  revision: string;
}

/**
 * Where a driver applies config: the Kubernetes API or a simulated cluster. The apply engine
 * decides what to apply, in which order, and what to prune; the target only does single writes.
 */
export interface ConfigTarget {
  /** Every object of the managed kinds labelled as Meshplane's (a kind not installed counts as empty). */
  listManaged(): Promise<ManagedObject[]>;
  /** Applies one object (server-side apply, field manager `meshplane`); resolves with its revision afterwards. */
  apply(object: ConfigObject): Promise<string>;
  /** Deletes one object; resolves also when it is already gone. */
  delete(ref: ConfigObjectRef): Promise<void>;
  /**
   * Which kinds the cluster serves now (API discovery of the managed kinds' group versions).
   * Asked before every push; a bundle using a kind not served is not applied at all. A target
   * without it is taken to serve every managed kind.
   */
  servedApi?(): Promise<ServedApi>;
}

import type { ConfigTarget } from '../config-apply/config-target.js';
import type { InventorySink } from '../inventory/inventory-store.js';
import type { FlowSource } from '../telemetry/flow-source.js';
import type { HttpRequestSource } from '../telemetry/http-request-source.js';

/** What the agent reports in `hello.cluster`. */
export interface ClusterInfo {
  kubernetesVersion?: string;
  nodeCount?: number;
  /** The Calico release (`ClusterInformation` `default`), when known. */
  calicoVersion?: string;
  /** The `projectcalico.org/v3` kinds the API server serves, sorted; absent when unknown. */
  calicoKinds?: string[];
}

/**
 * A source of the cluster's inventory: the Kubernetes API or a simulated cluster. The driver
 * writes objects into the sink; the agent turns them into snapshots and deltas.
 */
export interface InventoryDriver {
  readonly name: string;
  /** Resolves once the initial state is in the sink, so the first snapshot is complete. */
  start(sink: InventorySink): Promise<void>;
  stop(): Promise<void>;
  clusterInfo(): ClusterInfo;
  /** Looks again at what `clusterInfo` reports that can change (served kinds); before each connect. */
  refreshClusterInfo?(): Promise<void>;
  /** Where pushed config is applied; a driver without one makes the agent refuse `config.push`. */
  readonly config?: ConfigTarget;
  /** The cluster's flows; a driver without one makes the agent hold no telemetry. */
  readonly flows?: FlowSource;
  /** HTTP requests besides Envoy's access-log service (the simulated data plane's). */
  readonly httpRequests?: HttpRequestSource;
}

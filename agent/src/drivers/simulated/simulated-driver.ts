import { servedApiOf } from '../../config-apply/served-kinds.js';
import type { InventorySink } from '../../inventory/inventory-store.js';
import type { Logger } from '../../log.js';
import type { ClusterInfo, InventoryDriver } from '../driver.js';
import type { Scenario } from './scenario.js';
import { SimulatedCluster } from './simulated-cluster.js';
import { type AppliedConfigView, SimulatedConfigTarget } from './simulated-config-target.js';
import { SimulatedFlowSource } from './simulated-flow-source.js';
import { SimulatedHttpSource } from './simulated-http-source.js';

/**
 * Reports a simulated cluster generated from a scenario, and replays its churn on a timer. Lets
 * the demo and the tests run many "clusters" without Kubernetes.
 */
export class SimulatedDriver implements InventoryDriver {
  readonly name = 'simulated';
  readonly cluster: SimulatedCluster;
  /** Config pushed by the hub, held in memory. */
  readonly config: SimulatedConfigTarget;
  /** Flows between the simulated workloads, judged by the applied policies. */
  readonly flows: SimulatedFlowSource;
  /** HTTP requests between them, as node Envoys would log them; none unless the scenario asks. */
  readonly httpRequests: SimulatedHttpSource | undefined;
  private churnTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly scenario: Scenario,
    private readonly logger: Logger,
    config: SimulatedConfigTarget = new SimulatedConfigTarget(undefined, servedApiOf(scenario.calicoVersion)),
  ) {
    this.cluster = new SimulatedCluster(scenario);
    this.config = config;
    this.flows = new SimulatedFlowSource(scenario, this.cluster, config, logger);
    this.httpRequests =
      scenario.http.perSecond > 0 ? new SimulatedHttpSource(scenario, this.cluster) : undefined;
  }

  /** The config bundle as applied so far (objects by kind, namespace and name). */
  appliedConfig(): AppliedConfigView {
    return this.config;
  }

  async start(sink: InventorySink): Promise<void> {
    for (const object of this.cluster.objects()) sink.upsert(object);
    this.logger.info('simulated cluster ready', {
      cluster: this.scenario.cluster,
      nodes: this.cluster.nodeCount,
      workloads: this.scenario.workloads.length,
      services: this.scenario.services.length,
    });
    const every = this.scenario.churn.restartPodEveryMs;
    if (every !== undefined) this.churnTimer = setInterval(() => this.churn(sink), every);
  }

  async stop(): Promise<void> {
    clearInterval(this.churnTimer);
    this.flows.stop();
    this.httpRequests?.stop();
  }

  /** Versions and node count, and the Calico kinds the simulated API server serves now. */
  clusterInfo(): ClusterInfo {
    const served = this.config.served;
    const info: ClusterInfo = {
      kubernetesVersion: this.cluster.kubernetesVersion,
      nodeCount: this.cluster.nodeCount,
      calicoKinds: [...(served.kinds.get('projectcalico.org/v3') ?? [])].sort(),
    };
    if (served.calicoVersion !== undefined) info.calicoVersion = served.calicoVersion;
    return info;
  }

  /** Replaces one random pod now (the churn timer calls this too). */
  churn(sink: InventorySink): void {
    for (const change of this.cluster.restartRandomPod() ?? []) {
      if (change.op === 'upsert') sink.upsert(change.object);
      else sink.remove(change.object);
    }
  }
}

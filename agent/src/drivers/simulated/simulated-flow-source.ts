import {
  type CalicoResource,
  type Endpoint,
  type FlowPeer,
  type FlowVerdict,
  type Policy,
  PolicyEvaluator,
  ReferenceDataplane,
  type Tier,
  type TraceStep,
} from '@meshplane/policy';
import type { ConfigObject, FlowEndpoint, PolicyHit } from '@meshplane/protocol';
import { describeError } from '../../agent.errors.js';
import type { Logger } from '../../log.js';
import type { FlowDraft } from '../../telemetry/flow-buffer.js';
import type { FlowSource } from '../../telemetry/flow-source.js';
import { hostAddress, type Ipv4Cidr, parseIpv4Cidr } from './ipv4-cidr.js';
import { Prng, seedFromText } from './prng.js';
import type { Scenario, ScenarioService } from './scenario.js';
import { type ServiceBackend, serviceBackends, sliceAddresses, slicesByService } from './service-backends.js';
import type { SimulatedCluster } from './simulated-cluster.js';
import type { AppliedConfigView } from './simulated-config-target.js';

const CALICO = 'projectcalico.org/v3';
const POLICY_KINDS = new Set([
  'NetworkPolicy',
  'GlobalNetworkPolicy',
  'StagedNetworkPolicy',
  'StagedGlobalNetworkPolicy',
]);
/** Flows emitted per tick are spread over this period. */
const TICK_MS = 100;
/** Ports tried on a remote peer (a cluster's pods outside this one). */
const REMOTE_PORTS = [80, 443, 5432, 8080, 9090];

interface Destination {
  peer: FlowPeer;
  endpoint: FlowEndpoint;
  service?: FlowDraft['destService'];
  protocol: string;
}

interface PodView {
  id: string;
  endpoint: Endpoint;
  flow: FlowEndpoint;
}

/**
 * The simulated data plane's flows: traffic between the cluster's pods (mostly through its
 * Services), through its federated Services to the endpoints Meshplane pushed for them, and
 * straight to those endpoints' pod IPs (as clients of a headless Service or with client-side load
 * balancing do) — the pods of other clusters among them: cross-cluster traffic to pods that exist,
 * by the addresses the hub gave the cluster — and, when the scenario names peer clusters, to
 * addresses in their pod CIDRs. Each flow's verdict is what stock Calico in this cluster
 * enforces: `libs/policy`'s reference data plane (Felix's semantics over exactly the Calico
 * objects the cluster applied, its pods and namespaces); the policy trace it reports comes from
 * the evaluator the control plane uses (the differential tests prove the two agree). Where the
 * reference does not model what the cluster applied (named ports, `services` rules, ...), the
 * evaluator's verdict stands. With no config, everything is allowed. The choice of ends and
 * sizes follows the scenario's seeded PRNG.
 */
export class SimulatedFlowSource implements FlowSource {
  readonly name = 'simulated';
  private readonly random: Prng;
  private readonly peers: { cluster: string; cidr: Ipv4Cidr }[];
  private timer: NodeJS.Timeout | undefined;
  private owed = 0;
  private lastTick = 0;
  private world:
    | {
        configGeneration: number;
        podGeneration: number;
        evaluator: PolicyEvaluator | undefined;
        /** Felix's decision over what the cluster applied; undefined when it models not all of it. */
        reference: ReferenceDataplane | undefined;
        /** Whether a disagreement of the evaluator with the reference was logged (once per world). */
        disagreed: boolean;
        pods: PodView[];
        podsByIp: Map<string, PodView>;
        networkSets: { object: ConfigObject; nets: IpRange[] }[];
        /** The EndpointSlices Meshplane pushed (federated Services' endpoints), by `namespace/service`. */
        slices: Map<string, ConfigObject[]>;
        /** The pods of other clusters those slices name: reachable straight by their IPs. */
        remotePods: ServiceBackend[];
      }
    | undefined;

  constructor(
    private readonly scenario: Scenario,
    private readonly cluster: SimulatedCluster,
    private readonly config: AppliedConfigView,
    private readonly logger: Logger,
    private readonly perSecond = scenario.flows.perSecond,
    private readonly now: () => number = Date.now,
  ) {
    this.random = new Prng(((scenario.seed ?? seedFromText(scenario.cluster)) ^ 0x5f10f) >>> 0);
    this.peers = scenario.flows.peers.map((peer) => ({
      cluster: peer.cluster,
      cidr: parseIpv4Cidr(peer.podCidr)!,
    }));
  }

  start(sink: (flow: FlowDraft) => void): void {
    if (this.perSecond <= 0 || this.timer !== undefined) return;
    this.lastTick = this.now();
    this.timer = setInterval(() => {
      const now = this.now();
      this.owed += ((now - this.lastTick) * this.perSecond) / 1_000;
      this.lastTick = now;
      const count = Math.floor(this.owed);
      this.owed -= count;
      for (const flow of this.generate(count, Math.floor(now / 1_000))) sink(flow);
    }, TICK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The next `count` flows, for a window ending at `endTime` (epoch seconds). */
  generate(count: number, endTime: number): FlowDraft[] {
    const world = this.currentWorld();
    if (world.pods.length === 0) return [];
    const flows: FlowDraft[] = [];
    for (let i = 0; i < count; i += 1) {
      const source = this.random.pick(world.pods);
      const destination = this.destination(world, source);
      const verdict = this.evaluate(world.evaluator, source.id, destination);
      const packets = 1 + this.random.int(50);
      const flow: FlowDraft = {
        startTime: endTime - 15,
        endTime,
        source: source.flow,
        destination: destination.endpoint,
        protocol: destination.protocol,
        reporter: 'src',
        action: this.enforced(world, source, destination, verdict) ? 'allow' : 'deny',
        policies: verdict === undefined ? [] : policyHits(verdict),
        bytesIn: packets * (100 + this.random.int(1_400)),
        bytesOut: packets * (60 + this.random.int(400)),
        packetsIn: packets,
        packetsOut: packets + this.random.int(3),
        connectionsStarted: 1 + this.random.int(3),
        connectionsCompleted: this.random.int(3),
      };
      if (destination.service !== undefined) flow.destService = destination.service;
      flows.push(flow);
    }
    return flows;
  }

  private destination(world: NonNullable<SimulatedFlowSource['world']>, source: PodView): Destination {
    if (this.peers.length > 0 && this.random.next() < 0.2) return this.remoteDestination(world);
    // Services kube-proxy has endpoints for: selector Services, and federated ones once pushed.
    const services = this.scenario.services.filter(
      (service) => service.selector !== undefined || world.slices.has(serviceKey(service)),
    );
    if (services.length > 0 && this.random.next() < 0.8) {
      const service = this.random.pick(services);
      const through =
        service.selector === undefined
          ? this.federatedDestination(world, service)
          : this.serviceDestination(world, service, service.selector);
      if (through !== undefined) return through;
    }
    // Straight to a pod: of this cluster, or of another one whose address the cluster was given.
    const local = world.pods.filter((pod) => pod !== source).concat(source);
    const index = this.random.int(local.length + world.remotePods.length);
    const target = local[index];
    if (target !== undefined)
      return { peer: { endpoint: target.id }, endpoint: { ...target.flow, port: 8080 }, protocol: 'tcp' };
    const remote = world.remotePods[index - local.length]!;
    return {
      peer: { ip: remote.ip },
      endpoint: this.addressEndpoint(world, remote.ip, remote.port),
      protocol: 'tcp',
    };
  }

  /** To a pod of this cluster backing a selector Service. */
  private serviceDestination(
    world: NonNullable<SimulatedFlowSource['world']>,
    service: ScenarioService,
    selector: Record<string, string>,
  ): Destination | undefined {
    const backends = world.pods.filter(
      (pod) =>
        pod.endpoint.namespace === service.namespace &&
        Object.entries(selector).every(([key, value]) => pod.endpoint.labels[key] === value),
    );
    if (backends.length === 0) return undefined;
    const backend = this.random.pick(backends);
    const port = this.random.pick(service.ports);
    const targetPort = typeof port.targetPort === 'number' ? port.targetPort : port.port;
    return {
      peer: { endpoint: backend.id },
      endpoint: { ...backend.flow, port: targetPort },
      service: flowService(service, port),
      protocol: port.protocol.toLowerCase(),
    };
  }

  /**
   * Through a federated Service, to one of the endpoints of the slices Meshplane pushed for it,
   * as kube-proxy picks them: a pod of this cluster, or a pod of another one by its IP (which the
   * cluster knows only as an address, or through the network set Meshplane pushed for it).
   */
  private federatedDestination(
    world: NonNullable<SimulatedFlowSource['world']>,
    service: ScenarioService,
  ): Destination | undefined {
    const port = this.random.pick(service.ports);
    const backends = serviceBackends(world.slices.get(serviceKey(service)) ?? [], port);
    if (backends.length === 0) return undefined;
    const backend = this.random.pick(backends);
    const local = world.podsByIp.get(backend.ip);
    return {
      peer: local === undefined ? { ip: backend.ip } : { endpoint: local.id },
      endpoint:
        local === undefined
          ? this.addressEndpoint(world, backend.ip, backend.port)
          : { ...local.flow, port: backend.port },
      service: flowService(service, port),
      protocol: port.protocol.toLowerCase(),
    };
  }

  private remoteDestination(world: NonNullable<SimulatedFlowSource['world']>): Destination {
    const peer = this.random.pick(this.peers);
    const ip = hostAddress(peer.cidr, 1 + this.random.int(Math.max(1, Math.min(peer.cidr.size - 2, 250))));
    const port = this.random.pick(REMOTE_PORTS);
    return { peer: { ip }, endpoint: this.addressEndpoint(world, ip, port), protocol: 'tcp' };
  }

  /** An address outside the cluster's pods, as Calico names it: by a network set holding it, else `pvt`. */
  private addressEndpoint(
    world: NonNullable<SimulatedFlowSource['world']>,
    ip: string,
    port: number,
  ): FlowEndpoint {
    const set = world.networkSets.find(({ nets }) => nets.some((net) => contains(net, ip)));
    return set === undefined
      ? { name: 'pvt', namespace: '', type: 'pvt', labels: {}, ip, port }
      : {
          name: set.object.metadata.name,
          namespace: set.object.metadata.namespace ?? '',
          type: 'ns',
          labels: set.object.metadata.labels ?? {},
          ip,
          port,
        };
  }

  private evaluate(
    evaluator: PolicyEvaluator | undefined,
    sourceId: string,
    destination: Destination,
  ): FlowVerdict | undefined {
    if (evaluator === undefined) return undefined;
    try {
      return evaluator.evaluate({
        source: { endpoint: sourceId },
        destination: destination.peer,
        protocol: destination.protocol.toUpperCase() as 'TCP',
        destinationPort: destination.endpoint.port,
      });
    } catch (error) {
      this.logger.warn('simulated flow could not be evaluated; reported as allowed', {
        error: describeError(error),
      });
      return undefined;
    }
  }

  /**
   * Whether Calico in this cluster lets the flow through: the reference data plane's decision on
   * the packet, else (it does not model the applied config) the evaluator's.
   */
  private enforced(
    world: NonNullable<SimulatedFlowSource['world']>,
    source: PodView,
    destination: Destination,
    verdict: FlowVerdict | undefined,
  ): boolean {
    const evaluated = verdict === undefined || verdict.allowed;
    const to = destination.endpoint.ip;
    if (world.reference === undefined || source.flow.ip === undefined || to === undefined) return evaluated;
    let allowed: boolean;
    try {
      allowed = world.reference.decide({
        source: source.flow.ip,
        destination: to,
        protocol: destination.protocol.toUpperCase(),
        ...(destination.endpoint.port === undefined ? {} : { destinationPort: destination.endpoint.port }),
      }).allowed;
    } catch {
      return evaluated;
    }
    if (allowed !== evaluated && !world.disagreed) {
      world.disagreed = true;
      this.logger.warn(
        "the evaluator's verdict differs from the reference data plane's; reporting the reference's",
        {
          source: source.id,
          destination: to,
          protocol: destination.protocol,
        },
      );
    }
    return allowed;
  }

  /** The pods and applied config as of now; rebuilt only when either changed. */
  private currentWorld(): NonNullable<SimulatedFlowSource['world']> {
    const world = this.world;
    if (
      world !== undefined &&
      world.configGeneration === this.config.generation &&
      world.podGeneration === this.cluster.generation
    )
      return world;
    const clusterName = this.scenario.cluster;
    const namespaceLabels = this.cluster.namespaceLabels();
    // Kubernetes gives a pod without one the namespace's `default` service account.
    const podObjects = this.cluster
      .pods()
      .map(({ object }) => ({ ...object, serviceAccount: object.serviceAccount ?? 'default' }));
    const pods: PodView[] = podObjects.map((object) => {
      const id = `pod/${object.namespace}/${object.name}`;
      return {
        id,
        endpoint: {
          id,
          kind: 'workload',
          cluster: clusterName,
          namespace: object.namespace,
          labels: object.labels,
          namespaceLabels: namespaceLabels.get(object.namespace) ?? {},
          serviceAccount: { name: object.serviceAccount },
          ips: object.ips,
        },
        flow: {
          name: object.ownerName === undefined ? object.name : `${object.ownerName}-*`,
          namespace: object.namespace,
          type: 'wep',
          labels: object.labels,
          ip: object.ips[0]!,
          serviceAccount: object.serviceAccount,
        },
      };
    });
    const calico = this.config.objects().filter((object) => object.apiVersion === CALICO);
    const networkSets = calico
      .filter((object) => object.kind === 'GlobalNetworkSet' || object.kind === 'NetworkSet')
      .map((object) => ({
        object,
        nets: netsOf(object)
          .map(parseRange)
          .filter((net): net is IpRange => net !== undefined),
      }));
    const endpoints: Endpoint[] = [
      ...pods.map((pod) => pod.endpoint),
      ...networkSets.map(({ object }) => ({
        id: `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`,
        kind: 'networkset' as const,
        cluster: clusterName,
        // A namespaced set inherits its namespace's labels, as Calico gives it that namespace's profile.
        ...(object.metadata.namespace === undefined
          ? {}
          : {
              namespace: object.metadata.namespace,
              namespaceLabels: namespaceLabels.get(object.metadata.namespace) ?? {},
            }),
        labels: object.metadata.labels ?? {},
        ips: netsOf(object),
      })),
    ];
    const tiers: Tier[] = calico
      .filter((object) => object.kind === 'Tier')
      .map((object) => {
        const spec = (object.spec ?? {}) as { order?: number; defaultAction?: 'Deny' | 'Pass' };
        const tier: { name: string; order?: number; defaultAction?: 'Deny' | 'Pass' } = {
          name: object.metadata.name,
        };
        if (spec.order !== undefined) tier.order = spec.order;
        if (spec.defaultAction !== undefined) tier.defaultAction = spec.defaultAction;
        return tier;
      });
    const policies = calico.filter((object) => POLICY_KINDS.has(object.kind)).map(toPolicy);
    let evaluator: PolicyEvaluator | undefined;
    if (tiers.length > 0 || policies.length > 0) {
      try {
        evaluator = new PolicyEvaluator({ tiers, policies, endpoints });
      } catch (error) {
        this.logger.warn('the applied policies cannot be evaluated; simulated flows are allowed', {
          error: describeError(error),
        });
      }
    } else {
      evaluator = new PolicyEvaluator({ tiers: [], policies: [], endpoints });
    }
    let reference: ReferenceDataplane | undefined;
    try {
      const accounts = new Map(
        podObjects.map(({ namespace, serviceAccount: name }) => [
          `${namespace}/${name}`,
          { namespace, name },
        ]),
      );
      reference = new ReferenceDataplane({
        namespaces: [...namespaceLabels].map(([name, labels]) => ({ name, labels })),
        serviceAccounts: [...accounts.values()],
        pods: podObjects.map(({ namespace, name, labels, ips, serviceAccount }) => ({
          namespace,
          name,
          labels,
          ips,
          serviceAccount,
        })),
        objects: calico as CalicoResource[],
      });
    } catch (error) {
      this.logger.debug('the reference data plane does not model the applied config; the evaluator decides', {
        error: describeError(error),
      });
    }
    const podsByIp = new Map(pods.map((pod) => [pod.flow.ip!, pod]));
    const slices = slicesByService(this.config.objects('EndpointSlice'));
    this.world = {
      configGeneration: this.config.generation,
      podGeneration: this.cluster.generation,
      evaluator,
      reference,
      disagreed: false,
      pods,
      podsByIp,
      networkSets,
      slices,
      remotePods: sliceAddresses(slices.values()).filter(({ ip }) => !podsByIp.has(ip)),
    };
    return this.world;
  }
}

function serviceKey(service: ScenarioService): string {
  return `${service.namespace}/${service.name}`;
}

function flowService(
  service: ScenarioService,
  port: ScenarioService['ports'][number],
): NonNullable<FlowDraft['destService']> {
  const named: NonNullable<FlowDraft['destService']> = {
    namespace: service.namespace,
    name: service.name,
    port: port.port,
  };
  if (port.name !== undefined) named.portName = port.name;
  return named;
}

function netsOf(object: ConfigObject): string[] {
  const nets = (object.spec as { nets?: unknown } | undefined)?.nets;
  return Array.isArray(nets) ? nets.filter((net): net is string => typeof net === 'string') : [];
}

function toPolicy(object: ConfigObject): Policy {
  const staged = object.kind.startsWith('Staged');
  const { stagedAction: _stagedAction, ...rest } = (object.spec ?? {}) as Record<string, unknown>;
  const spec = staged ? { ...rest, staged: true } : rest;
  return object.kind.endsWith('GlobalNetworkPolicy')
    ? ({ kind: 'GlobalNetworkPolicy', metadata: { name: object.metadata.name }, spec } as Policy)
    : ({
        kind: 'NetworkPolicy',
        metadata: { name: object.metadata.name, namespace: object.metadata.namespace ?? 'default' },
        spec,
      } as Policy);
}

/** Goldmane-style policy hits: the enforced trace of both sides, then the staged policies' steps. */
export function policyHits(verdict: FlowVerdict): PolicyHit[] {
  const hits: PolicyHit[] = [];
  const add = (steps: readonly TraceStep[] | undefined, stagedOnly: boolean) => {
    for (const step of steps ?? []) {
      if (step.kind === 'rule') {
        if (stagedOnly && !step.staged) continue;
        const slash = step.policy.indexOf('/');
        const hit: PolicyHit = {
          tier: step.tier,
          name: slash < 0 ? step.policy : step.policy.slice(slash + 1),
          kind: step.staged ? `Staged${step.policyKind}` : step.policyKind,
          action: step.action.toLowerCase() as PolicyHit['action'],
          policyIndex: hits.length,
          ruleIndex: step.ruleIndex,
        };
        if (slash >= 0) hit.namespace = step.policy.slice(0, slash);
        if (step.staged) hit.staged = true;
        hits.push(hit);
      } else if (step.kind === 'tier-default' && !stagedOnly) {
        hits.push({
          tier: step.tier,
          name: step.tier,
          kind: 'EndOfTier',
          action: step.action.toLowerCase() as PolicyHit['action'],
          policyIndex: hits.length,
          ruleIndex: -1,
        });
      }
    }
  };
  add(verdict.egress?.trace, false);
  add(verdict.ingress?.trace, false);
  add(verdict.staged.egress?.trace, true);
  add(verdict.staged.ingress?.trace, true);
  return hits.slice(0, 100);
}

/** An IPv4 network as [first, last] address numbers. */
interface IpRange {
  first: number;
  last: number;
}

function ipv4Number(ip: string): number | undefined {
  const octets = ip.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return undefined;
  return octets.reduce((total, octet) => total * 256 + octet, 0);
}

function parseRange(net: string): IpRange | undefined {
  const [address = '', prefixText = '32'] = net.split('/');
  const value = ipv4Number(address);
  const prefix = Number(prefixText);
  if (value === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const first = value - (value % size);
  return { first, last: first + size - 1 };
}

function contains(net: IpRange, ip: string): boolean {
  const value = ipv4Number(ip);
  return value !== undefined && value >= net.first && value <= net.last;
}

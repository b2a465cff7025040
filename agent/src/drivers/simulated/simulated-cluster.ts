import {
  type EndpointSliceObject,
  type InventoryChange,
  type InventoryObject,
  type NamespaceObject,
  type NodeObject,
  type PodObject,
  type ServiceAccountObject,
  type ServiceExportObject,
  type ServiceObject,
  WIREGUARD_PUBLIC_KEY_ANNOTATION,
} from '@meshplane/protocol';
import { hostAddress, type Ipv4Cidr, parseIpv4Cidr } from './ipv4-cidr.js';
import { Prng, seedFromText } from './prng.js';
import type { Scenario, ScenarioService, ScenarioWorkload } from './scenario.js';

/** The annotation that makes a selector-less Service federated (DESIGN.md §1). */
export const FEDERATION_ANNOTATION = 'federation.meshplane.io/serviceSelector';

interface SimulatedPod {
  object: PodObject;
  workload: ScenarioWorkload;
}

/**
 * The state of a simulated cluster, generated from a scenario with a seeded PRNG: the same
 * scenario always yields the same nodes, pod names and IPs. Pods of a workload share a
 * ReplicaSet-style name and `pod-template-hash`; each selector Service has one EndpointSlice
 * listing its pods. `restartRandomPod` replaces one pod (new name, new IP) and returns the
 * resulting changes, as a real rollout or crash would produce them.
 */
export class SimulatedCluster {
  private readonly random: Prng;
  private readonly podCidr: Ipv4Cidr;
  private readonly usedPodAddresses = new Set<number>();
  private readonly nodes: NodeObject[];
  private readonly podsByKey = new Map<string, SimulatedPod>();
  private readonly templateHashes = new Map<ScenarioWorkload, string>();
  private podGeneration = 0;

  constructor(private readonly scenario: Scenario) {
    this.random = new Prng(scenario.seed ?? seedFromText(scenario.cluster));
    this.podCidr = parseIpv4Cidr(scenario.podCidr)!;
    this.nodes = this.makeNodes();
    for (const workload of scenario.workloads) {
      this.templateHashes.set(workload, this.random.suffix(10));
      for (let replica = 0; replica < workload.replicas; replica += 1) this.addPod(workload);
    }
  }

  get kubernetesVersion(): string {
    return this.scenario.kubernetesVersion;
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  /** Grows by one whenever a pod is replaced, so a data plane knows when to re-read `pods()`. */
  get generation(): number {
    return this.podGeneration;
  }

  /** The pods running now, with the workload each belongs to. */
  pods(): readonly { object: PodObject; workload: ScenarioWorkload }[] {
    return [...this.podsByKey.values()];
  }

  /** The namespaces of the scenario with their labels (as the inventory reports them). */
  namespaceLabels(): ReadonlyMap<string, Record<string, string>> {
    return new Map(this.namespaces().map((namespace) => [namespace.name, namespace.labels]));
  }

  /** Every object of the cluster, cluster-scoped kinds first. */
  objects(): InventoryObject[] {
    return [
      ...this.namespaces(),
      ...this.nodes,
      ...this.serviceAccounts(),
      ...[...this.podsByKey.values()].map((pod) => pod.object),
      ...this.scenario.services.map((service, index) => this.service(service, index)),
      ...this.endpointSlices(),
      ...this.serviceExports(),
    ];
  }

  /** Replaces one random pod; `undefined` when the cluster has none. */
  restartRandomPod(): InventoryChange[] | undefined {
    if (this.podsByKey.size === 0) return undefined;
    const victim = this.random.pick([...this.podsByKey.values()]);
    const { namespace, name } = victim.object;
    this.podsByKey.delete(`${namespace}/${name}`);
    this.usedPodAddresses.delete(this.addressIndex(victim.object.ips[0]!));
    const replacement = this.addPod(victim.workload);
    this.podGeneration += 1;
    const slices = this.endpointSlices().filter((slice) => slice.namespace === namespace);
    return [
      { op: 'delete', object: { kind: 'pod', namespace, name } },
      { op: 'upsert', object: replacement.object },
      ...slices.map((slice): InventoryChange => ({ op: 'upsert', object: slice })),
    ];
  }

  private makeNodes(): NodeObject[] {
    const nodeCidr = parseIpv4Cidr(this.scenario.nodeCidr)!;
    const { count, namePrefix, labels, wireguard } = this.scenario.nodes;
    return Array.from({ length: count }, (_, index) => {
      const name = `${namePrefix}-${index + 1}`;
      const annotations: Record<string, string> = {};
      if (wireguard) annotations[WIREGUARD_PUBLIC_KEY_ANNOTATION] = this.random.bytes(32).toString('base64');
      return {
        kind: 'node',
        name,
        labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...labels },
        annotations,
        internalIPs: [hostAddress(nodeCidr, 10 + index)],
      };
    });
  }

  private addPod(workload: ScenarioWorkload): SimulatedPod {
    const hash = this.templateHashes.get(workload)!;
    let name: string;
    do name = `${workload.name}-${hash}-${this.random.suffix(5)}`;
    while (this.podsByKey.has(`${workload.namespace}/${name}`));
    const node = this.random.pick(this.nodes);
    const pod: SimulatedPod = {
      workload,
      object: {
        kind: 'pod',
        namespace: workload.namespace,
        name,
        labels: { ...workload.labels, 'pod-template-hash': hash },
        ips: [this.allocatePodAddress()],
        nodeName: node.name,
        serviceAccount: workload.serviceAccount ?? 'default',
        ready: true,
        phase: 'Running',
        ownerKind: 'ReplicaSet',
        ownerName: `${workload.name}-${hash}`,
      },
    };
    this.podsByKey.set(`${workload.namespace}/${name}`, pod);
    return pod;
  }

  private allocatePodAddress(): string {
    for (;;) {
      const index = this.random.int(this.podCidr.size);
      if (this.usedPodAddresses.has(index)) continue;
      this.usedPodAddresses.add(index);
      return hostAddress(this.podCidr, index);
    }
  }

  private addressIndex(ip: string): number {
    const value = ip.split('.').reduce((total, octet) => total * 256 + Number(octet), 0);
    return value - this.podCidr.base - 1;
  }

  private namespaces(): NamespaceObject[] {
    return this.scenario.namespaces.map((namespace) => ({
      kind: 'namespace',
      name: namespace.name,
      labels: { 'kubernetes.io/metadata.name': namespace.name, ...namespace.labels },
    }));
  }

  private serviceAccounts(): ServiceAccountObject[] {
    const accounts = new Map<string, ServiceAccountObject>();
    const add = (namespace: string, name: string) =>
      accounts.set(`${namespace}/${name}`, { kind: 'serviceaccount', namespace, name, labels: {} });
    for (const namespace of this.scenario.namespaces) add(namespace.name, 'default');
    for (const workload of this.scenario.workloads) {
      if (workload.serviceAccount) add(workload.namespace, workload.serviceAccount);
    }
    return [...accounts.values()];
  }

  private service(service: ScenarioService, index: number): ServiceObject {
    const serviceCidr = parseIpv4Cidr(this.scenario.serviceCidr)!;
    return {
      kind: 'service',
      namespace: service.namespace,
      name: service.name,
      labels: service.labels,
      annotations: service.federation === undefined ? {} : { [FEDERATION_ANNOTATION]: service.federation },
      selector: service.selector ?? null,
      ports: service.ports.map((port) => {
        const converted: ServiceObject['ports'][number] = { port: port.port, protocol: port.protocol };
        if (port.name !== undefined) converted.name = port.name;
        converted.targetPort = port.targetPort ?? port.port;
        return converted;
      }),
      clusterIPs: [hostAddress(serviceCidr, 10 + index)],
      type: 'ClusterIP',
    };
  }

  /** One slice per selector Service, named `<service>-sim`, with every matching pod. */
  private endpointSlices(): EndpointSliceObject[] {
    const slices: EndpointSliceObject[] = [];
    for (const service of this.scenario.services) {
      const selector = service.selector;
      if (selector === undefined) continue;
      const members = [...this.podsByKey.values()]
        .map((pod) => pod.object)
        .filter((pod) => pod.namespace === service.namespace && matches(selector, pod.labels));
      slices.push({
        kind: 'endpointslice',
        namespace: service.namespace,
        name: `${service.name}-sim`,
        service: service.name,
        addressType: 'IPv4',
        endpoints: members.slice(0, 1_000).map((pod) => ({
          addresses: [pod.ips[0]!],
          ready: pod.ready,
          nodeName: pod.nodeName,
          targetRef: { kind: 'Pod', namespace: pod.namespace, name: pod.name },
        })),
        ports: service.ports.map((port) => {
          const converted: EndpointSliceObject['ports'][number] = {
            port: typeof port.targetPort === 'number' ? port.targetPort : port.port,
            protocol: port.protocol,
          };
          if (port.name !== undefined) converted.name = port.name;
          return converted;
        }),
      });
    }
    return slices;
  }

  private serviceExports(): ServiceExportObject[] {
    return this.scenario.services
      .filter((service) => service.export)
      .map((service) => ({ kind: 'serviceexport', namespace: service.namespace, name: service.name }));
  }
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InventoryChange, InventoryObject, MessageOf, PodObject } from '@meshplane/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { isAgentError } from '../../agent.errors.js';
import { type AgentHandle, startAgent } from '../../agent.js';
import { MemoryCredentialStore } from '../../credentials/credential-store.js';
import { InventoryStore } from '../../inventory/inventory-store.js';
import { silentLogger } from '../../log.js';
import {
  SMALL_SCENARIO_YAML,
  smallScenario,
  storedCredential,
  testConfig,
} from '../../spec-support/agent-fixtures.js';
import { FakeHub } from '../../spec-support/fake-hub.js';
import { parseIpv4Cidr } from './ipv4-cidr.js';
import { loadScenario, parseScenario } from './scenario.js';
import { FEDERATION_ANNOTATION, SimulatedCluster } from './simulated-cluster.js';
import { SimulatedDriver } from './simulated-driver.js';

const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), '../../../scenarios');

function ofKind<K extends InventoryObject['kind']>(objects: InventoryObject[], kind: K) {
  return objects.filter((object): object is Extract<InventoryObject, { kind: K }> => object.kind === kind);
}

function scenarioError(text: string, source = 'bad.yaml'): string {
  try {
    parseScenario(text, source);
  } catch (error) {
    expect(isAgentError(error, 'scenario_invalid')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected the scenario to be refused');
}

describe('scenario parsing', () => {
  it('names the line of a YAML syntax error', () => {
    expect(scenarioError('cluster: a\nnodes: [unclosed\n')).toMatch(
      /^scenario bad\.yaml is not valid YAML at line \d/,
    );
  });

  it('names the file and reports JSON syntax errors for .json files', () => {
    expect(scenarioError('{"cluster": ', 'c.json')).toMatch(/^scenario c\.json is not valid JSON/);
  });

  it('names the path of a missing or wrong field', () => {
    expect(scenarioError('cluster: a\nnamespaces: [{ name: shop }]\n')).toBe(
      'scenario bad.yaml: nodes: Invalid input: expected object, received undefined',
    );
    const replicas = SMALL_SCENARIO_YAML.replace('replicas: 2', 'replicas: two');
    expect(scenarioError(replicas)).toMatch(/^scenario bad\.yaml: workloads\[0\]\.replicas: /);
  });

  it('refuses unknown fields, so typos do not pass silently', () => {
    expect(scenarioError(`${SMALL_SCENARIO_YAML}\nchrun: {}\n`)).toMatch(/chrun/);
  });

  it('refuses a workload in an undeclared namespace', () => {
    const text = SMALL_SCENARIO_YAML.replace('{ name: db, namespace: shop', '{ name: db, namespace: nowhere');
    expect(scenarioError(text)).toBe(
      'scenario bad.yaml: workloads[1].namespace: namespace nowhere is not declared in namespaces',
    );
  });

  it('refuses a service with both a selector and a federation selector', () => {
    const text = SMALL_SCENARIO_YAML.replace(
      'federation: "app == \'web\'"',
      'federation: "app == \'web\'", selector: { app: web }',
    );
    expect(scenarioError(text)).toMatch(/services\[1\]: expected exactly one of selector or federation/);
  });

  it('reports an unreadable file by path', async () => {
    await expect(loadScenario('/nonexistent/scenario.yaml')).rejects.toThrow(
      /cannot read scenario \/nonexistent\/scenario\.yaml/,
    );
  });

  it('ships valid scenarios for the three demo clusters', async () => {
    const files = (await readdir(SCENARIOS)).sort();
    expect(files).toEqual(['eu-central-1.yaml', 'eu-west-1.yaml', 'us-east-1.yaml']);
    for (const file of files) {
      const scenario = await loadScenario(join(SCENARIOS, file));
      expect(scenario.cluster).toBe(file.replace('.yaml', ''));
      expect(new SimulatedCluster(scenario).objects().length).toBeGreaterThan(10);
    }
  });
});

describe('simulated Calico', () => {
  it("reports the scenario's Calico version and the kinds that release serves", () => {
    const older = new SimulatedDriver(smallScenario({ calicoVersion: 'v3.29.3' }), silentLogger);
    expect(older.clusterInfo()).toMatchObject({ calicoVersion: 'v3.29.3' });
    expect(older.clusterInfo().calicoKinds).toContain('Tier');
    expect(older.clusterInfo().calicoKinds).not.toContain('StagedNetworkPolicy');
    expect(new SimulatedDriver(smallScenario(), silentLogger).clusterInfo().calicoKinds).toContain(
      'StagedGlobalNetworkPolicy',
    );
  });

  it('refuses a scenario Calico version that is not one', () => {
    expect(() => parseScenario(`${SMALL_SCENARIO_YAML}calicoVersion: latest\n`, 'bad.yaml')).toThrow(
      /calicoVersion/,
    );
  });
});

describe('simulated cluster', () => {
  it('generates the namespaces, nodes, pods, services and slices the scenario describes', () => {
    const objects = new SimulatedCluster(smallScenario()).objects();
    const pods = ofKind(objects, 'pod');
    const cidr = parseIpv4Cidr('10.50.0.0/16')!;

    expect(ofKind(objects, 'namespace').map((ns) => ns.name)).toEqual(['shop']);
    expect(ofKind(objects, 'node').map((node) => node.name)).toEqual(['node-1', 'node-2']);
    expect(
      ofKind(objects, 'node').every((node) => node.annotations['projectcalico.org/WireguardPublicKey']),
    ).toBe(true);
    expect(pods.filter((pod) => pod.labels.app === 'web')).toHaveLength(2);
    expect(pods.filter((pod) => pod.labels.app === 'db')).toHaveLength(1);
    for (const pod of pods) {
      const value = pod.ips[0]!.split('.').reduce((total, octet) => total * 256 + Number(octet), 0);
      expect(value - cidr.base).toBeGreaterThan(0);
      expect(value - cidr.base).toBeLessThanOrEqual(cidr.size);
    }
    expect(new Set(pods.map((pod) => pod.ips[0])).size).toBe(pods.length);
    expect(
      ofKind(objects, 'serviceaccount')
        .map((sa) => sa.name)
        .sort(),
    ).toEqual(['default', 'web']);
  });

  it('makes a federated service selector-less with the federation annotation', () => {
    const services = ofKind(new SimulatedCluster(smallScenario()).objects(), 'service');
    expect(services.find((service) => service.name === 'web-global')).toMatchObject({
      selector: null,
      annotations: { [FEDERATION_ANNOTATION]: "app == 'web'" },
    });
    expect(services.find((service) => service.name === 'web')?.selector).toEqual({ app: 'web' });
  });

  it('lists the selected pods in the service EndpointSlice', () => {
    const objects = new SimulatedCluster(smallScenario()).objects();
    const webPods = ofKind(objects, 'pod').filter((pod) => pod.labels.app === 'web');
    const slice = ofKind(objects, 'endpointslice').find((candidate) => candidate.service === 'web');
    expect(slice?.endpoints.map((endpoint) => endpoint.addresses[0]).sort()).toEqual(
      webPods.map((pod) => pod.ips[0]).sort(),
    );
    expect(slice?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });

  it('generates the same cluster from the same scenario and seed', () => {
    expect(new SimulatedCluster(smallScenario()).objects()).toEqual(
      new SimulatedCluster(smallScenario()).objects(),
    );
    expect(new SimulatedCluster(smallScenario({ seed: 8 })).objects()).not.toEqual(
      new SimulatedCluster(smallScenario()).objects(),
    );
  });

  it('replaces a pod on restart with a new name and IP and updates its slice', () => {
    const cluster = new SimulatedCluster(smallScenario());
    const before = ofKind(cluster.objects(), 'pod');
    const changes = cluster.restartRandomPod()!;
    const deleted = changes[0]!;
    const added = changes[1]! as Extract<InventoryChange, { op: 'upsert' }>;

    expect(deleted.op).toBe('delete');
    expect(before.map((pod) => pod.name)).toContain(deleted.object.name);
    expect(added.op).toBe('upsert');
    const pod = added.object as PodObject;
    expect(before.map((existing) => existing.name)).not.toContain(pod.name);
    expect(before.map((existing) => existing.ips[0])).not.toContain(pod.ips[0]);
    expect(ofKind(cluster.objects(), 'pod')).toHaveLength(before.length);
  });

  it('passes every generated object through the protocol schema', () => {
    const store = new InventoryStore();
    const cluster = new SimulatedCluster(smallScenario());
    for (const object of cluster.objects()) store.upsert(object);
    expect(store.invalidObjects).toBe(0);
    expect(store.size).toBe(cluster.objects().length);
  });
});

describe('simulated driver with a hub', () => {
  let hub: FakeHub | undefined;
  let agent: AgentHandle | undefined;

  afterEach(async () => {
    await agent?.stop();
    await hub?.close();
  });

  async function startSimulated(scenario = smallScenario()) {
    hub = await FakeHub.start();
    agent = await startAgent(testConfig(hub.url), {
      driver: new SimulatedDriver(scenario, silentLogger),
      credentialStore: new MemoryCredentialStore(storedCredential()),
      logger: silentLogger,
    });
    return hub.connection(0);
  }

  it('sends a snapshot holding exactly the objects of the scenario', async () => {
    const connection = await startSimulated();
    const snapshot = await connection.snapshot();
    expect(snapshot.objects).toEqual(new SimulatedCluster(smallScenario()).objects());
  });

  it('turns the scenario churn into deltas replacing pods', async () => {
    const connection = await startSimulated(smallScenario({ churn: { restartPodEveryMs: 20 } }));
    await connection.snapshot();
    const delta: MessageOf<'inventory.delta'> = await connection.waitFor('inventory.delta');

    expect(delta.seq).toBe(1);
    const ops = delta.changes.map((change) => `${change.op} ${change.object.kind}`);
    expect(ops).toContain('delete pod');
    expect(ops).toContain('upsert pod');
  });
});

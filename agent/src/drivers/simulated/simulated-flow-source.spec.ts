import { ReferenceDataplane } from '@meshplane/policy';
import { type ConfigObject, FlowRecordSchema } from '@meshplane/protocol';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../log.js';
import { smallScenario } from '../../spec-support/agent-fixtures.js';
import { endpointSlice, policy, tier } from '../../spec-support/config-fixtures.js';
import type { Scenario } from './scenario.js';
import { SimulatedCluster } from './simulated-cluster.js';
import { SimulatedConfigTarget } from './simulated-config-target.js';
import { SimulatedFlowSource } from './simulated-flow-source.js';

const END = 1_800_000_000;
const PEERS = { perSecond: 5, peers: [{ cluster: 'peer-1', podCidr: '10.60.0.0/16' }] };

function source(
  scenario: Scenario = smallScenario(),
  config = new SimulatedConfigTarget(),
  perSecond?: number,
) {
  const cluster = new SimulatedCluster(scenario);
  return new SimulatedFlowSource(scenario, cluster, config, silentLogger, perSecond);
}

describe('SimulatedFlowSource', () => {
  it('is deterministic for a scenario seed, and every record is a valid FlowRecord once numbered', () => {
    const a = source().generate(50, END);
    const b = source().generate(50, END);
    expect(a).toEqual(b);
    expect(a).toHaveLength(50);
    for (const [index, flow] of a.entries())
      expect(FlowRecordSchema.safeParse({ seq: index + 1, ...flow }).success).toBe(true);
    const other = source(smallScenario({ seed: 99 })).generate(50, END);
    expect(other).not.toEqual(a);
  });

  it('reports traffic between the workloads, through their services, all allowed with no config', () => {
    const flows = source().generate(200, END);
    expect(flows.every((flow) => flow.action === 'allow' && flow.policies.length === 0)).toBe(true);
    expect(new Set(flows.map((flow) => flow.source.name.replace(/-[a-z0-9]+-\*$/, '')))).toEqual(
      new Set(['web', 'db']),
    );
    const viaService = flows.filter((flow) => flow.destService?.name === 'web');
    expect(viaService.length).toBeGreaterThan(0);
    expect(
      viaService.every((flow) => flow.destination.labels.app === 'web' && flow.destination.port === 8080),
    ).toBe(true);
  });

  it('decides each flow with the applied Calico policies and reports the trace', async () => {
    const config = new SimulatedConfigTarget();
    const flows = source(smallScenario(), config);
    expect(flows.generate(20, END).some((flow) => flow.action === 'deny')).toBe(false);
    // Only db may reach web; everything else to web is denied by the tier's default.
    await config.apply(tier('security'));
    await config.apply(
      policy('web-from-db', 'shop', {
        ingress: [{ action: 'Allow', source: { selector: "app == 'db'" } }],
      }),
    );
    const judged = flows.generate(300, END);
    const toWeb = judged.filter((flow) => flow.destination.labels.app === 'web');
    const denied = toWeb.filter((flow) => flow.action === 'deny');
    const allowed = toWeb.filter((flow) => flow.action === 'allow');
    expect(denied.length).toBeGreaterThan(0);
    expect(allowed.length).toBeGreaterThan(0);
    expect(denied.every((flow) => flow.source.labels.app !== 'db')).toBe(true);
    expect(allowed.every((flow) => flow.source.labels.app === 'db')).toBe(true);
    expect(denied[0]!.policies).toEqual([
      {
        tier: 'security',
        name: 'security',
        kind: 'EndOfTier',
        action: 'deny',
        policyIndex: 0,
        ruleIndex: -1,
      },
    ]);
    expect(allowed[0]!.policies).toEqual([
      {
        tier: 'security',
        name: 'web-from-db',
        namespace: 'shop',
        kind: 'NetworkPolicy',
        action: 'allow',
        policyIndex: 0,
        ruleIndex: 0,
      },
    ]);
    // Flows not to web are not selected by the policy: allowed, no trace.
    expect(
      judged.filter((flow) => flow.destination.labels.app !== 'web').every((f) => f.action === 'allow'),
    ).toBe(true);
  });

  it("takes each verdict from the reference data plane over the applied objects, and says when the evaluator's differs", async () => {
    const config = new SimulatedConfigTarget();
    await config.apply(tier('security'));
    await config.apply(
      policy('web-from-db', 'shop', { ingress: [{ action: 'Allow', source: { selector: "app == 'db'" } }] }),
    );
    const warn = vi.fn();
    const scenario = smallScenario();
    const flows = new SimulatedFlowSource(scenario, new SimulatedCluster(scenario), config, {
      ...silentLogger,
      warn,
    });
    const decide = vi.spyOn(ReferenceDataplane.prototype, 'decide');
    try {
      const judged = flows.generate(100, END);
      expect(decide).toHaveBeenCalledTimes(100);
      // The two agree (the differential tests prove it), so nothing is logged.
      expect(judged.some((flow) => flow.action === 'deny')).toBe(true);
      expect(warn).not.toHaveBeenCalled();
      // Were they to differ, the reference's verdict is reported, and the difference logged once.
      decide.mockReturnValue({ allowed: false });
      const overruled = flows.generate(50, END);
      expect(overruled.every((flow) => flow.action === 'deny')).toBe(true);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(/differs from the reference data plane/);
    } finally {
      decide.mockRestore();
    }
  });

  it("sends some flows to peers' pod CIDRs, named by the network set that holds the address", async () => {
    const config = new SimulatedConfigTarget();
    await config.apply({
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkSet',
      metadata: { name: 'mp-peer', labels: { 'meshplane.io/cluster': 'peer-1', app: 'api' } },
      spec: { nets: ['10.60.0.0/24'] },
    });
    const flows = source(smallScenario({ flows: PEERS }), config).generate(300, END);
    const remote = flows.filter((flow) => flow.destination.ip?.startsWith('10.60.'));
    expect(remote.length).toBeGreaterThan(20);
    expect(
      remote.every((flow) => flow.destination.type === 'ns' && flow.destination.name === 'mp-peer'),
    ).toBe(true);
    expect(remote[0]!.destination.labels['meshplane.io/cluster']).toBe('peer-1');
  });

  describe('through a federated Service', () => {
    const REMOTE = '10.60.0.5';
    const scenario = smallScenario();
    const webIps = new SimulatedCluster(scenario)
      .pods()
      .filter(({ object }) => object.labels.app === 'web')
      .map(({ object }) => object.ips[0]!);

    /** The slice the hub writes for web-global: the local web pods and one pod of another cluster. */
    const webAndRemote = () =>
      endpointSlice(
        'web-global-mp-1',
        [...webIps, REMOTE].map((ip) => ({ ip })),
      );
    async function applied(...objects: ConfigObject[]): Promise<SimulatedConfigTarget> {
      const config = new SimulatedConfigTarget();
      for (const object of objects) await config.apply(object);
      return config;
    }

    it('sends none before Meshplane pushed its endpoints', () => {
      const flows = source().generate(300, END);
      expect(flows.some((flow) => flow.destService?.name === 'web-global')).toBe(false);
    });

    it("goes to the pushed endpoints, local pods by name and other clusters' pods by address, at the slice's port", async () => {
      const config = await applied(webAndRemote());
      const flows = source(scenario, config).generate(600, END);
      const through = flows.filter((flow) => flow.destService?.name === 'web-global');
      expect(through.length).toBeGreaterThan(30);
      expect(through.every((flow) => flow.destination.port === 8080 && flow.destService?.port === 80)).toBe(
        true,
      );
      const remote = through.filter((flow) => flow.destination.ip === REMOTE);
      const local = through.filter((flow) => flow.destination.ip !== REMOTE);
      expect(remote.length).toBeGreaterThan(0);
      expect(remote.every((flow) => flow.destination.type === 'pvt' && flow.action === 'allow')).toBe(true);
      expect(local.length).toBeGreaterThan(0);
      expect(
        local.every((flow) => flow.destination.type === 'wep' && webIps.includes(flow.destination.ip!)),
      ).toBe(true);
    });

    it("also reaches other clusters' pods of those endpoints straight by IP, not through the Service", async () => {
      const config = await applied(webAndRemote());
      const direct = source(scenario, config)
        .generate(600, END)
        .filter((flow) => flow.destService === undefined && flow.destination.ip === REMOTE);
      expect(direct.length).toBeGreaterThan(0);
      expect(direct.every((flow) => flow.destination.port === 8080 && flow.destination.type === 'pvt')).toBe(
        true,
      );
    });

    it('names a remote endpoint by the network set that holds it, and the applied policy decides it', async () => {
      const config = new SimulatedConfigTarget();
      await config.apply(endpointSlice('web-global-mp-1', [{ ip: REMOTE, ready: true }]));
      await config.apply({
        apiVersion: 'projectcalico.org/v3',
        kind: 'GlobalNetworkSet',
        metadata: { name: 'mp-peer-web', labels: { 'meshplane.io/cluster': 'peer-1', app: 'web' } },
        spec: { nets: [`${REMOTE}/32`] },
      });
      await config.apply(tier('zones', 1));
      await config.apply({
        apiVersion: 'projectcalico.org/v3',
        kind: 'GlobalNetworkPolicy',
        metadata: { name: 'zones.isolation' },
        spec: {
          tier: 'zones',
          order: 0,
          selector: 'all()',
          types: ['Egress'],
          egress: [
            { action: 'Deny', destination: { selector: "meshplane.io/cluster == 'peer-1'" } },
            { action: 'Pass' },
          ],
        },
      });
      const flows = source(scenario, config).generate(600, END);
      const remote = flows.filter((flow) => flow.destination.ip === REMOTE);
      expect(remote.length).toBeGreaterThan(0);
      expect(
        remote.every(
          (flow) =>
            flow.destination.type === 'ns' &&
            flow.destination.name === 'mp-peer-web' &&
            flow.action === 'deny',
        ),
      ).toBe(true);
      expect(remote.some((flow) => flow.destService?.name === 'web-global')).toBe(true);
      // The rest passes the tier and meets no policy: allowed.
      const rest = flows.filter((flow) => flow.destination.ip !== REMOTE);
      expect(rest.length).toBeGreaterThan(0);
      expect(rest.every((flow) => flow.action === 'allow')).toBe(true);
    });

    it('sends to failover endpoints (serving, not ready) only while no endpoint is ready', async () => {
      const config = new SimulatedConfigTarget();
      await config.apply(endpointSlice('web-global-mp-local', [{ ip: webIps[0]!, ready: true }]));
      await config.apply(endpointSlice('web-global-mp-remote', [{ ip: REMOTE, ready: false }]));
      const flows = source(scenario, config);
      const through = () =>
        flows.generate(400, END).filter((flow) => flow.destService?.name === 'web-global');
      const whileLocal = through();
      expect(whileLocal.length).toBeGreaterThan(0);
      expect(whileLocal.every((flow) => flow.destination.ip === webIps[0])).toBe(true);
      await config.delete({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        namespace: 'shop',
        name: 'web-global-mp-local',
      });
      const failedOver = through();
      expect(failedOver.length).toBeGreaterThan(0);
      expect(failedOver.every((flow) => flow.destination.ip === REMOTE)).toBe(true);
    });

    it("skips slices without a port of the Service port's name", async () => {
      const config = new SimulatedConfigTarget();
      await config.apply(
        endpointSlice('web-global-mp-1', [{ ip: REMOTE, ready: true }], { name: 'grpc', port: 9090 }),
      );
      const flows = source(scenario, config).generate(300, END);
      expect(flows.some((flow) => flow.destService?.name === 'web-global')).toBe(false);
    });
  });

  it('emits at the configured rate', () => {
    vi.useFakeTimers();
    try {
      const scenario = smallScenario();
      const flows = new SimulatedFlowSource(
        scenario,
        new SimulatedCluster(scenario),
        new SimulatedConfigTarget(),
        silentLogger,
        37,
        () => Date.now(),
      );
      let count = 0;
      flows.start(() => {
        count += 1;
      });
      vi.advanceTimersByTime(10_000);
      flows.stop();
      expect(count).toBe(370);
    } finally {
      vi.useRealTimers();
    }
  });
});

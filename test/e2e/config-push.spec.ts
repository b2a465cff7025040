import { type CalicoResource, ReferenceDataplane } from '@meshplane/policy';
import {
  type ControlPlane,
  type KubeApiServer,
  loadCalicoSchemas,
  signUpTenant,
  startControlPlane,
  startKubeApiServer,
} from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_SERVICE,
  apiSlice,
  CALICO,
  type ConfigStatus,
  clusterConfig,
  configApplied,
  EGRESS_TO_EU_DB,
  eventually,
  FEDERATED_API,
  federatedEndpoints,
  installAgent,
  type MeshAgent,
  must,
  networkSetNets,
  shopPod as pod,
  seedCluster,
} from './mesh-fixtures.js';

/**
 * Federation and config push end to end: four clusters with real agents over real websockets —
 * two run the kubernetes driver against test Kubernetes API servers (so what the agent writes can
 * be read back), two the simulated driver — and policies written through the gateway.
 */

describe('federation and config push, end to end', () => {
  let cp: ControlPlane;
  let euKube: KubeApiServer;
  let usKube: KubeApiServer;
  let token: string;
  const agents: Record<string, MeshAgent> = {};
  let tierName: string;
  let policyId: string;

  const config = (clusterId: string) => clusterConfig(cp, token, clusterId);

  /** Waits until every cluster has applied its desired version (and has one). */
  const converged = async (names = Object.keys(agents), timeoutMs = 20_000) => {
    const result: Record<string, ConfigStatus> = {};
    for (const name of names) {
      result[name] = await configApplied(cp, token, agents[name]!.clusterId, {
        timeoutMs,
        what: `${name} applies its config`,
      });
    }
    return result;
  };

  const rollout = (changeId: string) =>
    must<{ rollout: { state: string; clusters: { clusterId: string; version: number; state: string }[] } }>(
      cp.gatewayUrl,
      'query($c: ID!) { rollout(changeId: $c) { state clusters { clusterId version state } } }',
      { c: changeId },
      token,
    ).then((data) => data.rollout);

  /** The tenant's policy as the agent wrote it (the compliance tier's sits beside it later). */
  const tenantPolicy = (kube: KubeApiServer) =>
    kube.get(CALICO, 'GlobalNetworkPolicy', undefined, `${tierName}.frontend-to-eu-db`) as unknown as {
      spec: unknown;
    };

  beforeAll(async () => {
    [cp, euKube, usKube] = await Promise.all([
      startControlPlane({
        MESHPLANE_RESTART_ON_EXIT: '1',
        HEARTBEAT_INTERVAL_MS: '500',
        SESSION_TIMEOUT_MS: '3000',
      }),
      startKubeApiServer(),
      startKubeApiServer(),
    ]);
    seedCluster(euKube, [pod('db-0', '10.1.0.10', { app: 'db' }), pod('web-0', '10.1.0.20', { app: 'web' })]);
    seedCluster(usKube, [pod('frontend-0', '10.3.0.20', { app: 'frontend' })]);
    token = (await signUpTenant(cp.gatewayUrl, 'Federation Co')).token;
    const specs = [
      { name: 'eu-west-1', labels: { geo: 'eu' }, driver: 'kubernetes' as const, kube: euKube },
      { name: 'us-east-1', labels: { geo: 'us' }, driver: 'kubernetes' as const, kube: usKube },
      {
        name: 'eu-central-1',
        labels: { geo: 'eu' },
        driver: 'simulated' as const,
        scenario: 'agent/scenarios/eu-central-1.yaml',
      },
      {
        name: 'us-west-2',
        labels: { geo: 'us' },
        driver: 'simulated' as const,
        scenario: 'agent/scenarios/us-east-1.yaml',
      },
    ];
    for (const spec of specs) agents[spec.name] = await installAgent(cp, token, spec);
  });

  afterAll(async () => {
    // Errors the control plane logged, to read beside a failure.
    const errors = (cp?.logs ?? []).filter((line) => line.includes('"level":50'));
    if (errors.length > 0) console.warn(errors.slice(-10).join('\n').slice(-6000));
    await Promise.all(Object.values(agents).map((agent) => agent.kill()));
    await Promise.all([cp?.stop(), euKube?.close(), usKube?.close()]);
  });

  it('brings every connected cluster to a first, empty config version', async () => {
    const statuses = await converged();
    for (const status of Object.values(statuses)) {
      expect(status).toMatchObject({ appliedVersion: status.desiredVersion, errors: [] });
    }
    expect(euKube.list(CALICO, 'GlobalNetworkPolicy')).toEqual([]);
  });

  it('pushes a tier and a policy to exactly the clusters its cluster selector matches, with the remote endpoints it names', async () => {
    tierName = 'security';
    await must(
      cp.gatewayUrl,
      'mutation($i: CreateTierInput!) { createTier(input: $i) { id } }',
      {
        i: { name: tierName, order: 100 },
      },
      token,
    );
    const created = await must<{ createPolicy: { changeId: string; policyId: string } }>(
      cp.gatewayUrl,
      'mutation($i: CreatePolicyInput!) { createPolicy(input: $i) { changeId policyId } }',
      { i: EGRESS_TO_EU_DB(tierName) },
      token,
    );
    policyId = created.createPolicy.policyId;
    const done = await eventually(
      async () => {
        const r = await rollout(created.createPolicy.changeId);
        return r.state === 'APPLIED' ? r : undefined;
      },
      20_000,
      'rollout applied',
    );
    const usIds = [agents['us-east-1']!.clusterId, agents['us-west-2']!.clusterId].sort();
    expect(done.clusters.map((c) => c.clusterId).sort()).toEqual(usIds);

    // The kubernetes-driver cluster in the US holds the tier, the policy and the eu-west-1 db pod.
    expect(usKube.list(CALICO, 'Tier').map((t) => t.metadata.name)).toEqual([tierName]);
    const policies = usKube.list(CALICO, 'GlobalNetworkPolicy');
    expect(policies.map((p) => p.metadata.name)).toEqual([`${tierName}.frontend-to-eu-db`]);
    expect(networkSetNets(usKube)).toEqual(['10.1.0.10/32']);
    // us-east-1 has the namespace `shop` too: the pod is a NetworkSet there.
    const [set] = usKube.list(CALICO, 'NetworkSet', 'shop');
    expect(set!.metadata.labels).toMatchObject({
      app: 'db',
      'meshplane.io/cluster': 'eu-west-1',
      'app.kubernetes.io/managed-by': 'meshplane',
    });
    // What the agent wrote is valid Calico (managed fields and the like stripped, as kubectl shows).
    const schemas = loadCalicoSchemas();
    for (const kind of ['Tier', 'GlobalNetworkPolicy', 'NetworkSet']) {
      for (const object of usKube.list(CALICO, kind)) {
        const { apiVersion, metadata, spec } = object as unknown as {
          apiVersion: string;
          metadata: Record<string, unknown>;
          spec: unknown;
        };
        const clean = {
          apiVersion,
          kind,
          metadata: { name: metadata.name, namespace: metadata.namespace, labels: metadata.labels },
          spec,
        };
        expect([metadata.name, schemas.validate(clean)]).toEqual([metadata.name, []]);
      }
    }
    // What each cluster receives, as the API tells it.
    const received = async (name: string) =>
      (
        await must<{ policies: { name: string }[] }>(
          cp.gatewayUrl,
          'query($c: ID!) { policies(filter: { clusterId: $c }) { name } }',
          { c: agents[name]!.clusterId },
          token,
        )
      ).policies.map((p) => p.name);
    expect(await received('us-west-2')).toEqual(['frontend-to-eu-db']);
    expect(await received('eu-west-1')).toEqual([]);
    // The EU clusters are not targeted.
    expect(euKube.list(CALICO, 'GlobalNetworkPolicy')).toEqual([]);
    expect(euKube.list(CALICO, 'Tier')).toEqual([]);
    await converged();
  });

  it('follows a pod added and a pod relabelled in the remote cluster', async () => {
    const started = Date.now();
    euKube.create(pod('db-1', '10.1.0.11', { app: 'db' }));
    await eventually(
      () => (networkSetNets(usKube).join() === '10.1.0.10/32,10.1.0.11/32' ? true : undefined),
      10_000,
      'the new db pod in the US cluster',
    );
    const addedMs = Date.now() - started;
    const relabelled = pod('db-0', '10.1.0.10', { app: 'cache' });
    euKube.update(relabelled);
    await eventually(
      () => (networkSetNets(usKube).join() === '10.1.0.11/32' ? true : undefined),
      10_000,
      'the relabelled pod gone from the US cluster',
    );
    console.info(`pod added in eu-west-1 → network set in us-east-1: ${addedMs} ms`);
    await converged();
  });

  it('rolls a policy back to an earlier version and the clusters return to the earlier bundle', async () => {
    const before = usKube.list(CALICO, 'GlobalNetworkPolicy').map((p) => p.spec);
    const changed = EGRESS_TO_EU_DB(tierName);
    changed.spec.egress[0]!.destination.ports = ['6432'];
    const update = await must<{ updatePolicy: { changeId: string } }>(
      cp.gatewayUrl,
      'mutation($id: ID!, $i: UpdatePolicyInput!) { updatePolicy(id: $id, input: $i) { changeId } }',
      { id: policyId, i: { spec: changed.spec } },
      token,
    );
    await eventually(async () =>
      (await rollout(update.updatePolicy.changeId)).state === 'APPLIED' ? true : undefined,
    );
    expect(JSON.stringify(tenantPolicy(usKube).spec)).toContain('6432');

    const rollback = await must<{ rollbackPolicy: { changeId: string } }>(
      cp.gatewayUrl,
      'mutation($id: ID!) { rollbackPolicy(id: $id, version: 1) { changeId } }',
      { id: policyId },
      token,
    );
    await eventually(async () =>
      (await rollout(rollback.rollbackPolicy.changeId)).state === 'APPLIED' ? true : undefined,
    );
    expect(usKube.list(CALICO, 'GlobalNetworkPolicy').map((p) => p.spec)).toEqual(before);
  });

  it('gives a federated service EndpointSlices with the ready pod IPs of its member services, and follows them', async () => {
    usKube.create(API_SERVICE);
    const memberSlice = (addresses: string[]) => apiSlice(addresses, ['10.3.0.99']);
    usKube.create(memberSlice(['10.3.0.30']));
    euKube.create(FEDERATED_API);
    // The simulated clusters' `api` Services (their scenarios label them app=api) are members
    // too, with pods that churn: us-east-1's member is followed by its addresses, 10.3.0.0/16.
    const federatedAddresses = () =>
      federatedEndpoints(euKube, 'shop', 'api-global')
        .filter((ip) => ip.startsWith('10.3.'))
        .join();
    await eventually(
      () => (federatedAddresses() === '10.3.0.30' ? true : undefined),
      15_000,
      'federated slice',
    );
    // eu-central-1's api pods (pod CIDR 10.102.0.0/16) serve it as well.
    expect(federatedEndpoints(euKube, 'shop', 'api-global').some((ip) => ip.startsWith('10.102.'))).toBe(
      true,
    );
    const [slice] = euKube
      .list('discovery.k8s.io/v1', 'EndpointSlice', 'shop')
      .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'api-global');
    expect(slice!.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'meshplane' });
    expect((slice as unknown as { ports: unknown[] }).ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP' },
    ]);

    usKube.update(memberSlice(['10.3.0.30', '10.3.0.31']));
    await eventually(
      () => (federatedAddresses() === '10.3.0.30,10.3.0.31' ? true : undefined),
      15_000,
      'the federated slice following its member',
    );
    await converged();
  });

  it('isolates a compliance zone: the EU cluster denies the US pods that a tenant policy would let in', async () => {
    // What Calico in eu-west-1 would decide, from the objects the agent actually wrote there: the
    // reference data plane over that cluster's namespaces, its db pod and every Calico object.
    const euVerdict = () =>
      new ReferenceDataplane({
        namespaces: euKube
          .list('v1', 'Namespace')
          .map((ns) => ({ name: ns.metadata.name!, labels: ns.metadata.labels ?? {} })),
        pods: [{ namespace: 'shop', name: 'db-1', labels: { app: 'db' }, ips: ['10.1.0.11'] }],
        objects: ['Tier', 'GlobalNetworkPolicy', 'NetworkPolicy', 'GlobalNetworkSet', 'NetworkSet'].flatMap(
          (kind) => euKube.list(CALICO, kind) as unknown as CalicoResource[],
        ),
      }).decide({ source: '10.3.0.20', destination: '10.1.0.11', protocol: 'TCP', destinationPort: 5432 });
    expect(euVerdict().allowed).toBe(true);
    const zone = await must<{ createComplianceZone: { changeId: string } }>(
      cp.gatewayUrl,
      'mutation($i: CreateComplianceZoneInput!) { createComplianceZone(input: $i) { changeId } }',
      { i: { name: 'eu-only', clusterSelector: "geo == 'eu'" } },
      token,
    );
    await eventually(
      async () =>
        (await rollout(zone.createComplianceZone.changeId)).state === 'APPLIED' ? true : undefined,
      20_000,
      'the zone rolled out',
    );
    expect(euKube.list(CALICO, 'Tier').map((t) => t.metadata.name)).toContain('meshplane-compliance');
    expect(networkSetNets(euKube)).toContain('10.3.0.20/32');
    const verdict = euVerdict();
    expect(verdict.allowed).toBe(false);
    expect(verdict.ingress).toMatchObject({ action: 'Deny', decidedBy: 'meshplane-compliance.isolation' });
    await converged();
  });

  it('brings an agent that was offline during three changes straight to the latest version, skipping those made meanwhile', async () => {
    const us = agents['us-east-1']!;
    await us.kill();
    const appliedBefore = us.logged('config applied').length;
    let lastChange = '';
    for (const port of ['7001', '7002', '7003']) {
      const spec = EGRESS_TO_EU_DB(tierName).spec;
      spec.egress[0]!.destination.ports = [port];
      const changed = await must<{ updatePolicy: { changeId: string } }>(
        cp.gatewayUrl,
        'mutation($id: ID!, $i: UpdatePolicyInput!) { updatePolicy(id: $id, input: $i) { changeId } }',
        { id: policyId, i: { spec } },
        token,
      );
      lastChange = changed.updatePolicy.changeId;
    }
    // Once the last change is compiled, the offline cluster's desired version carries it; every
    // version made while it was offline is older. (Read from its config: the demo's pod churn
    // makes versions quickly, so the rollout's own row may already be among the pruned ones.)
    await eventually(
      async () => ((await rollout(lastChange)).state !== 'COMPILING' ? true : undefined),
      30_000,
      'the last change compiled',
    );
    const target = (await config(us.clusterId)).desiredVersion;
    us.start();
    const status = (await converged(['us-east-1']))['us-east-1']!;
    expect(JSON.stringify(tenantPolicy(usKube).spec)).toContain('7003');
    // Straight to that version (or a later one: the demo scenario's pods churn, and federated
    // slices follow them): none of the versions made while it was offline was applied on the way.
    const applied = us
      .logged('config applied')
      .slice(appliedBefore)
      .map((line) => line.version as number);
    expect(applied.length).toBeGreaterThan(0);
    expect(applied.filter((version) => version < target)).toEqual([]);
    expect(status.appliedVersion).toBeGreaterThanOrEqual(target);
  });

  it('converges every cluster after the hub is killed in the middle of a push', async () => {
    const spec = EGRESS_TO_EU_DB(tierName).spec;
    spec.egress[0]!.destination.ports = ['8443'];
    const update = must<{ updatePolicy: { changeId: string } }>(
      cp.gatewayUrl,
      'mutation($id: ID!, $i: UpdatePolicyInput!) { updatePolicy(id: $id, input: $i) { changeId } }',
      { id: policyId, i: { spec } },
      token,
    );
    process.kill(cp.pid('agent-hub'), 'SIGKILL');
    const { updatePolicy } = await update;
    await eventually(
      async () => ((await rollout(updatePolicy.changeId)).state === 'APPLIED' ? true : undefined),
      30_000,
      'rollout after the hub restart',
    );
    // The rollout's rows of clusters whose versions the demo's pod churn pruned drop out of its
    // state: the cluster itself says when it holds the change.
    await eventually(
      () => (JSON.stringify(tenantPolicy(usKube).spec).includes('8443') ? true : undefined),
      30_000,
      'us-east-1 enforces the change',
    );
    await converged(Object.keys(agents), 30_000);
  });
  it('predicts with whatIf exactly what the clusters then enforce: a policy selecting namespaces by their labels', {
    timeout: 180_000,
  }, async () => {
    // eu-central-1 (simulated) has a namespace `payments` labelled compliance=pci, with recorded
    // traffic into it; eu-west-1 (kubernetes driver) gets one now.
    euKube.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'vault', labels: { compliance: 'pci' } },
    });
    euKube.create({
      ...pod('vault-0', '10.1.0.30', { app: 'vault' }),
      metadata: { name: 'vault-0', namespace: 'vault', labels: { app: 'vault' } },
    });
    const lockdown = {
      kind: 'GlobalNetworkPolicy',
      name: 'pci-lockdown',
      spec: { namespaceSelector: "compliance == 'pci'", types: ['Ingress'] },
    };
    type WhatIf = {
      evaluated: number;
      changed: number;
      newlyDenied: number;
      newlyAllowed: number;
      flows: {
        oldAction: string;
        newAction: string;
        flow: { action: string; destination: { cluster: string | null; namespace: string } };
      }[];
    };
    const whatIf = (from: Date, changes: unknown[]) =>
      must<{ whatIf: WhatIf }>(
        cp.gatewayUrl,
        `query($i: WhatIfInput!) { whatIf(input: $i) { evaluated changed newlyDenied newlyAllowed
           flows { oldAction newAction flow { action destination { cluster namespace } } } } }`,
        { i: { from: from.toISOString(), to: new Date().toISOString(), changes, first: 1_000 } },
        token,
      ).then((data) => data.whatIf);
    const intoPci = (flow: WhatIf['flows'][number]['flow']) =>
      flow.destination.cluster === 'eu-central-1' && flow.destination.namespace === 'payments';

    // Before: whatIf sees the namespace's labels, so it predicts every flow into payments denied
    // (it predicted no change at all when it ignored namespace labels), and nothing else.
    const predicted = await eventually(
      async () => {
        const answer = await whatIf(new Date(Date.now() - 10 * 60_000), [{ upsert: lockdown }]);
        return answer.newlyDenied > 0 ? answer : undefined;
      },
      60_000,
      'recorded flows into the PCI namespace',
    );
    expect(predicted.newlyAllowed).toBe(0);
    expect(predicted.flows.length).toBe(Math.min(predicted.changed, 1_000));
    expect(
      predicted.flows.every((f) => intoPci(f.flow) && f.oldAction === 'ALLOW' && f.newAction === 'DENY'),
    ).toBe(true);

    // Created for real: the bundle reaches every cluster.
    const created = await must<{ createPolicy: { changeId: string; policyId: string } }>(
      cp.gatewayUrl,
      'mutation($i: CreatePolicyInput!) { createPolicy(input: $i) { changeId policyId } }',
      { i: lockdown },
      token,
    );
    await eventually(
      async () => ((await rollout(created.createPolicy.changeId)).state === 'APPLIED' ? true : undefined),
      30_000,
      'the lockdown rolled out',
    );
    const applied = new Date();

    // eu-west-1's Calico, from the objects the agent wrote and the cluster's own namespaces,
    // denies traffic into vault and still lets web reach db in shop.
    const euDecides = (destination: string) =>
      new ReferenceDataplane({
        namespaces: euKube
          .list('v1', 'Namespace')
          .map((ns) => ({ name: ns.metadata.name!, labels: ns.metadata.labels ?? {} })),
        pods: [
          { namespace: 'shop', name: 'web-0', labels: { app: 'web' }, ips: ['10.1.0.20'] },
          { namespace: 'shop', name: 'db-0', labels: { app: 'db' }, ips: ['10.1.0.10'] },
          { namespace: 'vault', name: 'vault-0', labels: { app: 'vault' }, ips: ['10.1.0.30'] },
        ],
        objects: ['Tier', 'GlobalNetworkPolicy', 'NetworkPolicy', 'GlobalNetworkSet', 'NetworkSet'].flatMap(
          (kind) => euKube.list(CALICO, kind) as unknown as CalicoResource[],
        ),
      }).decide({ source: '10.1.0.20', destination, protocol: 'TCP', destinationPort: 8080 });
    expect(euDecides('10.1.0.30')).toMatchObject({ allowed: false, ingress: { action: 'Deny' } });
    expect(euDecides('10.1.0.10').allowed).toBe(true);

    // eu-central-1 now denies what whatIf said it would: the flows recorded since are denied, and
    // whatIf of removing the policy again frees exactly those (it said 0 before as well).
    const since = new Date(applied.getTime() + 5_000);
    const freed = await eventually(
      async () => {
        if (Date.now() < since.getTime() + 20_000) return undefined;
        const answer = await whatIf(since, [
          { remove: { kind: 'GlobalNetworkPolicy', name: 'pci-lockdown' } },
        ]);
        return answer.newlyAllowed > 0 ? answer : undefined;
      },
      90_000,
      'flows into the PCI namespace after the rollout',
    );
    expect(freed.newlyDenied).toBe(0);
    expect(
      freed.flows.every((f) => intoPci(f.flow) && f.flow.action === 'DENY' && f.oldAction === 'DENY'),
    ).toBe(true);
    await must(
      cp.gatewayUrl,
      'mutation($id: ID!) { deletePolicy(id: $id) { changeId } }',
      { id: created.createPolicy.policyId },
      token,
    );
  });
});

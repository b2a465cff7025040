import { randomUUID } from 'node:crypto';
import { PolicySetSchema } from '@meshplane/events';
import { InternalIdentityCodec } from '@meshplane/platform';
import { type Policy, PolicyEvaluator } from '@meshplane/policy';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type PoliciesTestApp, startPoliciesApp } from '../../test/inventory-harness.js';

const SECRET = 'policies-test-identity-secret-0123456789';

describe('POST /internal/v1/policy-set (for the telemetry service; real Postgres)', () => {
  let t: PoliciesTestApp;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const eu = { id: randomUUID(), name: 'eu-west-1', labels: { geo: 'eu' } };
  const eu2 = { id: randomUUID(), name: 'eu-central-1', labels: { geo: 'eu' } };
  const us = { id: randomUUID(), name: 'us-east-1', labels: { geo: 'us' } };
  let zoneId = '';
  let policyId = '';

  const post = async (body: unknown, service = 'telemetry') => {
    const codec = new InternalIdentityCodec(SECRET, service);
    return request(t.app.getHttpServer())
      .post('/internal/v1/policy-set')
      .set(await codec.serviceTokens.header())
      .send(body as object);
  };

  beforeAll(async () => {
    t = await startPoliciesApp();
    t.inventory.set(
      tenantA,
      [eu, eu2, us],
      [
        [eu.id, { kind: 'namespace', name: 'shop', labels: { compliance: 'pci' } }],
        [us.id, { kind: 'namespace', name: 'shop', labels: {} }],
        // Not a namespace, and of a cluster the tenant does not have: neither is answered.
        [eu.id, { kind: 'node', name: 'node-1', labels: {}, annotations: {}, internalIPs: [] }],
        [randomUUID(), { kind: 'namespace', name: 'gone', labels: {} }],
      ],
    );
    const tier = await t.call(
      as(tenantA),
      'mutation($i: CreateTierInput!) { createTier(input: $i) { id } }',
      {
        i: { name: 'security', order: 100 },
      },
    );
    expect(tier.errors).toBeUndefined();
    const policy = await t.call(
      as(tenantA),
      'mutation($i: CreatePolicyInput!) { createPolicy(input: $i) { policyId } }',
      {
        i: {
          kind: 'NetworkPolicy',
          name: 'deny-db',
          namespace: 'shop',
          spec: {
            tier: 'security',
            selector: "app == 'db'",
            ingress: [{ action: 'Deny', protocol: 'TCP', destination: { ports: ['5432'] } }],
          },
        },
      },
    );
    expect(policy.errors).toBeUndefined();
    policyId = policy.data!.createPolicy.policyId;
    const zone = await t.call(
      as(tenantA),
      'mutation($i: CreateComplianceZoneInput!) { createComplianceZone(input: $i) { zoneId } }',
      { i: { name: 'eu', clusterSelector: "geo == 'eu'" } },
    );
    expect(zone.errors).toBeUndefined();
    zoneId = zone.data!.createComplianceZone.zoneId;
  });

  afterAll(async () => {
    await t?.close();
  });

  it("answers the tenant's tiers, policies, clusters and zones, with the compliance tier the compiler adds", async () => {
    const response = await post({ tenantId: tenantA });
    expect(response.status).toBe(200);
    const set = PolicySetSchema.parse(response.body);
    expect(set.tiers.map((tier) => tier.name).sort()).toEqual([
      'default',
      'meshplane-compliance',
      'security',
    ]);
    expect(set.policies.find((p) => p.id === policyId)).toMatchObject({
      generated: false,
      kind: 'NetworkPolicy',
      metadata: { name: 'deny-db', namespace: 'shop' },
      spec: { tier: 'security', selector: "app == 'db'", types: ['Ingress'] },
    });
    // One generated compliance policy per cluster with forbidden peers, pinned to that cluster.
    const generated = set.policies.filter((p) => p.generated);
    expect(generated.map((p) => [p.metadata.name, p.spec.clusterSelector])).toEqual([
      ['meshplane-compliance.isolation.eu-central-1', 'meshplane.io/cluster == "eu-central-1"'],
      ['meshplane-compliance.isolation.eu-west-1', 'meshplane.io/cluster == "eu-west-1"'],
      ['meshplane-compliance.isolation.us-east-1', 'meshplane.io/cluster == "us-east-1"'],
    ]);
    expect(set.zones).toEqual([
      {
        id: zoneId,
        name: 'eu',
        clusterSelector: "geo == 'eu'",
        allowedZones: [],
        members: ['eu-central-1', 'eu-west-1'],
        forbidden: [
          ['eu-central-1', 'us-east-1'],
          ['eu-west-1', 'us-east-1'],
        ],
      },
    ]);
    expect(set.clusters.map((c) => c.name).sort()).toEqual(['eu-central-1', 'eu-west-1', 'us-east-1']);
    // Each live cluster's namespaces with their labels, by cluster name (eu-central-1 has none).
    expect(set.namespaces).toEqual([
      { cluster: 'eu-west-1', name: 'shop', labels: { compliance: 'pci' } },
      { cluster: 'us-east-1', name: 'shop', labels: {} },
    ]);
  });

  it('is one world the libs/policy evaluator takes: the compliance tier denies eu → us, nothing else', async () => {
    const set = PolicySetSchema.parse((await post({ tenantId: tenantA })).body);
    const evaluator = new PolicyEvaluator({
      tiers: set.tiers.map((tier) => ({
        name: tier.name,
        defaultAction: tier.defaultAction,
        ...(tier.order === null ? {} : { order: tier.order }),
      })),
      policies: set.policies.map((p) => ({ kind: p.kind, metadata: p.metadata, spec: p.spec }) as Policy),
      clusters: set.clusters.map(({ name, labels }) => ({ name, labels })),
      endpoints: [
        {
          id: 'web',
          kind: 'workload',
          cluster: 'eu-west-1',
          namespace: 'shop',
          labels: { app: 'web' },
          ips: ['10.1.0.1'],
        },
        {
          id: 'remote-us',
          kind: 'networkset',
          cluster: 'eu-west-1',
          namespace: 'shop',
          labels: { app: 'api', 'meshplane.io/cluster': 'us-east-1' },
          ips: ['10.3.0.1/32'],
        },
        {
          id: 'remote-eu',
          kind: 'networkset',
          cluster: 'eu-west-1',
          namespace: 'shop',
          labels: { app: 'api', 'meshplane.io/cluster': 'eu-central-1' },
          ips: ['10.2.0.1/32'],
        },
      ],
    });
    const toUs = evaluator.evaluate({
      source: { endpoint: 'web' },
      destination: { ip: '10.3.0.1' },
      protocol: 'TCP',
      destinationPort: 80,
    });
    expect(toUs.allowed).toBe(false);
    expect(toUs.egress?.trace[0]).toMatchObject({ tier: 'meshplane-compliance', action: 'Deny' });
    const toEu = evaluator.evaluate({
      source: { endpoint: 'web' },
      destination: { ip: '10.2.0.1' },
      protocol: 'TCP',
      destinationPort: 80,
    });
    expect(toEu.allowed).toBe(true);
  });

  it('answers only the tenant asked for, and only to the telemetry service', async () => {
    const other = PolicySetSchema.parse((await post({ tenantId: tenantB })).body);
    expect(other).toEqual({
      tiers: [{ name: 'default', order: 1_000_000, defaultAction: 'Deny' }],
      policies: [],
      clusters: [],
      zones: [],
      namespaces: [],
    });
    expect((await post({ tenantId: tenantA }, 'agent-hub')).status).toBe(401);
    const anonymous = await request(t.app.getHttpServer())
      .post('/internal/v1/policy-set')
      .send({ tenantId: tenantA });
    expect(anonymous.status).toBe(401);
    expect((await post({ tenantId: 'not-a-uuid' })).status).toBe(400);
  });
});

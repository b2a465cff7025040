import { randomUUID } from 'node:crypto';
import { EndpointsByIpResponseSchema } from '@meshplane/events';
import type { PodObject } from '@meshplane/protocol';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClustersInternal } from './internal-support.js';

type Internal = Awaited<ReturnType<typeof startClustersInternal>>;

const pod = (namespace: string, name: string, ips: string[], labels: Record<string, string>): PodObject => ({
  kind: 'pod',
  namespace,
  name,
  labels,
  ips,
  nodeName: 'node-1',
  serviceAccount: 'default',
  ready: true,
  phase: 'Running',
});

describe('POST /internal/v1/endpoints-by-ip (for the telemetry worker; real Postgres)', () => {
  let internal: Internal;
  let db: pg.Client;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const eu = randomUUID();
  const us = randomUUID();
  const revoked = randomUUID();
  const other = randomUUID();

  let post: Internal['post'];

  beforeAll(async () => {
    internal = await startClustersInternal('/internal/v1/endpoints-by-ip', 'telemetry-worker');
    ({ db, post } = internal);
    const addCluster = (id: string, tenantId: string, name: string, isRevoked = false) =>
      db.query(
        `INSERT INTO clusters.clusters (id, tenant_id, name, revoked_at) VALUES ($1, $2, $3, ${isRevoked ? 'now()' : 'NULL'})`,
        [id, tenantId, name],
      );
    await addCluster(eu, tenantA, 'eu-west-1');
    await addCluster(us, tenantA, 'us-east-1');
    await addCluster(revoked, tenantA, 'old-1', true);
    await addCluster(other, tenantB, 'b-1');
    const addPod = (clusterId: string, tenantId: string, object: PodObject) =>
      db.query(
        `INSERT INTO clusters.inventory_objects (cluster_id, kind, namespace, name, tenant_id, object)
         VALUES ($1, 'pod', $2, $3, $4, $5)`,
        [clusterId, object.namespace, object.name, tenantId, JSON.stringify(object)],
      );
    await addPod(eu, tenantA, pod('data', 'db-7c9d-abcde', ['10.1.0.5', 'fd00::5'], { app: 'db' }));
    await addPod(eu, tenantA, pod('shop', 'web-55f-xyz12', ['10.1.0.6'], { app: 'web' }));
    await addPod(us, tenantA, pod('shop', 'api-66a-qqqqq', ['10.2.0.7'], { app: 'api' }));
    // The same address in two clusters (reused pod CIDRs), and in a revoked cluster.
    await addPod(us, tenantA, pod('shop', 'api-66a-rrrrr', ['10.1.0.6'], { app: 'api' }));
    await addPod(revoked, tenantA, pod('shop', 'gone-1', ['10.9.0.9'], { app: 'gone' }));
    await addPod(other, tenantB, pod('shop', 'theirs-1', ['10.2.0.7', '10.3.0.3'], { app: 'theirs' }));
  });

  afterAll(async () => {
    await internal?.close();
  });

  it("answers the tenant's pods holding the addresses, with cluster, namespace, name and labels", async () => {
    const response = await post({ tenantId: tenantA, ips: ['fd00::5', '10.2.0.7', '10.4.4.4'] });
    expect(response.status).toBe(200);
    const { endpoints } = EndpointsByIpResponseSchema.parse(response.body);
    expect(endpoints.sort((a, b) => a.ip.localeCompare(b.ip))).toEqual([
      {
        ip: '10.2.0.7',
        clusterId: us,
        clusterName: 'us-east-1',
        namespace: 'shop',
        name: 'api-66a-qqqqq',
        labels: { app: 'api' },
        serviceAccount: 'default',
      },
      {
        ip: 'fd00::5',
        clusterId: eu,
        clusterName: 'eu-west-1',
        namespace: 'data',
        name: 'db-7c9d-abcde',
        labels: { app: 'db' },
        serviceAccount: 'default',
      },
    ]);
  });

  it('answers every cluster holding a reused address, none of a revoked cluster or another tenant', async () => {
    const response = await post({ tenantId: tenantA, ips: ['10.1.0.6', '10.9.0.9', '10.3.0.3'] });
    const { endpoints } = EndpointsByIpResponseSchema.parse(response.body);
    expect(endpoints.map((e) => `${e.clusterName}/${e.name}`).sort()).toEqual([
      'eu-west-1/web-55f-xyz12',
      'us-east-1/api-66a-rrrrr',
    ]);
  });

  it('refuses bad input and callers other than the telemetry worker', async () => {
    const bad = await post({ tenantId: tenantA, ips: ['not-an-ip'] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('ips');
    expect((await post({ tenantId: tenantA, ips: [] })).status).toBe(400);
    const many = Array.from({ length: 1_001 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
    expect((await post({ tenantId: tenantA, ips: many })).status).toBe(400);
    expect((await post({ tenantId: tenantA, ips: ['10.2.0.7'] }, 'agent-hub')).status).toBe(401);
  });
});

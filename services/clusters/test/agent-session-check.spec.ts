import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClustersInternal } from './internal-support.js';

type Internal = Awaited<ReturnType<typeof startClustersInternal>>;

describe('POST /internal/v1/agent-sessions/check (for agent-hub replicas; real Postgres)', () => {
  let internal: Internal;
  let db: pg.Client;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const live = randomUUID();
  const revoked = randomUUID();
  const taken = randomUUID();
  const otherTenant = randomUUID();

  let post: Internal['post'];

  beforeAll(async () => {
    internal = await startClustersInternal('/internal/v1/agent-sessions/check', 'agent-hub');
    ({ db, post } = internal);
    const addCluster = (id: string, tenantId: string, name: string, epoch: number, isRevoked = false) =>
      db.query(
        `INSERT INTO clusters.clusters (id, tenant_id, name, session_epoch, revoked_at)
         VALUES ($1, $2, $3, $4, ${isRevoked ? 'now()' : 'NULL'})`,
        [id, tenantId, name, epoch],
      );
    await addCluster(live, tenantA, 'live-1', 3);
    await addCluster(revoked, tenantA, 'revoked-1', 2, true);
    await addCluster(taken, tenantA, 'taken-1', 5);
    await addCluster(otherTenant, tenantB, 'b-1', 1);
  });

  afterAll(async () => {
    await internal?.close();
  });

  it('names the sessions to end: revoked, deleted (unknown), superseded by a newer epoch; live ones stay', async () => {
    const deleted = randomUUID();
    const response = await post({
      sessions: [
        { clusterId: live, epoch: 3 },
        { clusterId: revoked, epoch: 2 },
        { clusterId: deleted, epoch: 1 },
        { clusterId: taken, epoch: 4 },
        { clusterId: otherTenant, epoch: 1 },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      ended: [
        { clusterId: revoked, reason: 'revoked' },
        { clusterId: deleted, reason: 'deleted' },
        { clusterId: taken, reason: 'superseded' },
      ],
    });
    expect((await post({ sessions: [] })).body).toEqual({ ended: [] });
  });

  it('follows the table: a revocation or deletion made without any notification shows at the next check', async () => {
    const cluster = randomUUID();
    await db.query(
      `INSERT INTO clusters.clusters (id, tenant_id, name, session_epoch) VALUES ($1, $2, 'later-1', 1)`,
      [cluster, tenantA],
    );
    const check = async () => (await post({ sessions: [{ clusterId: cluster, epoch: 1 }] })).body.ended;
    expect(await check()).toEqual([]);
    await db.query('UPDATE clusters.clusters SET revoked_at = now() WHERE id = $1', [cluster]);
    expect(await check()).toEqual([{ clusterId: cluster, reason: 'revoked' }]);
    await db.query('DELETE FROM clusters.clusters WHERE id = $1', [cluster]);
    expect(await check()).toEqual([{ clusterId: cluster, reason: 'deleted' }]);
  });

  it('refuses other callers and bad bodies, naming the shape and the limit', async () => {
    expect((await post({ sessions: [] }, 'telemetry-worker')).status).toBe(401);
    for (const body of [
      {},
      { sessions: [{ clusterId: 'not-a-uuid', epoch: 1 }] },
      { sessions: [{ clusterId: live, epoch: 0 }] },
      { sessions: Array.from({ length: 1_001 }, () => ({ clusterId: randomUUID(), epoch: 1 })) },
    ]) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain('at most 1000 sessions');
    }
  });
});

/**
 * Fault drill: changes made while Redis is down, and the process that made them killed before it
 * returns. Whatever a change must announce (`cluster-changed` to recompile, its audit event) is
 * written to the service's outbox in Postgres, so neither Redis' absence nor the process' death
 * loses it (ARCHITECTURE "No side effect lost"):
 *  1. a mutation answers while Redis is down (it does not wait for Redis to come back);
 *  2. the clusters process is then killed (SIGKILL), losing whatever it held in memory;
 *  3. once Redis is back, the relabelled cluster drops out of the policy that selected it, the
 *     other keeps it, and the mutation's audit event is stored.
 */
import { type ControlPlane, gql, type PrivateServer, startPrivateRedis } from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allHealthy,
  currentPid,
  type DrillAgent,
  drillTenant,
  errorLines,
  eventually,
  installDrillAgent,
  progress,
  startDrillControlPlane,
  trackFailures,
} from './support.js';

describe('fault drill: changes made while Redis is down survive the death of the process that made them', () => {
  const failed = trackFailures();
  let redis: PrivateServer;
  let cp: ControlPlane;
  let token: string;
  const agents: DrillAgent[] = [];
  const policiesOf = (agent: DrillAgent) =>
    agent.driver.config.objects('GlobalNetworkPolicy').map((p) => p.metadata.name);

  beforeAll(async () => {
    redis = await startPrivateRedis();
    cp = await startDrillControlPlane({ REDIS_URL: redis.url });
    ({ token } = await drillTenant(cp));
    for (const [i, name] of ['outage-a', 'outage-b'].entries())
      agents.push(await installDrillAgent(cp, token, name, { octet: 60 + i, flowsPerSecond: 20 }));
    for (const agent of agents) {
      await eventually(
        () => (policiesOf(agent).length > 0 ? true : undefined),
        60_000,
        `${agent.name} holds the drill policy`,
      );
    }
  }, 180_000);

  afterAll(async () => {
    const errors = failed() ? errorLines(cp) : '';
    if (errors) console.warn(errors.slice(-5000));
    await Promise.all(agents.map((agent) => agent.handle.stop()));
    await cp?.stop();
    await redis?.stop();
  });

  it('a relabelling made while Redis is down reaches the clusters and the audit log after its process died', {
    timeout: 180_000,
  }, async () => {
    const log = progress('redis outage drill');
    const [kept, relabelled] = agents as [DrillAgent, DrillAgent];
    const heldBefore = policiesOf(relabelled);
    await redis.kill();
    // The drill policy selects clusters labelled drill=yes: outage-b no longer is.
    const started = Date.now();
    const answer = await gql<{ updateClusterLabels: { id: string } }>(
      cp.gatewayUrl,
      'mutation($id: ID!, $l: [LabelInput!]!) { updateClusterLabels(id: $id, labels: $l) { id } }',
      { id: relabelled.clusterId, l: [{ key: 'drill', value: 'no' }] },
      token,
    );
    expect(answer.errors, 'the mutation answers while Redis is down').toBeUndefined();
    expect(answer.data?.updateClusterLabels.id).toBe(relabelled.clusterId);
    log(`answered in ${Date.now() - started} ms with Redis down`);

    const pid = currentPid(cp, 'clusters');
    process.kill(pid, 'SIGKILL');
    await eventually(
      () => (currentPid(cp, 'clusters') !== pid ? true : undefined),
      30_000,
      'clusters restarted',
    );
    await redis.start();
    await allHealthy(cp);
    log('Redis back, every process healthy');

    await eventually(
      () => (policiesOf(relabelled).length === 0 ? true : undefined),
      60_000,
      `${relabelled.name} drops the policy that no longer selects it (held ${heldBefore.join(', ')})`,
    );
    expect(policiesOf(kept)).toEqual(heldBefore);
    log('the relabelled cluster dropped the policy; the other kept it');

    const stored = await eventually(
      async () => {
        const result = await gql<{
          auditEvents: { nodes: { operation: string; targetId: string | null }[] };
        }>(
          cp.gatewayUrl,
          'query($f: AuditEventFilter) { auditEvents(filter: $f) { nodes { operation targetId } } }',
          { f: { operation: 'updateClusterLabels' } },
          token,
        );
        const nodes = result.data?.auditEvents.nodes ?? [];
        return nodes.length > 0 ? nodes : undefined;
      },
      60_000,
      'the audit event of the relabelling is stored',
    );
    expect(stored).toEqual([{ operation: 'updateClusterLabels', targetId: relabelled.clusterId }]);
  });
});

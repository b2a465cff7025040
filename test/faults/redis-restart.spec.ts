/**
 * Fault drill: Redis restarted mid-stream. A private `redis-server` (never the shared one on
 * 6379) that keeps nothing on disk, as configured here: a restart empties it — queued jobs,
 * telemetry cursors, presence, pub/sub subscriptions all gone.
 *
 * Expectations (DESIGN §6 "kill … Redis mid-stream: every cluster converges to its latest config
 * version, and the number of flows stored equals the number generated"):
 *  1. every process reconnects to Redis and is healthy again;
 *  2. every cluster converges to its latest config version, the change made while Redis was
 *     down included (config lives in Postgres; the hub re-checks desired versions);
 *  3. stored flows equal generated flows by seq. The agent frees records once the hub
 *     acknowledges them, and the hub acknowledges a batch only once the telemetry worker has
 *     stored it, so a batch queued but not stored when Redis loses its memory is still held by
 *     its agent and pulled again. The second case makes that window certain (the telemetry worker
 *     is paused, as a lagging worker would be, while Redis restarts).
 *  4. an agent that restarts (empty buffer) after Redis lost the cluster's telemetry cursor still
 *     gets its new flows stored. (Its numbering starts again at 1, since the hub's cursor is gone;
 *     the rows are kept apart from the older ones with the same seq by their start time, the third
 *     column of the flows key.)
 */
import { type ControlPlane, type PrivateServer, startPrivateRedis } from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allHealthy,
  changeConfig,
  converged,
  currentPid,
  type DrillAgent,
  drillTenant,
  errorLines,
  eventually,
  flowsAcknowledgedAreStored,
  flowsExact,
  flowsMoving,
  installDrillAgent,
  progress,
  sleep,
  startDrillControlPlane,
  storedFlows,
  trackFailures,
} from './support.js';

describe('fault drill: Redis restart mid-stream (private Redis without persistence)', () => {
  const failed = trackFailures();
  let redis: PrivateServer;
  let cp: ControlPlane;
  let token: string;
  let policyId: string;
  const agents: DrillAgent[] = [];

  beforeAll(async () => {
    redis = await startPrivateRedis();
    cp = await startDrillControlPlane({ REDIS_URL: redis.url });
    ({ token, policyId } = await drillTenant(cp));
    for (const [i, name] of ['redis-a', 'redis-b'].entries())
      agents.push(await installDrillAgent(cp, token, name, { octet: 50 + i, flowsPerSecond: 150 }));
    await flowsMoving(agents, 60_000);
  }, 180_000);

  afterAll(async () => {
    const errors = failed() ? errorLines(cp) : '';
    if (errors) console.warn(errors.slice(-5000));
    await Promise.all(agents.map((agent) => agent.handle.stop()));
    await cp?.stop();
    await redis?.stop();
  });

  it('restart while flows stream and a config change is made: config converges, processes recover', {
    timeout: 120_000,
  }, async () => {
    await redis.kill();
    // While Redis is away: a config change (stored in Postgres) and flows keep being generated.
    const change = changeConfig(cp, token, policyId, 8101);
    await sleep(2_000);
    await redis.start();
    const changeId = await change;
    await allHealthy(cp);
    await converged(cp, token, agents, changeId, 8101);
    await flowsMoving(agents);
    await flowsAcknowledgedAreStored(cp.databaseUrl, agents);
  });

  it('a Redis restart while telemetry jobs wait in the queue loses no flows', {
    timeout: 240_000,
  }, async () => {
    const log = progress('redis drill 2');
    // A lagging telemetry worker: batches wait in the queue. The hub acknowledges a batch only
    // once it is stored, so the agents keep those records while Redis (and the queue) is lost.
    const worker = currentPid(cp, 'telemetry-worker');
    process.kill(worker, 'SIGSTOP');
    try {
      await sleep(2_000);
      const unacknowledged = agents.reduce(
        (sum, agent) => sum + agent.handle.stats.flows.lastSeq - agent.handle.stats.flows.ackedSeq,
        0,
      );
      log(`${unacknowledged} flow records held by the agents while the worker is paused; restarting Redis`);
      expect(unacknowledged).toBeGreaterThan(0);
      await redis.kill();
      await redis.start();
    } finally {
      process.kill(worker, 'SIGCONT');
    }
    await allHealthy(cp);
    log('every process healthy');
    const changeId = await changeConfig(cp, token, policyId, 8102);
    await converged(cp, token, agents, changeId, 8102);
    log('config converged');
    const result = await flowsExact(cp.databaseUrl, agents);
    log(`flows: ${JSON.stringify(result)}`);
    for (const { generated } of Object.values(result)) expect(generated).toBeGreaterThan(500);
  });

  it('an agent restarted after a Redis restart: its new flows are stored too', {
    timeout: 240_000,
  }, async () => {
    const log = progress('redis drill 3');
    // Everything so far stored (the previous case may have lost some; count what is there).
    const [agent] = agents;
    agent!.driver.flows.stop();
    const generatedBefore = agent!.handle.stats.flows.lastSeq;
    await eventually(
      () => (agent!.handle.stats.flows.ackedSeq === generatedBefore ? true : undefined),
      30_000,
      'every flow acknowledged',
    );
    await sleep(2_000);
    const before = await storedFlows(cp.databaseUrl, agent!.clusterId);
    log(`before: generated ${generatedBefore}, stored ${JSON.stringify(before)}`);
    // Redis restarts (its telemetry cursor for the cluster is gone), then the agent restarts with
    // an empty buffer, as a rescheduled pod would.
    await redis.kill();
    await redis.start();
    await allHealthy(cp);
    await agent!.restart();
    await flowsMoving([agent!], 60_000);
    await sleep(2_000);
    agent!.driver.flows.stop();
    const { firstSeq, lastSeq } = {
      firstSeq: agent!.handle.stats.flows.lastSeq - agent!.handle.stats.flows.recorded + 1,
      lastSeq: agent!.handle.stats.flows.lastSeq,
    };
    await eventually(
      () => (agent!.handle.stats.flows.ackedSeq === lastSeq ? true : undefined),
      30_000,
      'every new flow acknowledged',
    );
    await sleep(3_000);
    const after = await storedFlows(cp.databaseUrl, agent!.clusterId);
    const added = after.count - before.count;
    const recorded = agent!.handle.stats.flows.recorded;
    log(`restarted agent numbered ${recorded} new flows ${firstSeq}..${lastSeq}; rows added ${added}`);
    expect(
      { recorded, stored: added },
      `the restarted agent's new flows are stored (numbered ${firstSeq}..${lastSeq} after the hub lost its cursor)`,
    ).toEqual({ recorded, stored: recorded });
  });
});

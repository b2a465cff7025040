/**
 * Fault drill: the agent's clock is 10 minutes fast.
 *
 * The agent reads wall-clock time through `Date.now()` (session liveness, ping round trips,
 * credential rotation schedule, flow timestamps); `startAgent` has no clock option, so the drill
 * skews the clock of the whole process the agent runs in — this test file's worker, which holds
 * nothing but the agent and the test's own clients — as a skewed machine would. The control plane
 * runs in its own processes on the true clock. Monotonic time (`performance.now`, timers) is not
 * skewed, as on a real machine.
 *
 * Expectations: nothing breaks — the session stays up without reconnect loops and the hub records
 * last-seen on its own clock; the credential rotates (several times, fast here) and the rotated
 * credential opens the next session; every cluster converges to its latest config; flows are
 * stored exactly once by seq, with the agent's (skewed) timestamps, in seq order, and are served
 * by the flows query.
 */
import { type ControlPlane, gql, startTcpProxy, type TcpProxy } from '@meshplane/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allHealthy,
  changeConfig,
  connected,
  converged,
  type DrillAgent,
  drillTenant,
  errorLines,
  eventually,
  flowsExact,
  flowsMoving,
  installDrillAgent,
  sleep,
  startDrillControlPlane,
  trackFailures,
} from './support.js';

const SKEW_MS = 10 * 60_000;
const trueNow = Date.now.bind(Date);

/** Skews `Date.now()` and `new Date()` of this process by `SKEW_MS`; returns the undo. */
function skewClock(): () => void {
  const TrueDate = Date;
  class SkewedDate extends TrueDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(trueNow() + SKEW_MS);
      else super(...(args as [string | number]));
    }
    static override now() {
      return trueNow() + SKEW_MS;
    }
  }
  globalThis.Date = SkewedDate as DateConstructor;
  return () => {
    globalThis.Date = TrueDate;
  };
}

/** Rotation due every ~2 s of a 30-day credential (the lifetime the agent computes is 10 min short). */
const ROTATE_AFTER_FRACTION = 2_000 / (30 * 86_400_000 - SKEW_MS);

describe('fault drill: agent clock 10 minutes fast', () => {
  const failed = trackFailures();
  let cp: ControlPlane;
  let proxy: TcpProxy;
  let token: string;
  let policyId: string;
  let agent: DrillAgent;
  let unskew: (() => void) | undefined;

  beforeAll(async () => {
    cp = await startDrillControlPlane();
    ({ token, policyId } = await drillTenant(cp));
    proxy = await startTcpProxy(cp.port(10));
    unskew = skewClock();
    expect(Date.now() - trueNow()).toBeGreaterThanOrEqual(SKEW_MS - 5);
    agent = await installDrillAgent(cp, token, 'skew-a', {
      octet: 80,
      flowsPerSecond: 200,
      hubUrl: `ws://127.0.0.1:${proxy.port}/agents`,
      agent: { rotateAfterFraction: ROTATE_AFTER_FRACTION },
    });
    await flowsMoving([agent], 60_000);
  }, 180_000);

  afterAll(async () => {
    unskew?.();
    const errors = failed() ? errorLines(cp) : '';
    if (errors) console.warn(errors.slice(-5000));
    await agent?.handle.stop();
    await proxy?.close();
    await cp?.stop();
  });

  it('the session stays up, and the hub keeps last-seen on its own clock', { timeout: 120_000 }, async () => {
    const welcomes = agent.handle.stats.welcomes;
    await sleep(4_000); // eight heartbeats
    expect(agent.handle.stats.welcomes).toBe(welcomes);
    expect(await connected(cp, token, agent.clusterId)).toBe(true);
    const status = await gql<{ cluster: { status: { lastSeenAt: string } } }>(
      cp.gatewayUrl,
      'query($id: ID!) { cluster(id: $id) { status { lastSeenAt } } }',
      { id: agent.clusterId },
      token,
    );
    const lastSeen = new Date(status.data!.cluster.status.lastSeenAt).getTime();
    expect(Math.abs(lastSeen - trueNow())).toBeLessThan(60_000);
    // Eight heartbeats answered: the round trip was measured, on the agent's own clock.
    expect(agent.handle.stats.pongsReceived).toBeGreaterThan(0);
    expect(agent.handle.stats.lastRoundTripMs).toBeGreaterThanOrEqual(0);
    expect(agent.handle.stats.lastRoundTripMs).toBeLessThan(5_000);
  });

  it('the credential rotates, and a rotated credential opens the next session', {
    timeout: 120_000,
  }, async () => {
    const rotations = await eventually(
      () =>
        agent.handle.stats.credentialRotations >= 2 ? agent.handle.stats.credentialRotations : undefined,
      30_000,
      'two credential rotations',
    );
    // Rotation is paced by the agent's own clock, not a tight loop.
    expect(rotations).toBeLessThan(10);
    const welcomes = agent.handle.stats.welcomes;
    expect(proxy.cut()).toBeGreaterThan(0);
    await eventually(
      () => (agent.handle.stats.welcomes > welcomes ? true : undefined),
      20_000,
      'reconnected',
    );
    await sleep(1_000);
    expect(await connected(cp, token, agent.clusterId)).toBe(true);
  });

  it('config converges to the latest version', { timeout: 120_000 }, async () => {
    const changeId = await changeConfig(cp, token, policyId, 8401);
    await converged(cp, token, [agent], changeId, 8401);
  });

  it('flows: stored exactly once by seq, with the agent clock, in seq order, and queryable', {
    timeout: 120_000,
  }, async () => {
    const result = await flowsExact(cp.databaseUrl, [agent]);
    expect(result['skew-a']!.generated).toBeGreaterThan(500);
    const db = new pg.Client({ connectionString: cp.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ ahead: number; backwards: number }>(
        `SELECT max(extract(epoch FROM start_time))::float - extract(epoch FROM now())::float AS ahead,
                count(*) FILTER (WHERE back)::int AS backwards
         FROM (SELECT start_time, start_time < lag(start_time) OVER (ORDER BY seq) AS back
               FROM telemetry.flows WHERE cluster_id = $1) t`,
        [agent.clusterId],
      );
      // Flow records carry the agent's time (~10 min ahead, minus the flow window of 15 s).
      expect(rows[0]!.ahead).toBeGreaterThan(SKEW_MS / 1_000 - 120);
      expect(rows[0]!.ahead).toBeLessThan(SKEW_MS / 1_000 + 60);
      expect(rows[0]!.backwards).toBe(0);
    } finally {
      await db.end();
    }
    const flows = await gql<{ flows: { nodes: { clusterId: string }[] } }>(
      cp.gatewayUrl,
      'query($f: FlowFilter) { flows(filter: $f, first: 5) { nodes { clusterId } } }',
      { f: { clusterId: agent.clusterId } },
      token,
    );
    expect(flows.errors).toBeUndefined();
    expect(flows.data!.flows.nodes).toHaveLength(5);
    await allHealthy(cp);
  });
});

/**
 * Fault drill: PostgreSQL restarted mid-stream. A private cluster (`initdb` in a temp dir, trust
 * auth, its own port) — never the shared server on 5432, which every other test uses. The
 * postmaster is SIGKILLed (a crash: every connection of every service breaks) and started again
 * with crash recovery.
 *
 * Expectations: every process is healthy again (no process keeps a dead pool); a config change
 * made while Postgres is down is accepted once it is back (the client retries) and every cluster
 * converges to it; flows generated while Postgres was down are stored once it is back (telemetry
 * jobs fail and are retried by BullMQ), and at the end stored flows equal generated flows by seq.
 */
import { type ControlPlane, type PrivateServer, startPrivatePostgres } from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allHealthy,
  changeConfig,
  converged,
  type DrillAgent,
  drillTenant,
  errorLines,
  flowsAcknowledgedAreStored,
  flowsExact,
  flowsMoving,
  installDrillAgent,
  sleep,
  startDrillControlPlane,
  trackFailures,
} from './support.js';

let postgres: PrivateServer | undefined;
let unavailable: string | undefined;
try {
  postgres = await startPrivatePostgres();
} catch (error) {
  unavailable = error instanceof Error ? error.message : String(error);
}

describe('fault drill: Postgres restart mid-stream (private Postgres)', () => {
  const failed = trackFailures();
  let cp: ControlPlane;
  let token: string;
  let policyId: string;
  const agents: DrillAgent[] = [];
  let databaseUrl: string;

  beforeAll(async () => {
    if (unavailable) return;
    databaseUrl = `${postgres!.url}/meshplane_drill`;
    // The launcher creates and migrates the database before it starts anything.
    cp = await startDrillControlPlane({ DATABASE_URL: databaseUrl });
    ({ token, policyId } = await drillTenant(cp));
    for (const [i, name] of ['pg-a', 'pg-b'].entries())
      agents.push(await installDrillAgent(cp, token, name, { octet: 60 + i, flowsPerSecond: 150 }));
    await flowsMoving(agents, 60_000);
  }, 180_000);

  afterAll(async () => {
    const errors = failed() ? errorLines(cp) : '';
    if (errors) console.warn(errors.slice(-5000));
    await Promise.all(agents.map((agent) => agent.handle.stop()));
    await cp?.stop();
    await postgres?.stop();
  });

  it.skipIf(unavailable !== undefined)(
    `crash and restart: processes recover, config converges, flows stored exactly${unavailable ? ` (skipped: cannot run a private Postgres here: ${unavailable})` : ''}`,
    { timeout: 180_000 },
    async () => {
      await postgres!.kill();
      const change = changeConfig(cp, token, policyId, 8201, 120_000);
      await sleep(3_000);
      await postgres!.start();
      const changeId = await change;
      await allHealthy(cp);
      await converged(cp, token, agents, changeId, 8201);
      await flowsMoving(agents);
      await flowsAcknowledgedAreStored(databaseUrl, agents);
      const result = await flowsExact(databaseUrl, agents);
      for (const { generated } of Object.values(result)) expect(generated).toBeGreaterThan(500);
    },
  );
});

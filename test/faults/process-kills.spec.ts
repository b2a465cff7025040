/**
 * Fault drill: kill -9 of each process kind in turn while a config change and a flow stream are
 * in progress.
 *
 * Expectation (DESIGN §6): after each kill the launcher restarts the process; every cluster
 * converges to its latest config version (the change made around the kill included); the flow
 * stream keeps moving; at the end stored flows equal generated flows by seq — none lost, none
 * doubled — and every process is healthy.
 */
import type { ControlPlane } from '@meshplane/testing';
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
  flowsExact,
  flowsMoving,
  installDrillAgent,
  PROCESS_NAMES,
  startDrillControlPlane,
  trackFailures,
} from './support.js';

describe('fault drill: kill -9 of each process kind mid-stream', () => {
  const failed = trackFailures();
  let cp: ControlPlane;
  let token: string;
  let policyId: string;
  const agents: DrillAgent[] = [];
  let port = 8000;
  const timings: string[] = [];

  beforeAll(async () => {
    cp = await startDrillControlPlane();
    ({ token, policyId } = await drillTenant(cp));
    for (const [i, name] of ['kill-a', 'kill-b'].entries())
      agents.push(await installDrillAgent(cp, token, name, { octet: 40 + i, flowsPerSecond: 150 }));
    await flowsMoving(agents, 60_000);
  }, 180_000);

  afterAll(async () => {
    const errors = failed() ? errorLines(cp) : '';
    if (errors) console.warn(errors.slice(-5000));
    if (timings.length) console.info(`kill drill timings:\n${timings.join('\n')}`);
    await Promise.all(agents.map((agent) => agent.handle.stop()));
    await cp?.stop();
  });

  for (const name of PROCESS_NAMES) {
    it(`${name}: restarted, every cluster on its latest config, flows still moving`, {
      timeout: 120_000,
    }, async () => {
      const started = Date.now();
      const oldPid = currentPid(cp, name);
      port += 1;
      // An API process dies while the change is in flight (a client retries until it is accepted);
      // a worker or the hub dies once it is committed, while it is being compiled, stored, pushed.
      const change = changeConfig(cp, token, policyId, port);
      if (name.endsWith('-worker') || name === 'agent-hub') await change;
      process.kill(oldPid, 'SIGKILL');
      const changeId = await change;
      const newPid = await eventually(
        () => {
          const pid = currentPid(cp, name);
          return pid !== oldPid ? pid : undefined;
        },
        30_000,
        `${name} restarted`,
      );
      expect(newPid).not.toBe(oldPid);
      await allHealthy(cp);
      const versions = await converged(cp, token, agents, changeId, port);
      await flowsMoving(agents);
      timings.push(
        `  ${name.padEnd(17)} ${((Date.now() - started) / 1000).toFixed(1)} s  versions ${JSON.stringify(versions)}`,
      );
    });
  }

  it('stored flows equal generated flows by seq, and every process is healthy', {
    timeout: 120_000,
  }, async () => {
    const result = await flowsExact(cp.databaseUrl, agents);
    for (const { generated } of Object.values(result)) expect(generated).toBeGreaterThan(1_000);
    await allHealthy(cp);
    timings.push(
      `  flows ${JSON.stringify(Object.fromEntries(Object.entries(result).map(([n, r]) => [n, r.generated])))}`,
    );
  });
});

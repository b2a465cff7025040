import { randomUUID } from 'node:crypto';
import { Outbox } from '@meshplane/platform';
import { countStatements } from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type PoliciesTestApp, startPoliciesApp } from './inventory-harness.js';

/** `Cluster.config` of a page of clusters, as the gateway asks this subgraph for it. */
const CONFIGS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Cluster { id config { state desiredVersion } } } }`;

describe('Cluster.config for a page of clusters (real Postgres)', () => {
  let t: PoliciesTestApp;
  const tenantId = randomUUID();

  beforeAll(async () => {
    t = await startPoliciesApp();
    // The outbox's sweep reads its table now and then: not part of what is counted here.
    await t.app.get(Outbox).onApplicationShutdown();
  });

  afterAll(async () => {
    await t?.close();
  });

  /** Statements the subgraph sends Postgres while answering `Cluster.config` for `count` clusters. */
  async function statementsFor(count: number): Promise<number> {
    const representations = Array.from({ length: count }, () => ({
      __typename: 'Cluster',
      id: randomUUID(),
    }));
    const { result, statements } = await countStatements(() =>
      t.call(as(tenantId, 'viewer'), CONFIGS, { r: representations }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toHaveLength(count);
    expect(result.data!._entities[0].config).toEqual({ state: 'PENDING', desiredVersion: 0 });
    return statements;
  }

  it('costs the same few statements for 500 clusters as for 2 (one batched read per request)', async () => {
    const few = await statementsFor(2);
    const many = await statementsFor(500);
    expect(few).toBeGreaterThan(0);
    expect(many).toBe(few);
  });
});

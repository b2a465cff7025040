import { randomUUID } from 'node:crypto';
import { Outbox } from '@meshplane/platform';
import { countStatements } from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelemetry, type TelemetryHarness } from './telemetry-harness.js';

const SECRET = 'telemetry-batching-identity-secret-0123456789';
/** `Cluster.flowTelemetry` of a page of clusters, as the gateway asks this subgraph for it. */
const TELEMETRY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Cluster { id flowTelemetry { droppedFlows } } } }`;

describe('Cluster.flowTelemetry for a page of clusters (real Postgres)', () => {
  let telemetry: TelemetryHarness;
  const tenantId = randomUUID();

  beforeAll(async () => {
    telemetry = await startTelemetry({ secret: SECRET, peers: () => ({ resolve: async () => new Map() }) });
    // The outbox's sweep reads its table now and then: not part of what is counted here.
    await telemetry.subgraph.app.get(Outbox).onApplicationShutdown();
  });

  afterAll(async () => {
    await telemetry?.close();
  });

  async function statementsFor(count: number): Promise<number> {
    const representations = Array.from({ length: count }, () => ({
      __typename: 'Cluster',
      id: randomUUID(),
    }));
    const { result, statements } = await countStatements(() =>
      telemetry.gql(tenantId, TELEMETRY, { r: representations }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toHaveLength(count);
    expect(result.data._entities[count - 1].flowTelemetry).toEqual({ droppedFlows: 0 });
    return statements;
  }

  it('costs the same few statements for 500 clusters as for 2 (one batched read per request)', async () => {
    await statementsFor(1); // the tenant's settings row is created on first use
    const few = await statementsFor(2);
    const many = await statementsFor(500);
    expect(few).toBeGreaterThan(0);
    expect(many).toBe(few);
  });
});

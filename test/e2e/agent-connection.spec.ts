import { INVENTORY_RESYNC_CHANNEL } from '@meshplane/events';
import { CLOSE_CODES } from '@meshplane/protocol';
import {
  type ControlPlane,
  eventually,
  FakeAgent,
  gql,
  signUpTenant,
  startControlPlane,
  TEST_REDIS_URL,
  testPod,
  validateKubernetesObject,
} from '@meshplane/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const REGISTER = `mutation Register($input: RegisterClusterInput!) {
  registerCluster(input: $input) { cluster { id name labels { key value } status { connected } } installCommand installTokenExpiresAt }
}`;

interface Registered {
  clusterId: string;
  installUrl: string;
}

describe('clusters and agents: register, install, exchange, connect, inventory, revoke', () => {
  let cp: ControlPlane;
  let owner: Awaited<ReturnType<typeof signUpTenant>>;
  let hubUrl: string;

  const register = async (name: string, labels = [{ key: 'geo', value: 'eu' }]): Promise<Registered> => {
    const result = await gql<{ registerCluster: { cluster: { id: string }; installCommand: string } }>(
      cp.gatewayUrl,
      REGISTER,
      { input: { name, labels } },
      owner.token,
    );
    expect(result.errors).toBeUndefined();
    const command = result.data!.registerCluster.installCommand;
    expect(command).toMatch(
      /^kubectl apply -f http:\/\/127\.0\.0\.1:\d+\/install\/mpi_[0-9a-f]{32}_\S+\.yaml$/,
    );
    return { clusterId: result.data!.registerCluster.cluster.id, installUrl: command.split(' ').at(-1)! };
  };

  const install = async ({ installUrl }: Registered) => {
    const url = new URL(installUrl);
    const manifest = await request(url.origin).get(url.pathname);
    expect(manifest.status).toBe(200);
    const secret = parseAllDocuments(manifest.text)
      .map((d) => d.toJS())
      .find((d) => d.kind === 'Secret');
    const exchange = await request(cp.gatewayUrl)
      .post('/agent/v1/exchange')
      .send({ bootstrapToken: secret.stringData['bootstrap-token'] });
    expect(exchange.status).toBe(200);
    return {
      credential: exchange.body.credential as string,
      bootstrapToken: secret.stringData['bootstrap-token'],
    };
  };

  const status = async (clusterId: string) =>
    (
      await gql<{
        cluster: { status: { connected: boolean; agentVersion: string | null; nodeCount: number | null } };
      }>(
        cp.gatewayUrl,
        `query($id: ID!) { cluster(id: $id) { status { connected agentVersion nodeCount } } }`,
        { id: clusterId },
        owner.token,
      )
    ).data?.cluster.status;

  const endpointNames = async (clusterId: string) =>
    (
      await gql<{ endpoints: { nodes: Array<{ name: string; ips: string[] }> } }>(
        cp.gatewayUrl,
        `query($c: ID) { endpoints(clusterId: $c) { nodes { name ips } } }`,
        { c: clusterId },
        owner.token,
      )
    ).data?.endpoints.nodes.map((n) => n.name);

  beforeAll(async () => {
    cp = await startControlPlane({
      HEARTBEAT_INTERVAL_MS: '300',
      SESSION_TIMEOUT_MS: '2000',
      SESSION_RECHECK_INTERVAL_MS: '500',
    });
    owner = await signUpTenant(cp.gatewayUrl, 'Agents Inc');
    hubUrl = `ws://127.0.0.1:${cp.port(10)}/agents`;
  });

  afterAll(async () => {
    await cp?.stop();
  });

  it('serves the install manifest for a fresh token, and a 404 with a reason for a bad one', async () => {
    const cluster = await register('manifest-check');
    const url = new URL(cluster.installUrl);
    const manifest = await request(url.origin).get(url.pathname);
    expect(manifest.headers['content-type']).toMatch(/yaml/);
    const objects = parseAllDocuments(manifest.text).map((d) => d.toJS());
    expect(objects.map((o) => o.kind)).toContain('Deployment');
    for (const object of objects) validateKubernetesObject(object);
    const unknown = await request(url.origin).get(
      '/install/mpi_00000000000000000000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.yaml',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.text).toMatch(/^# Meshplane: this install token is unknown or has expired/);
    expect(unknown.text).not.toContain('kind:');
    const garbage = await request(url.origin).get('/install/..%2F..%2Fetc%2Fpasswd.yaml');
    expect(garbage.status).toBe(404);
  });

  it('exchanges the install token exactly once; afterwards the manifest comes without the bootstrap Secret', async () => {
    const cluster = await register('exchange-once');
    const { bootstrapToken } = await install(cluster);
    const replay = await request(cp.gatewayUrl).post('/agent/v1/exchange').send({ bootstrapToken });
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('INSTALL_TOKEN_USED');
    const url = new URL(cluster.installUrl);
    // Running the install command again re-applies (or upgrades) the agent; the used token is in no object.
    const again = await request(url.origin).get(url.pathname);
    expect(again.status).toBe(200);
    const kinds = parseAllDocuments(again.text).map((d) => d.toJS()?.kind);
    expect(kinds).toContain('Deployment');
    expect(kinds).not.toContain('Secret');
    expect(again.text).not.toContain(bootstrapToken);
    expect(again.text).toMatch(/install token was used: this re-applies the agent/);
    const malformed = await request(cp.gatewayUrl).post('/agent/v1/exchange').send({ token: 1 });
    expect(malformed.status).toBe(400);
  });

  it('asks the agent for a new snapshot when the clusters worker says the stored inventory fell behind', async () => {
    const cluster = await register('resync');
    const { credential } = await install(cluster);
    const agent = await FakeAgent.connect(hubUrl);
    const welcome = await agent.hello(credential, '1.2.3');
    agent.snapshot([testPod('shop', 'web-1', '10.1.0.1')]);
    await eventually(async () => ((await endpointNames(cluster.clusterId))?.length === 1 ? true : undefined));
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const epoch = (
        await redis.get(`${cp.redisPrefix}:presence:${cluster.clusterId}`).then((raw) => JSON.parse(raw!))
      ).epoch as number;
      await redis.publish(
        `${cp.redisPrefix}:${INVENTORY_RESYNC_CHANNEL.name}`,
        JSON.stringify({ clusterId: welcome.clusterId, epoch }),
      );
    } finally {
      await redis.quit();
    }
    expect((await agent.next('error')).code).toBe('inventory_gap');
    // Deltas wait for the snapshot asked for; the snapshot then replaces everything.
    agent.send({
      type: 'inventory.delta',
      seq: 1,
      changes: [{ op: 'upsert', object: testPod('shop', 'x', '10.1.0.9') }],
    });
    expect((await agent.next('error')).code).toBe('inventory_gap');
    agent.snapshot([testPod('shop', 'web-2', '10.1.0.2')]);
    expect(
      await eventually(async () => {
        const names = await endpointNames(cluster.clusterId);
        return names?.join() === 'web-2' ? names : undefined;
      }),
    ).toEqual(['web-2']);
    agent.close();
  });

  it('connects an agent, shows it connected, and stores its snapshot and deltas as endpoints', async () => {
    const cluster = await register('eu-west-1');
    const { credential } = await install(cluster);
    const agent = await FakeAgent.connect(hubUrl);
    const welcome = await agent.hello(credential, '1.2.3');
    expect(welcome.clusterId).toBe(cluster.clusterId);
    expect(welcome.tenantId).toBe(owner.tenantId);

    agent.snapshot([
      testPod('shop', 'web-1', '10.1.0.1', { app: 'web' }),
      testPod('shop', 'web-2', '10.1.0.2'),
    ]);
    expect(
      await eventually(async () =>
        (await endpointNames(cluster.clusterId))?.length === 2 ? true : undefined,
      ),
    ).toBe(true);
    expect(await status(cluster.clusterId)).toEqual({ connected: true, agentVersion: '1.2.3', nodeCount: 3 });

    agent.send({
      type: 'inventory.delta',
      seq: 1,
      changes: [
        { op: 'upsert', object: testPod('shop', 'web-3', '10.1.0.3') },
        { op: 'delete', object: { kind: 'pod', namespace: 'shop', name: 'web-1' } },
      ],
    });
    const names = await eventually(async () => {
      const current = await endpointNames(cluster.clusterId);
      return current?.includes('web-3') ? current : undefined;
    }, 1_000);
    expect(names).toEqual(['web-2', 'web-3']);

    // A replayed delta changes nothing; a gap is refused with inventory_gap.
    agent.send({
      type: 'inventory.delta',
      seq: 1,
      changes: [{ op: 'upsert', object: testPod('shop', 'web-1', '10.1.0.1') }],
    });
    agent.send({
      type: 'inventory.delta',
      seq: 5,
      changes: [{ op: 'upsert', object: testPod('shop', 'web-9', '10.1.0.9') }],
    });
    const gap = await agent.next('error');
    expect(gap.code).toBe('inventory_gap');
    expect(await endpointNames(cluster.clusterId)).toEqual(['web-2', 'web-3']);
    agent.close();
  });

  it('lets a second session of the same cluster supersede the first', async () => {
    const cluster = await register('supersede');
    const { credential } = await install(cluster);
    const first = await FakeAgent.connect(hubUrl);
    await first.hello(credential);
    const second = await FakeAgent.connect(hubUrl);
    await second.hello(credential);
    const goodbye = await first.next('goodbye');
    expect(goodbye.reason).toBe('superseded');
    expect((await first.closed).code).toBe(CLOSE_CODES.superseded);
    expect(second.socket.readyState).toBe(second.socket.OPEN);
    second.close();
  });

  it('marks a silent agent disconnected once the session timeout passes', async () => {
    const cluster = await register('silent');
    const { credential } = await install(cluster);
    const agent = await FakeAgent.connect(hubUrl);
    await agent.hello(credential);
    expect((await status(cluster.clusterId))?.connected).toBe(true);
    agent.answerPings = false;
    const closed = await agent.closed;
    expect(closed.code).toBe(CLOSE_CODES.heartbeat_timeout);
    expect(
      await eventually(async () =>
        (await status(cluster.clusterId))?.connected === false ? true : undefined,
      ),
    ).toBe(true);
  });

  it('closes the socket within a second of revokeCluster, and refuses the credential afterwards', async () => {
    const cluster = await register('to-revoke');
    const { credential } = await install(cluster);
    const agent = await FakeAgent.connect(hubUrl);
    await agent.hello(credential);
    const started = Date.now();
    const revoked = await gql(
      cp.gatewayUrl,
      `mutation($id: ID!) { revokeCluster(id: $id) { revokedAt } }`,
      { id: cluster.clusterId },
      owner.token,
    );
    expect(revoked.errors).toBeUndefined();
    const closed = await agent.closed;
    expect(closed.code).toBe(CLOSE_CODES.revoked);
    expect(closed.at - started).toBeLessThan(1_000);

    // A restarted agent of the revoked cluster is told to stop for good (4403), not to retry (4401).
    const again = await FakeAgent.connect(hubUrl);
    await expect(again.hello(credential)).rejects.toThrow(/closed 4403/);
    const unknown = await FakeAgent.connect(hubUrl);
    await expect(unknown.hello(`${credential.slice(0, -4)}AAAA`)).rejects.toThrow(/closed 4401/);
    const rotate = await request(cp.gatewayUrl)
      .post('/agent/v1/rotate')
      .set('authorization', `Bearer ${credential}`);
    expect(rotate.status).toBe(401);
  });

  it('disconnects the agent when its cluster is deleted, and forgets the cluster', async () => {
    const cluster = await register('to-delete');
    const { credential } = await install(cluster);
    const agent = await FakeAgent.connect(hubUrl);
    await agent.hello(credential);
    await gql(
      cp.gatewayUrl,
      `mutation($id: ID!) { deleteCluster(id: $id) }`,
      { id: cluster.clusterId },
      owner.token,
    );
    expect((await agent.closed).code).toBe(CLOSE_CODES.deleted);
    const gone = await gql(
      cp.gatewayUrl,
      `query($id: ID!) { cluster(id: $id) { id } }`,
      { id: cluster.clusterId },
      owner.token,
    );
    expect(gone.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  // The hub learns of revocations, deletions and takeovers by Redis pub/sub, which loses what is
  // published while a subscriber is away. Here the change is written to the table with no
  // notification at all, as when the publish failed: the hub's periodic re-check ends the session.
  it('ends a session whose revocation, deletion or takeover was never announced, at the next re-check', async () => {
    const db = new pg.Client({ connectionString: cp.databaseUrl });
    await db.connect();
    try {
      const cases = [
        { sql: 'UPDATE clusters.clusters SET revoked_at = now() WHERE id = $1', code: CLOSE_CODES.revoked },
        { sql: 'DELETE FROM clusters.clusters WHERE id = $1', code: CLOSE_CODES.deleted },
        {
          sql: 'UPDATE clusters.clusters SET session_epoch = session_epoch + 1 WHERE id = $1',
          code: CLOSE_CODES.superseded,
        },
      ];
      for (const [index, { sql, code }] of cases.entries()) {
        const cluster = await register(`unannounced-${index}`);
        const { credential } = await install(cluster);
        const agent = await FakeAgent.connect(hubUrl);
        await agent.hello(credential);
        await db.query(sql, [cluster.clusterId]);
        expect((await agent.closed).code, sql).toBe(code);
      }
    } finally {
      await db.end();
    }
  });

  it('rotates an agent credential; the new one opens sessions', async () => {
    const cluster = await register('rotation');
    const { credential } = await install(cluster);
    const rotated = await request(cp.gatewayUrl)
      .post('/agent/v1/rotate')
      .set('authorization', `Bearer ${credential}`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.credential).not.toBe(credential);
    const agent = await FakeAgent.connect(hubUrl);
    expect((await agent.hello(rotated.body.credential)).clusterId).toBe(cluster.clusterId);
    agent.close();
  });

  it('survives malformed, oversized, out-of-order and replayed frames while other agents carry on', async () => {
    const healthy = await register('healthy');
    const { credential } = await install(healthy);
    const good = await FakeAgent.connect(hubUrl);
    await good.hello(credential);

    const fuzzers = await Promise.all(Array.from({ length: 4 }, () => FakeAgent.connect(hubUrl)));
    const junk: Array<string | Buffer> = [
      'not json',
      '{"type":"nope"}',
      '{"type":"hello"}',
      JSON.stringify({ type: 'config.push', version: 1, mode: 'full', objects: [] }),
      JSON.stringify({ type: 'inventory.delta', seq: 1, changes: [] }),
      Buffer.from([0xff, 0xfe, 0x00]),
      '[]',
      'null',
      JSON.stringify({ type: 'ping', nonce: 'x'.repeat(10_000), sentAt: -1 }),
    ];
    for (const [i, fuzzer] of fuzzers.entries()) {
      for (const frame of junk) fuzzer.sendRaw(frame);
      if (i === 0) fuzzer.sendRaw('x'.repeat(5 * 1024 * 1024)); // over the 4 MiB frame limit
    }
    const errors = await Promise.all(fuzzers.slice(1).map((f) => f.next('error')));
    expect(errors.map((e) => e.code)).toEqual(['malformed_json', 'malformed_json', 'malformed_json']);
    expect((await fuzzers[0]!.closed).code).toBe(1009);

    good.send({ type: 'ping', nonce: 'still-there', sentAt: Date.now() });
    expect((await good.next('pong')).nonce).toBe('still-there');
    expect((await status(healthy.clusterId))?.connected).toBe(true);
    for (const f of [good, ...fuzzers]) f.close();
  });

  it('refuses a hello with a wrong credential or no common protocol version', async () => {
    const wrong = await FakeAgent.connect(hubUrl);
    await expect(
      wrong.hello('mpa_00000000000000000000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
    ).rejects.toThrow(/closed 4401/);
    const future = await FakeAgent.connect(hubUrl);
    future.send({
      type: 'hello',
      protocols: [99],
      credential: 'x',
      agent: { version: '9', capabilities: [] },
      lastAppliedConfigVersion: 0,
      telemetryCursor: 0,
    });
    expect((await future.closed).code).toBe(CLOSE_CODES.unsupported_protocol);
  });
});

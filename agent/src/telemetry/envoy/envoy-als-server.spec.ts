import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import type { HttpRequestDraft } from './envoy-als-convert.js';
import { EnvoyAlsServer } from './envoy-als-server.js';
import { httpEntry, TestEnvoy } from './spec-support/test-envoy.js';

const MAX_MESSAGE_BYTES = 64 * 1024;
const received: HttpRequestDraft[] = [];
let server: EnvoyAlsServer;
let envoy: TestEnvoy;

beforeAll(async () => {
  server = new EnvoyAlsServer(
    {
      host: '127.0.0.1',
      port: 0,
      logger: silentLogger,
      maxMessageBytes: MAX_MESSAGE_BYTES,
      maxEntriesPerMessage: 50,
    },
    (draft) => received.push(draft),
  );
  const port = await server.start();
  envoy = new TestEnvoy(`127.0.0.1:${port}`);
});

afterAll(async () => {
  envoy?.close();
  await server?.stop();
});

function identified(entries: object[]) {
  return {
    identifier: { node: { id: 'envoy-node-a', cluster: 'node-envoy' }, log_name: 'meshplane' },
    http_logs: { log_entry: entries },
  };
}

describe('EnvoyAlsServer (a real gRPC client streaming messages encoded from the vendored Envoy protos)', () => {
  it('turns each HTTPAccessLogEntry into an L7 record with the path templated and nothing private kept', async () => {
    received.length = 0;
    const status = await envoy.stream([
      envoy.encode(identified([httpEntry(), httpEntry({ path: '/healthz', code: 503, method: 'POST' })])),
      envoy.encode({ http_logs: { log_entry: [httpEntry({ path: '/users/alice@example.com/cart' })] } }),
    ]);
    expect(status).toBeNull();
    expect(received).toHaveLength(3);
    expect(received[0]).toEqual({
      startTime: 1_800_000_000_250,
      method: 'GET',
      authority: 'api.shop.svc:8080',
      path: '/orders/{id}/items',
      responseCode: 200,
      durationMs: 42,
      requestBytes: 150,
      responseBytes: 1_080,
      protocol: 'http1.1',
      requestId: '2f7c1c7e-5d0e-4a1b-9e61-8b2c0c1f9a11',
      upstreamCluster: 'shop/api',
      source: { ip: '10.0.1.5', port: 43_512 },
      destination: { ip: '10.0.2.9', port: 8080 },
    });
    expect(received[1]).toMatchObject({ method: 'POST', path: '/healthz', responseCode: 503 });
    expect(received[2]!.path).toBe('/users/{id}/cart');
    const serialized = JSON.stringify(received);
    for (const secret of ['sekret', 'access_token', 'curl', 'example.com', '203.0.113.7', 'secret-tag'])
      expect(serialized).not.toContain(secret);
  });

  it('counts and drops malformed and oversized messages and invalid entries, and keeps serving the same stream', async () => {
    received.length = 0;
    const before = server.stats;
    const oversized = envoy.encode(
      identified([httpEntry({ path: `/big/${'a'.repeat(MAX_MESSAGE_BYTES)}` })]),
    );
    expect(oversized.length).toBeGreaterThan(MAX_MESSAGE_BYTES);
    const noAddresses = { ...httpEntry(), common_properties: { start_time: { seconds: 1, nanos: 0 } } };
    const status = await envoy.stream([
      Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]), // field 1, a length far past the end
      Buffer.from([0x12, 0x03, 0x0a, 0x01]), // http_logs holding a truncated entry
      oversized,
      envoy.encode(identified([noAddresses, httpEntry({ method: 'METHOD_UNSPECIFIED' })])),
      envoy.encode(identified([httpEntry({ path: '/after/bad/input' })])),
    ]);
    expect(status).toBeNull();
    const after = server.stats;
    expect(after.malformedMessages - before.malformedMessages).toBe(2);
    expect(after.oversizedMessages - before.oversizedMessages).toBe(1);
    expect(after.invalidEntries - before.invalidEntries).toBe(2);
    expect(received.map((draft) => draft.path)).toEqual(['/after/bad/input']);
  });

  it('keeps at most maxEntriesPerMessage entries of a message and counts the rest', async () => {
    received.length = 0;
    const before = server.stats.entriesOverLimit;
    const status = await envoy.stream([
      envoy.encode(identified(Array.from({ length: 60 }, () => httpEntry()))),
    ]);
    expect(status).toBeNull();
    expect(received).toHaveLength(50);
    expect(server.stats.entriesOverLimit - before).toBe(10);
  });

  it('a message beyond what gRPC accepts at all ends only that stream; the next stream is served', async () => {
    received.length = 0;
    const huge = envoy.encode(identified([httpEntry({ path: `/${'b'.repeat(MAX_MESSAGE_BYTES * 5)}` })]));
    const refused = await envoy.stream([huge]);
    expect(refused?.code).toBe(8); // RESOURCE_EXHAUSTED
    const status = await envoy.stream([envoy.encode(identified([httpEntry({ path: '/still/served' })]))]);
    expect(status).toBeNull();
    expect(received.map((draft) => draft.path)).toEqual(['/still/served']);
  });
});

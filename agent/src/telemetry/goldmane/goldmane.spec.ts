import { EventEmitter, once } from 'node:events';
import { copyFile, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { KubeConfig } from '@kubernetes/client-node';
import { MAX_POLICIES_PER_FLOW } from '@meshplane/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesDriver } from '../../drivers/kubernetes/kubernetes-driver.js';
import { createLogger, type Logger, silentLogger } from '../../log.js';
import type { FlowDraft } from '../flow-buffer.js';
import { goldmaneFlowToDraft } from './goldmane-convert.js';
import {
  GOLDMANE_DESCRIPTOR,
  GOLDMANE_LOADER_OPTIONS,
  type GoldmaneFlow,
  type GoldmaneFlowResult,
  type GoldmanePackage,
  loadGoldmanePackage,
} from './goldmane-descriptor.js';
import { GoldmaneFlowSource, type GoldmaneFlowSourceOptions } from './goldmane-flow-source.js';
import { type FlowResultInput, GOLDMANE_PROTO_PATH, TestGoldmane } from './spec-support/test-goldmane.js';
import { createTestPki, type TestPki } from './spec-support/test-pki.js';

/** The agent's clock in these tests; flow windows are placed shortly before it. */
const NOW_MS = 1_800_000_000_000;
const W1 = 1_799_999_850;
const W2 = W1 + 15;
const W3 = W2 + 15;

let pki: TestPki;
let goldmane: TestGoldmane;
let goldmanePackage: GoldmanePackage;
const sources: GoldmaneFlowSource[] = [];
const servers: TestGoldmane[] = [];

beforeAll(async () => {
  goldmanePackage = await loadGoldmanePackage();
  pki = await createTestPki();
  goldmane = await TestGoldmane.start(pki.ca, pki.server);
});

afterAll(async () => {
  await goldmane?.close();
  await pki?.remove();
});

afterEach(async () => {
  for (const source of sources.splice(0)) source.stop();
  for (const server of servers.splice(0)) await server.close();
});

/** Log lines as objects, with a way to wait for a message. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const events = new EventEmitter();
  const logger: Logger = createLogger({
    level: 'debug',
    write: (line) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
      events.emit('line');
    },
  });
  return {
    logger,
    lines,
    async waitFor(msg: string, count = 1) {
      while (lines.filter((line) => line.msg === msg).length < count) await once(events, 'line');
    },
  };
}

class Collector {
  readonly flows: FlowDraft[] = [];
  private readonly events = new EventEmitter();
  readonly push = (flow: FlowDraft) => {
    this.flows.push(flow);
    this.events.emit('flow');
  };
  async waitFor(count: number): Promise<FlowDraft[]> {
    while (this.flows.length < count) await once(this.events, 'flow');
    return this.flows;
  }
}

function source(overrides: Partial<GoldmaneFlowSourceOptions> = {}): GoldmaneFlowSource {
  const created = new GoldmaneFlowSource({
    address: goldmane.address,
    caFile: pki.ca,
    certFile: pki.client.cert,
    keyFile: pki.client.key,
    logger: createLogger({ level: 'silent' }),
    retryBaseMs: 20,
    retryCapMs: 100,
    now: () => NOW_MS,
    ...overrides,
  });
  sources.push(created);
  return created;
}

/** A minimal valid Goldmane flow from `web` to `db` in the window starting at `start`. */
function result(start: number, key: Record<string, unknown> = {}, flow: Record<string, unknown> = {}) {
  return {
    id: 1,
    flow: {
      Key: {
        source_name: 'web-*',
        source_namespace: 'shop',
        source_type: 'WorkloadEndpoint',
        dest_name: 'db-*',
        dest_namespace: 'shop',
        dest_type: 'WorkloadEndpoint',
        dest_port: 5432,
        proto: 'tcp',
        reporter: 'Src',
        action: 'Allow',
        ...key,
      },
      start_time: start,
      end_time: start + 15,
      packets_in: 1,
      packets_out: 1,
      bytes_in: 100,
      bytes_out: 100,
      num_connections_started: 1,
      ...flow,
    },
  } satisfies FlowResultInput;
}

const FULL_RESULT = {
  id: 42,
  flow: {
    Key: {
      source_name: 'frontend-6f7d9-*',
      source_namespace: 'shop',
      source_type: 'WorkloadEndpoint',
      dest_name: 'cart-5c8b4-*',
      dest_namespace: 'shop',
      dest_type: 'WorkloadEndpoint',
      dest_port: 8080,
      dest_service_name: 'cart',
      dest_service_namespace: 'shop',
      dest_service_port_name: 'http',
      dest_service_port: 80,
      proto: 'TCP',
      reporter: 'Dst',
      action: 'Allow',
      policies: {
        enforced_policies: [
          {
            kind: 'EndOfTier',
            tier: 'security',
            action: 'Pass',
            policy_index: 0,
            rule_index: -1,
            trigger: { kind: 'GlobalNetworkPolicy', name: 'security.audit', tier: 'security' },
          },
          {
            kind: 'CalicoNetworkPolicy',
            namespace: 'shop',
            name: 'default.allow-frontend',
            tier: 'default',
            action: 'Allow',
            policy_index: 1,
            rule_index: 0,
          },
        ],
        pending_policies: [
          {
            kind: 'StagedGlobalNetworkPolicy',
            name: 'security.lockdown',
            tier: 'security',
            action: 'Deny',
            policy_index: 0,
            rule_index: 2,
          },
        ],
      },
    },
    start_time: W1,
    end_time: W1 + 15,
    source_labels: ['app=frontend', 'app.kubernetes.io/part-of=shop', 'canary='],
    dest_labels: ['app=cart', 'tier=backend'],
    packets_in: 40,
    packets_out: 38,
    bytes_in: 5_120,
    bytes_out: 20_480,
    num_connections_started: 3,
    num_connections_completed: 2,
    num_connections_live: 1,
  },
};

const FULL_DRAFT: FlowDraft = {
  startTime: W1,
  endTime: W1 + 15,
  source: {
    name: 'frontend-6f7d9-*',
    namespace: 'shop',
    type: 'wep',
    labels: { app: 'frontend', 'app.kubernetes.io/part-of': 'shop', canary: '' },
  },
  destination: {
    name: 'cart-5c8b4-*',
    namespace: 'shop',
    type: 'wep',
    labels: { app: 'cart', tier: 'backend' },
    port: 8080,
  },
  destService: { namespace: 'shop', name: 'cart', portName: 'http', port: 80 },
  protocol: 'tcp',
  reporter: 'dst',
  action: 'allow',
  policies: [
    { tier: 'security', name: 'security', kind: 'EndOfTier', action: 'pass', policyIndex: 0, ruleIndex: -1 },
    {
      tier: 'default',
      name: 'default.allow-frontend',
      namespace: 'shop',
      kind: 'CalicoNetworkPolicy',
      action: 'allow',
      policyIndex: 1,
      ruleIndex: 0,
    },
    {
      tier: 'security',
      name: 'security.lockdown',
      kind: 'StagedGlobalNetworkPolicy',
      action: 'deny',
      policyIndex: 0,
      ruleIndex: 2,
      staged: true,
    },
  ],
  bytesIn: 5_120,
  bytesOut: 20_480,
  packetsIn: 40,
  packetsOut: 38,
  connectionsStarted: 3,
  connectionsCompleted: 2,
  connectionsLive: 1,
};

describe('goldmane schema', () => {
  it('the embedded descriptor loads to exactly the definitions of goldmane.proto', () => {
    const fromFile = protoLoader.loadSync(GOLDMANE_PROTO_PATH, GOLDMANE_LOADER_OPTIONS);
    const embedded = protoLoader.fromJSON(GOLDMANE_DESCRIPTOR, GOLDMANE_LOADER_OPTIONS);
    expect(Object.keys(embedded).sort()).toEqual(Object.keys(fromFile).sort());
    for (const [name, definition] of Object.entries(fromFile)) {
      const other = embedded[name]!;
      if ('format' in definition) {
        expect(isDeepStrictEqual((other as typeof definition).type, definition.type), name).toBe(true);
      } else {
        const methods = definition as protoLoader.ServiceDefinition;
        for (const [method, spec] of Object.entries(methods)) {
          const twin = (other as protoLoader.ServiceDefinition)[method]!;
          expect([twin.path, twin.requestStream, twin.responseStream]).toEqual([
            spec.path,
            spec.requestStream,
            spec.responseStream,
          ]);
          expect(isDeepStrictEqual(twin.requestType.type, spec.requestType.type)).toBe(true);
          expect(isDeepStrictEqual(twin.responseType.type, spec.responseType.type)).toBe(true);
        }
      }
    }
    expect(fromFile['goldmane.Flows']).toHaveProperty('Stream.path', '/goldmane.Flows/Stream');
  });
});

describe('goldmaneFlowToDraft', () => {
  const decode = (input: FlowResultInput): GoldmaneFlow => {
    const type = goldmanePackage.definition['goldmane.FlowResult'] as protoLoader.MessageTypeDefinition<
      object,
      object
    >;
    const bytes = type.serialize(input);
    return (type.deserialize(bytes) as unknown as GoldmaneFlowResult).flow!;
  };

  it('maps network endpoints named pub/pvt to those types and other networks to net', () => {
    const flow = (name: string, type: string) =>
      goldmaneFlowToDraft(decode(result(W1, { dest_name: name, dest_namespace: '', dest_type: type })));
    expect(flow('pub', 'Network')).toMatchObject({ ok: true, flow: { destination: { type: 'pub' } } });
    expect(flow('pvt', 'Network')).toMatchObject({ ok: true, flow: { destination: { type: 'pvt' } } });
    expect(flow('lan', 'Network')).toMatchObject({ ok: true, flow: { destination: { type: 'net' } } });
    expect(flow('db-hosts', 'NetworkSet')).toMatchObject({ ok: true, flow: { destination: { type: 'ns' } } });
    expect(flow('node-1-eth0', 'HostEndpoint')).toMatchObject({
      ok: true,
      flow: { destination: { type: 'hep' } },
    });
  });

  it('leaves out unset ports, unknown policy kinds and empty namespaces; names the profile tier', () => {
    const converted = goldmaneFlowToDraft(
      decode(
        result(
          W1,
          {
            dest_port: 0,
            proto: 'ICMP',
            policies: {
              enforced_policies: [{ kind: 'Profile', name: 'kns.shop', action: 'Allow', rule_index: 0 }],
              pending_policies: [{ kind: 3, name: 'staged', tier: 'default', action: 'Allow' }],
            },
          },
          { num_connections_live: 0 },
        ),
      ),
    );
    expect(converted.ok).toBe(true);
    if (!converted.ok) return;
    expect(converted.flow.destination).not.toHaveProperty('port');
    expect(converted.flow).not.toHaveProperty('destService');
    expect(converted.flow.protocol).toBe('icmp');
    expect(converted.flow.connectionsLive).toBe(0);
    expect(converted.flow.policies).toEqual([
      {
        tier: '__PROFILE__',
        name: 'kns.shop',
        kind: 'Profile',
        action: 'allow',
        policyIndex: 0,
        ruleIndex: 0,
      },
      {
        tier: 'default',
        name: 'staged',
        kind: 'StagedNetworkPolicy',
        action: 'allow',
        policyIndex: 0,
        ruleIndex: 0,
        staged: true,
      },
    ]);
  });

  it('keeps at most the protocol limit of policy hits, enforced first, and counts the rest', () => {
    const hit = (index: number) => ({
      kind: 'GlobalNetworkPolicy',
      name: `p${index}`,
      tier: 'default',
      action: 'Pass',
      policy_index: index,
    });
    const enforced = Array.from({ length: 70 }, (_, index) => hit(index));
    const pending = Array.from({ length: 40 }, (_, index) => hit(index));
    const converted = goldmaneFlowToDraft(
      decode(result(W1, { policies: { enforced_policies: enforced, pending_policies: pending } })),
    );
    expect(converted).toMatchObject({ ok: true, policiesDropped: 10 });
    if (!converted.ok) return;
    expect(converted.flow.policies).toHaveLength(MAX_POLICIES_PER_FLOW);
    expect(converted.flow.policies.filter((policy) => policy.staged)).toHaveLength(30);
  });

  it('says why a flow cannot be a record', () => {
    const reason = (input: FlowResultInput) => {
      const converted = goldmaneFlowToDraft(decode(input));
      return converted.ok ? 'ok' : converted.reason;
    };
    expect(reason(result(W1, { source_type: 'EndpointTypeUnspecified' }))).toBe(
      'source_type: unknown value EndpointTypeUnspecified',
    );
    expect(reason(result(W1, { dest_type: 9 }))).toBe('dest_type: unknown value 9');
    expect(reason(result(W1, { reporter: 'ReporterUnspecified' }))).toBe(
      'reporter: unknown value ReporterUnspecified',
    );
    expect(reason(result(W1, { action: 7 }))).toBe('action: unknown value 7');
    expect(reason(result(W1, { source_name: 'x'.repeat(300) }))).toMatch(/^source\.name: /);
    expect(reason(result(W1, {}, { source_labels: ['bad key=x'] }))).toMatch(/^source\.labels/);
    expect(reason(result(W1, { proto: '' }))).toMatch(/^protocol: /);
    expect(reason(result(W1, {}, { bytes_in: '9007199254740993' }))).toMatch(/^bytesIn: /);
    expect(reason(result(W1, {}, { end_time: W1 - 1 }))).toMatch(/^endTime: /);
    expect(
      reason(
        result(W1, {
          policies: { enforced_policies: [{ kind: 'NetworkPolicy', name: 'np', tier: 'default' }] },
        }),
      ),
    ).toBe('policy hit action: unknown value ActionUnspecified');
  });
});

describe('GoldmaneFlowSource', () => {
  it('streams over mTLS from a short lookback and delivers each flow converted field by field', async () => {
    const sink = new Collector();
    const flows = source({ initialLookbackSeconds: 120 });
    flows.start(sink.push);
    const call = await goldmane.nextCall();
    expect(call.request).toEqual({ start_time_gte: -120, filter: {}, aggregation_interval: 15 });
    call.send(FULL_RESULT);
    const [received] = await sink.waitFor(1);
    expect(received).toEqual(FULL_DRAFT);
    expect(flows.stats).toEqual({
      received: 1,
      converted: 1,
      invalid: 0,
      duplicates: 0,
      policiesDropped: 0,
      reconnects: 0,
      lastRequestStartTime: -120,
    });
  });

  it('skips and counts invalid flows without dropping the stream', async () => {
    const log = capture();
    const sink = new Collector();
    const flows = source({ logger: log.logger });
    flows.start(sink.push);
    const call = await goldmane.nextCall();
    call.send(result(W1, { source_name: 'a' }));
    call.send(result(W1, { source_name: 'b'.repeat(254) }));
    call.send(result(W1, { source_name: 'c', action: 'ActionUnspecified' }));
    call.send(result(W1, { source_name: 'd', dest_type: 12 }));
    call.send(result(W1, { source_name: 'e' }, { dest_labels: ['app=ok', '-bad=x'] }));
    call.send({ id: 9 });
    call.send(result(W1, { source_name: 'f' }));
    await sink.waitFor(2);
    expect(sink.flows.map((flow) => flow.source.name)).toEqual(['a', 'f']);
    expect(flows.stats).toMatchObject({ received: 7, converted: 2, invalid: 5, reconnects: 0 });
    expect(call.isCancelled()).toBe(false);
    // One warning for the burst, naming the first reason.
    const warnings = log.lines.filter(
      (line) => line.msg === 'skipped Goldmane flows that are not valid flow records',
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      level: 'warn',
      skipped: 1,
      reason: expect.stringMatching(/^source\.name/),
    });
  });

  it('reconnects when the stream ends or breaks, resuming from the newest window without duplicates', async () => {
    const sink = new Collector();
    const flows = source();
    flows.start(sink.push);
    const first = await goldmane.nextCall();
    expect(first.request.start_time_gte).toBe(-60);
    first.send(result(W1, { source_name: 'w1-a' }));
    first.send(result(W2, { source_name: 'w2-a' }));
    first.send(result(W2, { source_name: 'w2-b' }));
    await sink.waitFor(3);

    // Goldmane ends the stream (status OK), e.g. while restarting.
    first.end();
    const second = await goldmane.nextCall();
    // Resumes at the newest window seen: later than the initial lookback and every older window.
    expect(second.request.start_time_gte).toBe(W2);
    // Goldmane sends that window again, with a flow the first stream had not delivered yet.
    second.send(result(W2, { source_name: 'w2-a' }));
    second.send(result(W2, { source_name: 'w2-b' }));
    second.send(result(W2, { source_name: 'w2-c' }));
    second.send(result(W3, { source_name: 'w3-a' }));
    await sink.waitFor(5);

    // The network fails under the stream.
    goldmane.breakConnections();
    await second.cancelled;
    const third = await goldmane.nextCall();
    expect(third.request.start_time_gte).toBe(W3);
    third.send(result(W3, { source_name: 'w3-a' }));
    third.send(result(W3, { source_name: 'w3-b' }));
    await sink.waitFor(6);

    expect(sink.flows.map((flow) => `${flow.startTime}/${flow.source.name}`)).toEqual([
      `${W1}/w1-a`,
      `${W2}/w2-a`,
      `${W2}/w2-b`,
      `${W2}/w2-c`,
      `${W3}/w3-a`,
      `${W3}/w3-b`,
    ]);
    expect(flows.stats).toMatchObject({ received: 9, converted: 6, duplicates: 3, reconnects: 2 });
  });

  it('asks for the oldest history Goldmane keeps when the resume point has expired', async () => {
    let now = NOW_MS;
    const sink = new Collector();
    const flows = source({ now: () => now, maxResumeAgeSeconds: 600 });
    flows.start(sink.push);
    const first = await goldmane.nextCall();
    first.send(result(W1));
    await sink.waitFor(1);
    now += 3_600_000;
    first.end();
    const second = await goldmane.nextCall();
    expect(second.request.start_time_gte).toBe(-600);
  });

  it('stop() cancels the stream, closes the connection and stays stopped', async () => {
    const log = capture();
    const sink = new Collector();
    const flows = source({ logger: log.logger });
    flows.start(sink.push);
    const call = await goldmane.nextCall();
    call.send(result(W1));
    await sink.waitFor(1);

    flows.stop();
    await call.cancelled;
    await goldmane.connectionsClosed();
    call.send(result(W2));
    const callsBefore = goldmane.calls.length;
    // Well beyond the 20-100 ms retry backoff: a stream would have been reopened by now.
    await sleep(300);
    expect(goldmane.calls).toHaveLength(callsBefore);
    expect(goldmane.openConnections).toBe(0);
    expect(sink.flows).toHaveLength(1);
    expect(log.lines.filter((line) => String(line.msg).includes('retrying'))).toEqual([]);
  });

  it('is refused by Goldmane with a client certificate from another CA, and keeps retrying', async () => {
    const log = capture();
    const sink = new Collector();
    const callsBefore = goldmane.calls.length;
    const acceptedBefore = goldmane.connectionsAccepted;
    const flows = source({
      logger: log.logger,
      certFile: pki.rogueClient.cert,
      keyFile: pki.rogueClient.key,
    });
    flows.start(sink.push);
    await log.waitFor('flow stream failed; retrying', 2);
    expect(goldmane.connectionsAccepted).toBeGreaterThan(acceptedBefore);
    expect(goldmane.calls).toHaveLength(callsBefore);
    expect(sink.flows).toEqual([]);
    expect(flows.stats.reconnects).toBeGreaterThanOrEqual(1);
    expect(log.lines.find((line) => line.msg === 'flow stream failed; retrying')).toMatchObject({
      level: 'warn',
      error: expect.stringMatching(/^UNAVAILABLE/),
    });
  });

  it('Goldmane refuses a client without a certificate', async () => {
    const callsBefore = goldmane.calls.length;
    const { Flows } = goldmanePackage;
    const client = new Flows(
      goldmane.address,
      grpc.credentials.createSsl(await readFile(pki.ca)),
    ) as unknown as grpc.Client & {
      Stream(request: object): grpc.ClientReadableStream<unknown>;
    };
    const call = client.Stream({ start_time_gte: 0, filter: {}, aggregation_interval: 15 });
    const data: unknown[] = [];
    call.on('data', (item) => data.push(item));
    call.on('error', () => undefined);
    const status = await new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
    client.close();
    expect(status.code).toBe(grpc.status.UNAVAILABLE);
    expect(data).toEqual([]);
    expect(goldmane.calls).toHaveLength(callsBefore);
  });

  it('refuses a server whose certificate its CA did not sign', async () => {
    const log = capture();
    const flows = source({ logger: log.logger, caFile: pki.rogueCa });
    const callsBefore = goldmane.calls.length;
    flows.start(() => undefined);
    await log.waitFor('flow stream failed; retrying', 2);
    expect(goldmane.calls).toHaveLength(callsBefore);
  });

  it('verifies the server name override instead of the address host', async () => {
    const inCluster = await TestGoldmane.start(pki.ca, pki.inClusterServer);
    servers.push(inCluster);

    const log = capture();
    const withoutName = source({ address: inCluster.address, logger: log.logger });
    withoutName.start(() => undefined);
    await log.waitFor('flow stream failed; retrying', 1);
    withoutName.stop();
    expect(inCluster.calls).toHaveLength(0);

    const sink = new Collector();
    const named = source({ address: inCluster.address, serverName: 'goldmane.calico-system.svc' });
    named.start(sink.push);
    const call = await inCluster.nextCall();
    call.send(result(W1));
    await sink.waitFor(1);
  });

  it('retries when the TLS files cannot be read, and connects once they can', async () => {
    const log = capture();
    const sink = new Collector();
    const certFile = `${pki.dir}/late-client.crt`;
    const flows = source({ logger: log.logger, certFile });
    const callsBefore = goldmane.calls.length;
    flows.start(sink.push);
    await log.waitFor('could not load the Goldmane TLS files; retrying', 2);
    expect(goldmane.calls).toHaveLength(callsBefore);
    expect(log.lines.find((line) => line.level === 'warn')).toMatchObject({
      error: expect.stringContaining('late-client.crt'),
    });
    // The certificate is mounted late (or rotated): the next attempt reads it.
    await copyFile(pki.client.cert, certFile);
    const call = await goldmane.nextCall();
    call.send(result(W1));
    await sink.waitFor(1);
  });
});

describe('KubernetesDriver with Goldmane', () => {
  it('has a Goldmane flow source only when configured, streaming from it', async () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'test', server: 'https://127.0.0.1:1' }],
      users: [{ name: 'test' }],
      contexts: [{ name: 'test', cluster: 'test', user: 'test' }],
      currentContext: 'test',
    });
    expect(new KubernetesDriver({ kubeConfig, logger: silentLogger }).flows).toBeUndefined();

    const driver = new KubernetesDriver({
      kubeConfig,
      logger: silentLogger,
      goldmane: {
        address: goldmane.address,
        caFile: pki.ca,
        certFile: pki.client.cert,
        keyFile: pki.client.key,
      },
    });
    expect(driver.flows).toBeInstanceOf(GoldmaneFlowSource);
    const sink = new Collector();
    driver.flows!.start(sink.push);
    try {
      const call = await goldmane.nextCall();
      call.send(FULL_RESULT);
      expect(await sink.waitFor(1)).toEqual([FULL_DRAFT]);
    } finally {
      driver.flows!.stop();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { decodeFrame } from './frame-codec.js';
import { type MessageOf, MessageSchema, type MessageType } from './messages.js';
import {
  MAX_CALICO_KINDS,
  MAX_CONFIG_OBJECTS,
  MAX_DELTA_CHANGES,
  MAX_ID_LENGTH,
  MAX_LABELS_PER_OBJECT,
  MAX_SNAPSHOT_PART_OBJECTS,
  MAX_TELEMETRY_BATCH_RECORDS,
} from './protocol.limits.js';
import { SAMPLE_FLOW_RECORD, SAMPLE_INVENTORY_OBJECTS, SAMPLE_MESSAGES } from './sample-messages.js';

function sample<T extends MessageType>(type: T): MessageOf<T> {
  return structuredClone(SAMPLE_MESSAGES[type]) as MessageOf<T>;
}

function accepts(value: unknown): boolean {
  return MessageSchema.safeParse(value).success;
}

function firstIssuePath(value: unknown): PropertyKey[] | undefined {
  const result = MessageSchema.safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.path;
}

const pod = SAMPLE_INVENTORY_OBJECTS.find((object) => object.kind === 'pod')!;

describe('envelope', () => {
  it('accepts an id of up to 64 characters and no longer', () => {
    expect(accepts({ ...sample('ping'), id: 'i'.repeat(MAX_ID_LENGTH) })).toBe(true);
    expect(accepts({ ...sample('ping'), id: 'i'.repeat(MAX_ID_LENGTH + 1) })).toBe(false);
  });

  it('accepts a message without id', () => {
    const { id: _id, ...ping } = sample('ping');
    expect(accepts(ping)).toBe(true);
  });
});

describe('hello', () => {
  it('needs at least one protocol version', () => {
    expect(accepts({ ...sample('hello'), protocols: [] })).toBe(false);
  });

  it('accepts a hello without cluster facts', () => {
    const { cluster: _cluster, ...hello } = sample('hello');
    expect(accepts(hello)).toBe(true);
  });

  it('rejects negative or fractional cursors', () => {
    expect(accepts({ ...sample('hello'), lastAppliedConfigVersion: -1 })).toBe(false);
    expect(accepts({ ...sample('hello'), telemetryCursor: 1.5 })).toBe(false);
  });
});

describe('hello.cluster: Calico version and kinds', () => {
  function withCluster(cluster: Record<string, unknown>) {
    const hello = sample('hello');
    return { ...hello, cluster: { ...hello.cluster, ...cluster } };
  }

  function decodeError(value: unknown): string | undefined {
    const result = decodeFrame(JSON.stringify(value), 'toHub');
    return result.ok ? undefined : `${result.error.code}: ${result.error.message}`;
  }

  it('accepts the versions Calico reports, with or without the v, and dev builds', () => {
    for (const calicoVersion of ['v3.30.2', '3.29.0', 'v3.31.0-0.dev-123-gabcdef0', 'v3.32']) {
      expect(accepts(withCluster({ calicoVersion })), calicoVersion).toBe(true);
    }
  });

  it('rejects a version that is not one, naming the field', () => {
    for (const calicoVersion of ['', 'latest', 'v3', '3.30.2 ', 'v3.30.2; rm -rf', 3.3]) {
      expect(accepts(withCluster({ calicoVersion })), String(calicoVersion)).toBe(false);
    }
    expect(decodeError(withCluster({ calicoVersion: 'latest' }))).toBe(
      'invalid_message: hello.cluster.calicoVersion: expected a Calico version such as v3.30.2',
    );
  });

  it('accepts kinds sorted and each once, also none (the group is not served)', () => {
    expect(accepts(withCluster({ calicoKinds: [] }))).toBe(true);
    expect(accepts(withCluster({ calicoKinds: ['NetworkPolicy', 'Tier'] }))).toBe(true);
  });

  it('rejects unsorted or repeated kinds, and names that are not kinds', () => {
    expect(decodeError(withCluster({ calicoKinds: ['Tier', 'NetworkPolicy'] }))).toBe(
      'invalid_message: hello.cluster.calicoKinds: expected kinds sorted and each once',
    );
    expect(accepts(withCluster({ calicoKinds: ['Tier', 'Tier'] }))).toBe(false);
    expect(decodeError(withCluster({ calicoKinds: ['networkpolicies'] }))).toBe(
      'invalid_message: hello.cluster.calicoKinds[0]: expected a Kubernetes kind (e.g. StagedNetworkPolicy)',
    );
    expect(accepts(withCluster({ calicoKinds: ['Network Policy'] }))).toBe(false);
    expect(accepts(withCluster({ calicoKinds: 'Tier' }))).toBe(false);
  });

  it(`accepts at most ${MAX_CALICO_KINDS} kinds`, () => {
    const kinds = Array.from({ length: MAX_CALICO_KINDS + 1 }, (_, i) => `Kind${String(i).padStart(4, '0')}`);
    expect(accepts(withCluster({ calicoKinds: kinds.slice(0, MAX_CALICO_KINDS) }))).toBe(true);
    expect(accepts(withCluster({ calicoKinds: kinds }))).toBe(false);
  });
});

describe('inventory limits', () => {
  it(`accepts ${MAX_SNAPSHOT_PART_OBJECTS} objects in a snapshot part and rejects one more`, () => {
    const objects = Array.from({ length: MAX_SNAPSHOT_PART_OBJECTS }, () => pod);
    expect(accepts({ ...sample('inventory.snapshot'), objects })).toBe(true);
    expect(accepts({ ...sample('inventory.snapshot'), objects: [...objects, pod] })).toBe(false);
  });

  it(`accepts ${MAX_DELTA_CHANGES} changes in a delta and rejects one more or none`, () => {
    const changes = Array.from({ length: MAX_DELTA_CHANGES }, () => ({ op: 'upsert', object: pod }));
    expect(accepts({ ...sample('inventory.delta'), changes })).toBe(true);
    expect(accepts({ ...sample('inventory.delta'), changes: [...changes, changes[0]] })).toBe(false);
    expect(accepts({ ...sample('inventory.delta'), changes: [] })).toBe(false);
  });

  it('starts delta sequence numbers at 1', () => {
    expect(accepts({ ...sample('inventory.delta'), seq: 0 })).toBe(false);
  });

  it('lets a delete carry only the identity, or the whole object', () => {
    const deleteOf = (object: unknown) => ({
      ...sample('inventory.delta'),
      changes: [{ op: 'delete', object }],
    });
    expect(accepts(deleteOf({ kind: 'node', name: 'worker-1' }))).toBe(true);
    expect(accepts(deleteOf(pod))).toBe(true);
  });

  it('requires a namespace exactly for namespaced kinds in a delete', () => {
    const deleteOf = (object: unknown) => ({
      ...sample('inventory.delta'),
      changes: [{ op: 'delete', object }],
    });
    expect(accepts(deleteOf({ kind: 'pod', name: 'cart' }))).toBe(false);
    expect(accepts(deleteOf({ kind: 'node', namespace: 'shop', name: 'worker-1' }))).toBe(false);
  });
});

describe('labels', () => {
  const podWithLabels = (labels: Record<string, string>) => ({
    ...sample('inventory.snapshot'),
    objects: [{ ...pod, labels }],
  });

  it('accepts keys at the Kubernetes limits: prefix 253, name 63, value 63', () => {
    const prefix = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(prefix).toHaveLength(253);
    expect(accepts(podWithLabels({ [`${prefix}/${'n'.repeat(63)}`]: 'v'.repeat(63) }))).toBe(true);
  });

  it.each([
    [
      'a prefix of 254 characters',
      { [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}/n`]: 'v' },
    ],
    ['a name of 64 characters', { [`example.com/${'n'.repeat(64)}`]: 'v' }],
    ['a value of 64 characters', { app: 'v'.repeat(64) }],
    ['a key with a space', { 'my app': 'v' }],
    ['an upper-case prefix', { 'Example.com/app': 'v' }],
    ['a value starting with a dash', { app: '-cart' }],
    ['an empty key', { '': 'v' }],
  ])('rejects %s', (_why, labels) => {
    expect(accepts(podWithLabels(labels))).toBe(false);
  });

  it('accepts an empty value', () => {
    expect(accepts(podWithLabels({ 'node-role.kubernetes.io/control-plane': '' }))).toBe(true);
  });

  it(`accepts ${MAX_LABELS_PER_OBJECT} labels and rejects one more`, () => {
    const labels = Object.fromEntries(
      Array.from({ length: MAX_LABELS_PER_OBJECT }, (_, i) => [`l${i}`, 'v']),
    );
    expect(accepts(podWithLabels(labels))).toBe(true);
    expect(accepts(podWithLabels({ ...labels, extra: 'v' }))).toBe(false);
  });
});

describe('inventory objects', () => {
  it('accepts IPv4 and IPv6 pod IPs and rejects anything else', () => {
    const withIps = (ips: string[]) => ({ ...sample('inventory.snapshot'), objects: [{ ...pod, ips }] });
    expect(accepts(withIps(['10.0.0.1', '2001:db8::1']))).toBe(true);
    expect(accepts(withIps(['10.0.0.256']))).toBe(false);
    expect(accepts(withIps(['pod.local']))).toBe(false);
  });

  it('accepts a headless Service and a Service without selector', () => {
    const service = SAMPLE_INVENTORY_OBJECTS.find((object) => object.kind === 'service')!;
    const headless = { ...service, clusterIPs: ['None'], selector: null };
    expect(accepts({ ...sample('inventory.snapshot'), objects: [headless] })).toBe(true);
  });

  it('accepts an unscheduled pod with no IPs', () => {
    const pending = { ...pod, ips: [], nodeName: '', ready: false, phase: 'Pending' };
    expect(accepts({ ...sample('inventory.snapshot'), objects: [pending] })).toBe(true);
  });
});

describe('config.push', () => {
  it('needs baseVersion below version in a diff', () => {
    expect(accepts({ ...sample('config.push'), baseVersion: 7, version: 7 })).toBe(false);
  });

  it('does not accept a diff without its upserts and deletes', () => {
    const { upserts: _upserts, ...push } = sample('config.push') as MessageOf<'config.push'> & {
      mode: 'diff';
    };
    expect(firstIssuePath(push)).toEqual(['upserts']);
  });

  it(`caps upserts and deletes together at ${MAX_CONFIG_OBJECTS}`, () => {
    const push = sample('config.push') as MessageOf<'config.push'> & { mode: 'diff' };
    const upserts = Array.from({ length: MAX_CONFIG_OBJECTS }, () => push.upserts[0]!);
    expect(accepts({ ...push, upserts, deletes: [] })).toBe(true);
    expect(accepts({ ...push, upserts, deletes: push.deletes })).toBe(false);
  });

  it('needs apiVersion, kind and metadata.name on every pushed object', () => {
    const push = sample('config.push') as MessageOf<'config.push'> & { mode: 'diff' };
    expect(
      firstIssuePath({ ...push, upserts: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }] }),
    ).toEqual(['upserts', 0, 'metadata', 'name']);
  });
});

describe('telemetry', () => {
  it(`lets a pull ask for 1 to ${MAX_TELEMETRY_BATCH_RECORDS} records`, () => {
    expect(accepts({ ...sample('telemetry.pull'), max: MAX_TELEMETRY_BATCH_RECORDS })).toBe(true);
    expect(accepts({ ...sample('telemetry.pull'), max: MAX_TELEMETRY_BATCH_RECORDS + 1 })).toBe(false);
    expect(accepts({ ...sample('telemetry.pull'), max: 0 })).toBe(false);
  });

  it('accepts an empty batch as toSeq = fromSeq - 1', () => {
    expect(accepts({ ...sample('telemetry.batch'), fromSeq: 42, toSeq: 41, records: [] })).toBe(true);
    expect(accepts({ ...sample('telemetry.batch'), fromSeq: 42, toSeq: 40, records: [] })).toBe(false);
  });

  it('needs records in ascending seq within [fromSeq, toSeq]', () => {
    const record = (seq: number) => ({ ...SAMPLE_FLOW_RECORD, seq });
    const batch = (records: unknown[]) => ({ ...sample('telemetry.batch'), fromSeq: 10, toSeq: 12, records });
    expect(accepts(batch([record(10), record(11), record(12)]))).toBe(true);
    expect(accepts(batch([record(10), record(12)]))).toBe(true);
    expect(firstIssuePath(batch([record(11), record(10)]))).toEqual(['records', 1, 'seq']);
    expect(firstIssuePath(batch([record(9)]))).toEqual(['records', 0, 'seq']);
    expect(firstIssuePath(batch([record(13)]))).toEqual(['records', 0, 'seq']);
  });

  it(`caps a batch at ${MAX_TELEMETRY_BATCH_RECORDS} records`, () => {
    const records = Array.from({ length: MAX_TELEMETRY_BATCH_RECORDS + 1 }, (_, i) => ({
      ...SAMPLE_FLOW_RECORD,
      seq: i + 1,
    }));
    const batch = { ...sample('telemetry.batch'), fromSeq: 1, toSeq: records.length, records };
    expect(accepts({ ...batch, records: records.slice(0, -1), toSeq: records.length - 1 })).toBe(true);
    expect(accepts(batch)).toBe(false);
  });

  it('rejects a flow that ends before it starts', () => {
    const record = { ...SAMPLE_FLOW_RECORD, endTime: SAMPLE_FLOW_RECORD.startTime - 1 };
    expect(firstIssuePath({ ...sample('telemetry.batch'), records: [record] })).toEqual([
      'records',
      0,
      'endTime',
    ]);
  });

  it('accepts a flow to a public network with no namespace and no labels', () => {
    const destination = { name: 'pub', namespace: '', type: 'net', labels: {} };
    expect(accepts({ ...sample('telemetry.batch'), records: [{ ...SAMPLE_FLOW_RECORD, destination }] })).toBe(
      true,
    );
  });
});

describe('error and goodbye', () => {
  it('rejects an error code outside the closed set', () => {
    expect(accepts({ ...sample('error'), code: 'teapot' })).toBe(false);
  });

  it('rejects a goodbye reason outside the closed set', () => {
    expect(accepts({ ...sample('goodbye'), reason: 'bored' })).toBe(false);
  });
});

describe('telemetry.http.batch (L7 records)', () => {
  const batch = SAMPLE_MESSAGES['telemetry.http.batch'];
  const record = batch.records[0]!;

  it('accepts the sample and refuses a path with a query string or fragment, so none can be carried', () => {
    expect(MessageSchema.safeParse(batch).success).toBe(true);
    for (const path of ['/orders?token=secret', '/orders#secret', 'orders'])
      expect(MessageSchema.safeParse({ ...batch, records: [{ ...record, path }] }).success).toBe(false);
  });

  it('refuses records out of order, as telemetry.batch does', () => {
    const second = { ...record, seq: 8 };
    expect(MessageSchema.safeParse({ ...batch, toSeq: 8, records: [second, record] }).success).toBe(false);
    expect(MessageSchema.safeParse({ ...batch, toSeq: 8, records: [record, second] }).success).toBe(true);
  });
});

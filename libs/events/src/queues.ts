import {
  ConfigOutcomeSchema,
  type FlowRecord,
  type HttpRequestRecord,
  InventoryChangeSchema,
  InventoryObjectSchema,
  MAX_CALICO_KINDS,
  MAX_TELEMETRY_BATCH_RECORDS,
} from '@meshplane/protocol';
import { z } from 'zod';

/**
 * Every BullMQ queue between services, with the schema of its jobs. Producers and consumers
 * import the same definition, so a job's shape is checked on both ends.
 */
export interface QueueDefinition<S extends z.ZodType> {
  name: string;
  schema: S;
  /** Which service consumes it (exactly one handler per queue). */
  consumer: string;
}

function queue<S extends z.ZodType>(name: string, consumer: string, schema: S): QueueDefinition<S> {
  return { name, consumer, schema };
}

const Ids = { tenantId: z.uuid(), clusterId: z.uuid() };

/**
 * agent-hub → clusters: an agent's inventory. `epoch` orders sessions of one cluster (it grows by
 * one at every accepted hello); `seq`, assigned by the hub, orders the jobs of one session (a
 * session's first job is its snapshot, seq 1; a later snapshot replaces everything before it).
 */
export const INVENTORY_QUEUE = queue(
  'inventory',
  'clusters',
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('snapshot'),
      ...Ids,
      epoch: z.number().int().positive(),
      seq: z.number().int().positive(),
      objects: z.array(InventoryObjectSchema),
    }),
    z.object({
      kind: z.literal('delta'),
      ...Ids,
      epoch: z.number().int().positive(),
      seq: z.number().int().positive(),
      changes: z.array(InventoryChangeSchema),
    }),
  ]),
);

/** agent-hub → clusters: a session started or ended (persisted status and history). */
export const AGENT_STATUS_QUEUE = queue(
  'agent-status',
  'clusters',
  z.object({
    ...Ids,
    epoch: z.number().int().positive(),
    event: z.enum(['connected', 'disconnected']),
    at: z.iso.datetime(),
    agentVersion: z.string().max(64).optional(),
    kubernetesVersion: z.string().max(64).optional(),
    nodeCount: z.number().int().min(0).optional(),
    calicoVersion: z.string().max(128).optional(),
    calicoKinds: z.array(z.string().max(128)).max(MAX_CALICO_KINDS).optional(),
    reason: z.string().max(256).optional(),
  }),
);

/** clusters → policies (and anyone else): what changed in a cluster's inventory. */
export const INVENTORY_CHANGED_QUEUE = queue(
  'inventory-changed',
  'policies',
  z.object({
    ...Ids,
    epoch: z.number().int().positive(),
    /** `kind/namespace/name` keys upserted and deleted; `replaced` for a whole snapshot. */
    upserted: z.array(z.string()),
    deleted: z.array(z.string()),
    replaced: z.boolean(),
  }),
);

/** clusters → policies: a cluster was registered, relabelled, revoked or deleted (recompile the tenant). */
export const CLUSTER_CHANGED_QUEUE = queue(
  'cluster-changed',
  'policies',
  z.object({
    ...Ids,
    change: z.enum(['registered', 'labels', 'revoked', 'deleted']),
  }),
);

/**
 * policies → policies worker: compile the tenant's bundles up to compile request `requestId`
 * (requests are rows in `policies.compile_requests`; one compile covers every request before it,
 * so a burst of changes costs one compile).
 */
export const COMPILE_QUEUE = queue(
  'compile',
  'policies',
  z.object({ tenantId: z.uuid(), requestId: z.number().int().positive() }),
);

/** At most this many failed objects are carried per config result (the rest are counted). */
export const MAX_RESULT_FAILURES = 100;

/** What an agent reported after processing a pushed config version. */
export const ConfigResultSchema = z.object({
  ...Ids,
  epoch: z.number().int().positive(),
  version: z.number().int().positive(),
  /** Every object applied, unchanged or pruned: the version counts as applied. */
  complete: z.boolean(),
  counts: z.object({
    applied: z.number().int().min(0),
    unchanged: z.number().int().min(0),
    pruned: z.number().int().min(0),
    failed: z.number().int().min(0),
  }),
  failures: z.array(ConfigOutcomeSchema).max(MAX_RESULT_FAILURES),
  at: z.iso.datetime(),
});

/** Most results one `config-result` job carries. */
export const MAX_RESULTS_PER_JOB = 500;

/**
 * agent-hub → policies: agents' config results, batched per turn of the hub's event loop (a
 * change that reaches a thousand clusters comes back as a few jobs, not a thousand).
 */
export const CONFIG_RESULT_QUEUE = queue(
  'config-result',
  'policies',
  z.object({ results: z.array(ConfigResultSchema).min(1).max(MAX_RESULTS_PER_JOB) }),
);

export type ClusterChangedJob = z.infer<typeof CLUSTER_CHANGED_QUEUE.schema>;
export type CompileJob = z.infer<typeof COMPILE_QUEUE.schema>;
export type ConfigResult = z.infer<typeof ConfigResultSchema>;
export type ConfigResultJob = z.infer<typeof CONFIG_RESULT_QUEUE.schema>;
export type InventoryJob = z.infer<typeof INVENTORY_QUEUE.schema>;
export type AgentStatusJob = z.infer<typeof AGENT_STATUS_QUEUE.schema>;
export type InventoryChangedJob = z.infer<typeof INVENTORY_CHANGED_QUEUE.schema>;

/**
 * A flow record inside a telemetry job. The hub checked every record field by field against
 * `FlowRecordSchema` when the agent's frame arrived — the trust boundary, where the agent gets
 * the errors — and queues exactly the records it checked. Both ends of the queue check what the
 * worker relies on to store a record (the numbers, both ends, the policy list), not every label
 * and name a third time: that doubled the telemetry worker's CPU per flow (test/bench/ingest).
 */
export function isQueuedFlowRecord(value: unknown): value is FlowRecord {
  if (!isObject(value)) return false;
  const record = value as Record<string, unknown>;
  return (
    isInt(record.seq, 1) &&
    isInt(record.startTime, 0) &&
    isInt(record.endTime, record.startTime as number) &&
    isQueuedEnd(record.source) &&
    isQueuedEnd(record.destination) &&
    (record.destService === undefined || isObject(record.destService)) &&
    typeof record.protocol === 'string' &&
    (record.reporter === 'src' || record.reporter === 'dst') &&
    typeof record.action === 'string' &&
    Array.isArray(record.policies) &&
    record.policies.every(isObject) &&
    COUNTERS.every((counter) => isInt(record[counter], 0)) &&
    (record.connectionsLive === undefined || isInt(record.connectionsLive, 0))
  );
}

const COUNTERS = [
  'bytesIn',
  'bytesOut',
  'packetsIn',
  'packetsOut',
  'connectionsStarted',
  'connectionsCompleted',
];

function isQueuedEnd(value: unknown): boolean {
  if (!isObject(value)) return false;
  const end = value as Record<string, unknown>;
  return (
    typeof end.name === 'string' &&
    typeof end.namespace === 'string' &&
    typeof end.type === 'string' &&
    isObject(end.labels) &&
    (end.ip === undefined || typeof end.ip === 'string') &&
    (end.port === undefined || isInt(end.port, 0))
  );
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInt(value: unknown, min: number): boolean {
  return Number.isSafeInteger(value) && (value as number) >= min;
}

const QueuedFlowRecordSchema = z.custom<FlowRecord>(isQueuedFlowRecord, {
  error: 'expected a flow record as the hub checked it (FlowRecordSchema)',
});

/** A pulled batch of one telemetry stream, as queued by the hub; `record` checks each record. */
function telemetryBatchJob<R extends z.ZodType>(record: R) {
  return z.object({
    ...Ids,
    /** The cluster's name when the batch was pulled (records are stored with it). */
    clusterName: z.string().min(1).max(253),
    epoch: z.number().int().positive(),
    fromSeq: z.number().int().positive(),
    toSeq: z.number().int().min(0),
    /** Records the agent's buffer dropped (oldest first) and reports with this batch. */
    dropped: z.number().int().min(0),
    records: z.array(record).max(MAX_TELEMETRY_BATCH_RECORDS),
  });
}

/**
 * agent-hub → telemetry worker: one `telemetry.batch` an agent sent, queued before the hub
 * acknowledges it. Records are in ascending `seq` within `[fromSeq, toSeq]`; the worker stores
 * each (cluster, seq) once, so a batch queued twice (a resend after a lost ack) stores nothing
 * twice. The job id is {@link telemetryJobId}, so BullMQ drops an identical resend too.
 */
export const TELEMETRY_QUEUE = queue('telemetry', 'telemetry', telemetryBatchJob(QueuedFlowRecordSchema));

export type TelemetryJob = z.infer<typeof TELEMETRY_QUEUE.schema>;

/** The job id of a telemetry batch: the same records of the same cluster are queued once. */
export function telemetryJobId(clusterId: string, fromSeq: number, toSeq: number): string {
  return `flows-${clusterId}-${fromSeq}-${toSeq}`;
}

/**
 * An HTTP (L7) record inside an HTTP telemetry job: the hub checked it against
 * `HttpRequestRecordSchema`; the queue checks what the worker relies on (seq, time, both ends'
 * addresses, the numbers) and that the path still carries no query string.
 */
export function isQueuedHttpRecord(value: unknown): value is HttpRequestRecord {
  if (!isObject(value)) return false;
  const record = value as Record<string, unknown>;
  return (
    isInt(record.seq, 1) &&
    isInt(record.startTime, 0) &&
    typeof record.method === 'string' &&
    typeof record.authority === 'string' &&
    typeof record.path === 'string' &&
    record.path.startsWith('/') &&
    !/[?#]/.test(record.path) &&
    isInt(record.responseCode, 0) &&
    HTTP_COUNTERS.every((counter) => isInt(record[counter], 0)) &&
    typeof record.protocol === 'string' &&
    isQueuedSocket(record.source) &&
    isQueuedSocket(record.destination)
  );
}

const HTTP_COUNTERS = ['durationMs', 'requestBytes', 'responseBytes'];

function isQueuedSocket(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof (value as { ip?: unknown }).ip === 'string' &&
    isInt((value as { port?: unknown }).port, 0)
  );
}

const QueuedHttpRecordSchema = z.custom<HttpRequestRecord>(isQueuedHttpRecord, {
  error: 'expected an HTTP record as the hub checked it (HttpRequestRecordSchema)',
});

/**
 * agent-hub → telemetry worker: one `telemetry.http.batch`, queued before the hub acknowledges it;
 * stored once per (cluster, seq) like flows, job id {@link httpTelemetryJobId}.
 */
export const HTTP_TELEMETRY_QUEUE = queue(
  'telemetry-http',
  'telemetry',
  telemetryBatchJob(QueuedHttpRecordSchema),
);

export type HttpTelemetryJob = z.infer<typeof HTTP_TELEMETRY_QUEUE.schema>;

/** The job id of an HTTP record batch. */
export function httpTelemetryJobId(clusterId: string, fromSeq: number, toSeq: number): string {
  return `http-${clusterId}-${fromSeq}-${toSeq}`;
}

const TenantDeletedJob = z.object({
  tenantId: z.uuid(),
  /** The second, delayed pass (see `TENANT_PURGE_FINAL_SWEEP_MS`); the first pass schedules it. */
  final: z.boolean().optional(),
});

/**
 * tenants → each service holding tenant data: the tenant was deleted; remove every row of it (and,
 * for clusters, offboard its agents). Idempotent: a job sent twice finds nothing the second time.
 */
export const TENANT_DELETED_QUEUES = {
  clusters: queue('tenant-deleted-clusters', 'clusters', TenantDeletedJob),
  policies: queue('tenant-deleted-policies', 'policies', TenantDeletedJob),
  telemetry: queue('tenant-deleted-telemetry', 'telemetry', TenantDeletedJob),
} as const;

/** The services that hold rows of a tenant besides tenants itself. */
export type TenantDataService = keyof typeof TENANT_DELETED_QUEUES;

/**
 * Every queue above. Each service's workers are checked against this whole list when they start
 * (`queueWorkers`): a queue a service consumes needs exactly one handler there, and no service
 * handles a queue another one consumes, so a queue no one consumes cannot be added unnoticed.
 */
export const QUEUES: readonly QueueDefinition<z.ZodType>[] = [
  INVENTORY_QUEUE,
  AGENT_STATUS_QUEUE,
  INVENTORY_CHANGED_QUEUE,
  CLUSTER_CHANGED_QUEUE,
  COMPILE_QUEUE,
  CONFIG_RESULT_QUEUE,
  TELEMETRY_QUEUE,
  HTTP_TELEMETRY_QUEUE,
  ...Object.values(TENANT_DELETED_QUEUES),
];

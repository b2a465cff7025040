import { z } from 'zod';
import {
  CalicoVersion,
  Count,
  EpochMillis,
  Identifier,
  KindName,
  NamespaceName,
  ObjectName,
  PositiveInt,
  Text,
  Token,
} from './common.schemas.js';
import { ConfigObjectRefSchema, ConfigObjectSchema } from './config-object.js';
import { FlowRecordSchema } from './flow-record.js';
import { HttpRequestRecordSchema } from './http-request-record.js';
import { InventoryObjectSchema, InventoryRefSchema } from './inventory-object.js';
import { PROTOCOL_ERROR_CODES } from './protocol.errors.js';
import {
  MAX_CALICO_KINDS,
  MAX_CAPABILITIES,
  MAX_CONFIG_OBJECTS,
  MAX_CONFIG_OUTCOMES,
  MAX_CREDENTIAL_LENGTH,
  MAX_DELTA_CHANGES,
  MAX_PROTOCOL_VERSIONS,
  MAX_SNAPSHOT_PART_OBJECTS,
  MAX_SNAPSHOT_PARTS,
  MAX_TELEMETRY_BATCH_RECORDS,
} from './protocol.limits.js';

/**
 * Every message of protocol version 1. A message is one JSON object per websocket frame with a
 * `type` and an optional `id` for correlation (an `error` names the offending `id` in `ref`).
 * Unknown fields are dropped, not rejected, so a newer peer may add optional fields without
 * breaking an older one; a new message type is only sent to a peer that negotiated a protocol
 * version (or announced a capability) that includes it.
 */

function message<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ type: z.literal(type), id: Identifier.optional(), ...shape });
}

// ---- session -------------------------------------------------------------------------------

/**
 * agent → hub, the first frame of every connection. Resuming is driven by the two cursors: the
 * hub pushes config when `lastAppliedConfigVersion` differs from the desired version, and pulls
 * telemetry after `telemetryCursor`.
 */
export const HelloMessageSchema = message('hello', {
  /** Every protocol version the agent speaks; the hub picks the highest common one. */
  protocols: z.array(PositiveInt).min(1).max(MAX_PROTOCOL_VERSIONS),
  credential: z.string().min(1).max(MAX_CREDENTIAL_LENGTH),
  agent: z.object({
    version: Token,
    capabilities: z.array(Token).max(MAX_CAPABILITIES),
  }),
  cluster: z
    .object({
      kubernetesVersion: Token.optional(),
      nodeCount: Count.optional(),
      /** `ClusterInformation` `default` `.spec.calicoVersion`; absent when the agent cannot read it. */
      calicoVersion: CalicoVersion.optional(),
      /**
       * The kinds the API server serves in `projectcalico.org/v3` (discovery), sorted, each once;
       * empty when the group is not served at all, absent when the agent could not find out.
       */
      calicoKinds: z
        .array(KindName)
        .max(MAX_CALICO_KINDS)
        .refine((kinds) => kinds.every((kind, index) => index === 0 || kinds[index - 1]! < kind), {
          error: 'expected kinds sorted and each once',
        })
        .optional(),
    })
    .optional(),
  /** Version of the last config bundle applied completely; 0 when none. */
  lastAppliedConfigVersion: Count,
  /** Highest telemetry sequence number the hub has acknowledged to this agent; 0 when none. */
  telemetryCursor: Count,
  /**
   * The same for the HTTP (L7) record stream, sent by agents announcing `telemetry.http.v1`;
   * absent from older agents.
   */
  httpTelemetryCursor: Count.optional(),
});

/** hub → agent, the answer to an accepted `hello`. */
export const WelcomeMessageSchema = message('welcome', {
  /** The negotiated protocol version, one of `hello.protocols`. */
  protocol: PositiveInt,
  clusterId: Identifier,
  tenantId: Identifier,
  sessionId: Identifier,
  /** The agent pings at least this often; the hub drops a session silent for 3 intervals. */
  heartbeatIntervalMs: PositiveInt,
  /** Largest frame the hub accepts from this agent (at most `MAX_FRAME_BYTES`). */
  maxFrameBytes: PositiveInt,
  /** The config version the hub wants applied; a `config.push` follows when it differs. */
  desiredConfigVersion: Count,
  /**
   * Highest telemetry sequence number the hub has stored for this cluster. An agent whose own
   * numbering is at or below it (it restarted and lost its buffer) continues above it, so new
   * records are never mistaken for duplicates.
   */
  telemetryCursor: Count.optional(),
  /** The same for the HTTP record stream; sent only to agents that announced `telemetry.http.v1`. */
  httpTelemetryCursor: Count.optional(),
});

/** Either direction. The receiver answers with a `pong` echoing `nonce` and `sentAt`. */
export const PingMessageSchema = message('ping', {
  nonce: Identifier,
  /** Sender's clock, epoch milliseconds. */
  sentAt: EpochMillis,
});

/** Either direction; `nonce` and `sentAt` are the ping's, so the pinger measures the round trip. */
export const PongMessageSchema = message('pong', {
  nonce: Identifier,
  sentAt: EpochMillis,
});

// ---- inventory -----------------------------------------------------------------------------

/**
 * agent → hub, after `welcome` and whenever the hub reports an `inventory_gap`: the whole
 * inventory in parts 0..n. The hub replaces the cluster's inventory when the part with
 * `lastPart: true` arrives; parts of an older `snapshotId` are discarded.
 */
export const InventorySnapshotMessageSchema = message('inventory.snapshot', {
  snapshotId: Identifier,
  /** 0-based part number, consecutive within a snapshot. */
  part: Count.max(MAX_SNAPSHOT_PARTS - 1),
  lastPart: z.boolean(),
  objects: z.array(InventoryObjectSchema).max(MAX_SNAPSHOT_PART_OBJECTS),
  /** Informational: the resource version the agent's watches started from. */
  resourceVersion: Token.optional(),
});

export const InventoryChangeSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('upsert'), object: InventoryObjectSchema }),
  z.object({ op: z.literal('delete'), object: InventoryRefSchema }),
]);

/**
 * agent → hub, changes after the snapshot. `seq` starts at 1 in each session and grows by 1
 * per delta, also across a re-snapshot; on a gap the hub sends `error` `inventory_gap` and
 * ignores deltas until the next complete snapshot.
 */
export const InventoryDeltaMessageSchema = message('inventory.delta', {
  seq: PositiveInt,
  changes: z.array(InventoryChangeSchema).min(1).max(MAX_DELTA_CHANGES),
});

// ---- config --------------------------------------------------------------------------------

const configPushFields = {
  /** Bundle version, strictly increasing per cluster; never applied over a newer one. */
  version: PositiveInt,
};

/**
 * hub → agent. A full bundle replaces everything Meshplane manages in the cluster (objects not
 * in it are pruned); a diff applies to `baseVersion` exactly, else the agent answers
 * `config_base_mismatch` and the hub sends the full bundle.
 */
export const ConfigPushMessageSchema = z.discriminatedUnion('mode', [
  message('config.push', {
    ...configPushFields,
    mode: z.literal('full'),
    objects: z.array(ConfigObjectSchema).max(MAX_CONFIG_OBJECTS),
  }),
  message('config.push', {
    ...configPushFields,
    mode: z.literal('diff'),
    baseVersion: Count,
    upserts: z.array(ConfigObjectSchema).max(MAX_CONFIG_OBJECTS),
    deletes: z.array(ConfigObjectRefSchema).max(MAX_CONFIG_OBJECTS),
  })
    .refine((push) => push.baseVersion < push.version, {
      error: 'expected baseVersion < version',
      path: ['baseVersion'],
    })
    .refine((push) => push.upserts.length + push.deletes.length <= MAX_CONFIG_OBJECTS, {
      error: `expected at most ${MAX_CONFIG_OBJECTS} upserts and deletes together`,
      path: ['upserts'],
    }),
]);

export const ConfigOutcomeSchema = z.object({
  /** Disambiguates kinds that exist in several API groups (e.g. `NetworkPolicy`). */
  apiVersion: Token.optional(),
  kind: Token,
  namespace: NamespaceName.optional(),
  name: ObjectName,
  result: z.enum(['applied', 'unchanged', 'pruned', 'failed']),
  /** Why it failed, for `failed`. */
  message: Text.optional(),
});

/** agent → hub, once a pushed version has been processed: one outcome per object touched. */
export const ConfigResultMessageSchema = message('config.result', {
  version: PositiveInt,
  outcomes: z.array(ConfigOutcomeSchema).max(MAX_CONFIG_OUTCOMES),
});

// ---- telemetry -----------------------------------------------------------------------------

/** hub → agent: send records with `seq > after`, at most `max` (fewer to fit a frame). */
export const TelemetryPullMessageSchema = message('telemetry.pull', {
  after: Count,
  max: PositiveInt.max(MAX_TELEMETRY_BATCH_RECORDS),
});

/**
 * agent → hub, the answer to a pull. Records are in ascending `seq` within
 * `[fromSeq, toSeq]`; an empty batch has `toSeq = fromSeq - 1`. Records are kept by the agent
 * until acknowledged, so a lost batch is sent again (at-least-once).
 */
/** Records ascending within `[fromSeq, toSeq]`, and `toSeq >= fromSeq - 1` (empty batch). */
function checkBatchSeqs(
  batch: { fromSeq: number; toSeq: number; records: { seq: number }[] },
  context: z.RefinementCtx,
): void {
  if (batch.toSeq < batch.fromSeq - 1) {
    context.addIssue({ code: 'custom', message: 'expected toSeq >= fromSeq - 1', path: ['toSeq'] });
    return;
  }
  let previous = batch.fromSeq - 1;
  for (const [index, record] of batch.records.entries()) {
    if (record.seq <= previous || record.seq > batch.toSeq) {
      context.addIssue({
        code: 'custom',
        message: 'expected ascending seq within [fromSeq, toSeq]',
        path: ['records', index, 'seq'],
      });
      return;
    }
    previous = record.seq;
  }
}

export const TelemetryBatchMessageSchema = message('telemetry.batch', {
  fromSeq: PositiveInt,
  toSeq: Count,
  records: z.array(FlowRecordSchema).max(MAX_TELEMETRY_BATCH_RECORDS),
  /** Records the bounded buffer dropped (oldest first) since the previous batch. */
  dropped: Count,
}).superRefine(checkBatchSeqs);

/**
 * hub → agent, once the records up to `upToSeq` are durably queued; the agent then frees them.
 */
export const TelemetryAckMessageSchema = message('telemetry.ack', {
  upToSeq: Count,
});

/**
 * The HTTP (L7) record stream (capability `telemetry.http.v1`): the same pull, batch and ack as
 * flows, with its own sequence numbers and cursor, so neither stream can hold the other up and an
 * agent or hub that does not know it is unaffected (the hub pulls it only from agents that
 * announced the capability).
 */
export const TelemetryHttpPullMessageSchema = message('telemetry.http.pull', {
  after: Count,
  max: PositiveInt.max(MAX_TELEMETRY_BATCH_RECORDS),
});

export const TelemetryHttpBatchMessageSchema = message('telemetry.http.batch', {
  fromSeq: PositiveInt,
  toSeq: Count,
  records: z.array(HttpRequestRecordSchema).max(MAX_TELEMETRY_BATCH_RECORDS),
  dropped: Count,
}).superRefine(checkBatchSeqs);

export const TelemetryHttpAckMessageSchema = message('telemetry.http.ack', {
  upToSeq: Count,
});

// ---- errors and endings --------------------------------------------------------------------

/**
 * Either direction. Reports a refused or failed message; the connection stays open unless a
 * close follows. A peer never answers an `error` with an `error`, so two peers cannot loop.
 * New codes come only with a new protocol version.
 */
export const ErrorMessageSchema = message('error', {
  code: z.enum(PROTOCOL_ERROR_CODES),
  message: Text,
  /** The offending message's `id`, else its `type`. */
  ref: z.string().max(128).optional(),
});

export const GOODBYE_REASONS = ['revoked', 'shutdown', 'superseded', 'deleted', 'protocol_error'] as const;

/**
 * Either direction, the last frame before a close. The hub sends every reason; an agent sends
 * `shutdown` or `protocol_error`. The matching close code is `closeCodeForGoodbye(reason)`.
 */
export const GoodbyeMessageSchema = message('goodbye', {
  reason: z.enum(GOODBYE_REASONS),
  message: Text.optional(),
});

// ---- the union -----------------------------------------------------------------------------

/** Schema of each message type, keyed by `type`. */
export const MESSAGE_SCHEMAS = {
  hello: HelloMessageSchema,
  welcome: WelcomeMessageSchema,
  ping: PingMessageSchema,
  pong: PongMessageSchema,
  'inventory.snapshot': InventorySnapshotMessageSchema,
  'inventory.delta': InventoryDeltaMessageSchema,
  'config.push': ConfigPushMessageSchema,
  'config.result': ConfigResultMessageSchema,
  'telemetry.pull': TelemetryPullMessageSchema,
  'telemetry.batch': TelemetryBatchMessageSchema,
  'telemetry.ack': TelemetryAckMessageSchema,
  'telemetry.http.pull': TelemetryHttpPullMessageSchema,
  'telemetry.http.batch': TelemetryHttpBatchMessageSchema,
  'telemetry.http.ack': TelemetryHttpAckMessageSchema,
  error: ErrorMessageSchema,
  goodbye: GoodbyeMessageSchema,
} as const;

export type MessageType = keyof typeof MESSAGE_SCHEMAS;
export const MESSAGE_TYPES = Object.keys(MESSAGE_SCHEMAS) as MessageType[];

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && Object.hasOwn(MESSAGE_SCHEMAS, value);
}

/** Any message of the protocol, discriminated on `type`. */
export const MessageSchema = z.discriminatedUnion('type', [
  HelloMessageSchema,
  WelcomeMessageSchema,
  PingMessageSchema,
  PongMessageSchema,
  InventorySnapshotMessageSchema,
  InventoryDeltaMessageSchema,
  ConfigPushMessageSchema,
  ConfigResultMessageSchema,
  TelemetryPullMessageSchema,
  TelemetryBatchMessageSchema,
  TelemetryAckMessageSchema,
  TelemetryHttpPullMessageSchema,
  TelemetryHttpBatchMessageSchema,
  TelemetryHttpAckMessageSchema,
  ErrorMessageSchema,
  GoodbyeMessageSchema,
]);

export type HelloMessage = z.infer<typeof HelloMessageSchema>;
export type WelcomeMessage = z.infer<typeof WelcomeMessageSchema>;
export type PingMessage = z.infer<typeof PingMessageSchema>;
export type PongMessage = z.infer<typeof PongMessageSchema>;
export type InventorySnapshotMessage = z.infer<typeof InventorySnapshotMessageSchema>;
export type InventoryChange = z.infer<typeof InventoryChangeSchema>;
export type InventoryDeltaMessage = z.infer<typeof InventoryDeltaMessageSchema>;
export type ConfigPushMessage = z.infer<typeof ConfigPushMessageSchema>;
export type ConfigOutcome = z.infer<typeof ConfigOutcomeSchema>;
export type ConfigResultMessage = z.infer<typeof ConfigResultMessageSchema>;
export type TelemetryPullMessage = z.infer<typeof TelemetryPullMessageSchema>;
export type TelemetryBatchMessage = z.infer<typeof TelemetryBatchMessageSchema>;
export type TelemetryAckMessage = z.infer<typeof TelemetryAckMessageSchema>;
export type TelemetryHttpPullMessage = z.infer<typeof TelemetryHttpPullMessageSchema>;
export type TelemetryHttpBatchMessage = z.infer<typeof TelemetryHttpBatchMessageSchema>;
export type TelemetryHttpAckMessage = z.infer<typeof TelemetryHttpAckMessageSchema>;
export type ErrorMessage = z.infer<typeof ErrorMessageSchema>;
export type GoodbyeReason = (typeof GOODBYE_REASONS)[number];
export type GoodbyeMessage = z.infer<typeof GoodbyeMessageSchema>;
export type Message = z.infer<typeof MessageSchema>;
/** The message of one `type`: `MessageOf<'hello'>`. */
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;

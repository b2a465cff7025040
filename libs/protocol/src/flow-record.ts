import { z } from 'zod';
import {
  Count,
  EpochSeconds,
  IpAddressSchema,
  LabelsSchema,
  ObjectName,
  PortNumber,
  PositiveInt,
  Token,
} from './common.schemas.js';
import { MAX_NAME_LENGTH, MAX_NAMESPACE_LENGTH, MAX_POLICIES_PER_FLOW } from './protocol.limits.js';

/**
 * One aggregated flow, modelled on Calico's flow API (Goldmane, `goldmane/proto/api.proto`):
 * the `FlowKey` fields (source, destination, service, proto, reporter, action, policy trace)
 * plus the statistics of the aggregation window.
 *
 * Differences from Goldmane, on purpose:
 * - times are **epoch seconds** (integers), as Goldmane's `start_time`/`end_time`;
 * - labels are a map instead of `key=value` strings;
 * - enforced and pending (staged) policy hits are one list, pending ones marked `staged: true`;
 * - every record carries the agent's buffer sequence number `seq`, the telemetry cursor.
 */

/**
 * Endpoint types: `wep` workload (pod), `hep` host endpoint, `ns` (global) network set, `net`
 * a network Calico does not know, which Goldmane names `pub` or `pvt`; the agent may report
 * those two directly as the type.
 */
export const FlowEndpointTypeSchema = z.enum(['wep', 'hep', 'ns', 'net', 'pvt', 'pub']);

export const FlowEndpointSchema = z.object({
  /** Workload (pods sharing a generate name), host endpoint, network set, or `pub`/`pvt`. */
  name: z.string().max(MAX_NAME_LENGTH),
  /** Empty for global endpoints and networks. */
  namespace: z.string().max(MAX_NAMESPACE_LENGTH),
  type: FlowEndpointTypeSchema,
  /** Labels common to every endpoint aggregated into the flow. */
  labels: LabelsSchema,
  ip: IpAddressSchema.optional(),
  port: PortNumber.optional(),
  serviceAccount: ObjectName.optional(),
});

export const FlowServiceSchema = z.object({
  namespace: z.string().max(MAX_NAMESPACE_LENGTH),
  name: ObjectName,
  portName: z.string().max(63).optional(),
  port: PortNumber.optional(),
});

export const FlowActionSchema = z.enum(['allow', 'deny', 'pass', 'log']);

/** One policy rule that acted on the flow (Goldmane `PolicyHit`). */
export const PolicyHitSchema = z.object({
  tier: Token,
  name: ObjectName,
  /** Empty or absent for global policies. */
  namespace: z.string().max(MAX_NAMESPACE_LENGTH).optional(),
  /** Goldmane's policy kind, e.g. `GlobalNetworkPolicy`, `EndOfTier`. */
  kind: Token.optional(),
  action: FlowActionSchema,
  /** Order of the policy among those the flow traversed. */
  policyIndex: Count.optional(),
  /** Index of the rule in the policy; -1 for a tier's end-of-tier default action. */
  ruleIndex: z.int().min(-1).optional(),
  /** True for a staged (audit-only) policy: it did not enforce, it would have. */
  staged: z.boolean().optional(),
});

export const FlowRecordSchema = z
  .object({
    /** The agent's buffer sequence number: strictly increasing, never reused for a cluster. */
    seq: PositiveInt,
    /** Start of the aggregation window, epoch seconds. */
    startTime: EpochSeconds,
    /** End of the aggregation window, epoch seconds. */
    endTime: EpochSeconds,
    source: FlowEndpointSchema,
    destination: FlowEndpointSchema,
    destService: FlowServiceSchema.optional(),
    /** L4 protocol as Goldmane reports it, e.g. `tcp`, `udp`, `icmp`. */
    protocol: Token,
    reporter: z.enum(['src', 'dst']),
    action: FlowActionSchema,
    policies: z.array(PolicyHitSchema).max(MAX_POLICIES_PER_FLOW),
    bytesIn: Count,
    bytesOut: Count,
    packetsIn: Count,
    packetsOut: Count,
    connectionsStarted: Count,
    connectionsCompleted: Count,
    /** Connections still open at `endTime`, when the source reports it. */
    connectionsLive: Count.optional(),
  })
  .refine((flow) => flow.endTime >= flow.startTime, {
    error: 'expected endTime >= startTime',
    path: ['endTime'],
  });

export type FlowEndpointType = z.infer<typeof FlowEndpointTypeSchema>;
export type FlowEndpoint = z.infer<typeof FlowEndpointSchema>;
export type FlowService = z.infer<typeof FlowServiceSchema>;
export type FlowAction = z.infer<typeof FlowActionSchema>;
export type PolicyHit = z.infer<typeof PolicyHitSchema>;
export type FlowRecord = z.infer<typeof FlowRecordSchema>;

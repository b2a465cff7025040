import type * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';

/**
 * `goldmane.proto` as a protobufjs JSON descriptor, so the agent loads the schema from its own
 * compiled code: `tsc` does not copy `.proto` files to `dist/`, the agent image ships only
 * `dist/`, and the root file system is read-only (no temporary file to write a schema to).
 * `goldmane.proto` stays the readable source; `goldmane.spec.ts` checks that both load to the
 * same definitions, and its test server speaks from the `.proto` file while the source under
 * test speaks from this descriptor.
 */
export const GOLDMANE_DESCRIPTOR: Parameters<typeof protoLoader.fromJSON>[0] = {
  nested: {
    goldmane: {
      nested: {
        Flows: {
          methods: {
            Stream: {
              requestType: 'FlowStreamRequest',
              responseType: 'FlowResult',
              responseStream: true,
              comment: 'Aggregated flows from start_time_gte on, history first, then each new window.',
            },
          },
        },
        FlowStreamRequest: {
          fields: {
            start_time_gte: { type: 'int64', id: 1 },
            filter: { type: 'Filter', id: 2 },
            aggregation_interval: { type: 'int64', id: 3 },
          },
        },
        Filter: { fields: {} },
        FlowResult: {
          fields: {
            id: { type: 'int64', id: 1 },
            flow: { type: 'Flow', id: 2 },
          },
        },
        Flow: {
          fields: {
            Key: { type: 'FlowKey', id: 1 },
            start_time: { type: 'int64', id: 2 },
            end_time: { type: 'int64', id: 3 },
            source_labels: { rule: 'repeated', type: 'string', id: 4 },
            dest_labels: { rule: 'repeated', type: 'string', id: 5 },
            packets_in: { type: 'int64', id: 6 },
            packets_out: { type: 'int64', id: 7 },
            bytes_in: { type: 'int64', id: 8 },
            bytes_out: { type: 'int64', id: 9 },
            num_connections_started: { type: 'int64', id: 10 },
            num_connections_completed: { type: 'int64', id: 11 },
            num_connections_live: { type: 'int64', id: 12 },
          },
        },
        FlowKey: {
          fields: {
            source_name: { type: 'string', id: 1 },
            source_namespace: { type: 'string', id: 2 },
            source_type: { type: 'EndpointType', id: 3 },
            dest_name: { type: 'string', id: 4 },
            dest_namespace: { type: 'string', id: 5 },
            dest_type: { type: 'EndpointType', id: 6 },
            dest_port: { type: 'int64', id: 7 },
            dest_service_name: { type: 'string', id: 8 },
            dest_service_namespace: { type: 'string', id: 9 },
            dest_service_port_name: { type: 'string', id: 10 },
            dest_service_port: { type: 'int64', id: 11 },
            proto: { type: 'string', id: 12 },
            reporter: { type: 'Reporter', id: 13 },
            action: { type: 'Action', id: 14 },
            policies: { type: 'PolicyTrace', id: 15 },
          },
        },
        PolicyTrace: {
          fields: {
            enforced_policies: { rule: 'repeated', type: 'PolicyHit', id: 1 },
            pending_policies: { rule: 'repeated', type: 'PolicyHit', id: 2 },
          },
        },
        PolicyHit: {
          fields: {
            kind: { type: 'PolicyKind', id: 1 },
            namespace: { type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            tier: { type: 'string', id: 4 },
            action: { type: 'Action', id: 5 },
            policy_index: { type: 'int64', id: 6 },
            rule_index: { type: 'int64', id: 7 },
            trigger: { type: 'PolicyHit', id: 8 },
          },
        },
        EndpointType: {
          values: {
            EndpointTypeUnspecified: 0,
            WorkloadEndpoint: 1,
            HostEndpoint: 2,
            NetworkSet: 3,
            Network: 4,
          },
        },
        Reporter: { values: { ReporterUnspecified: 0, Src: 1, Dst: 2 } },
        Action: { values: { ActionUnspecified: 0, Allow: 1, Deny: 2, Pass: 3 } },
        PolicyKind: {
          values: {
            KindUnspecified: 0,
            CalicoNetworkPolicy: 1,
            GlobalNetworkPolicy: 2,
            StagedNetworkPolicy: 3,
            StagedGlobalNetworkPolicy: 4,
            StagedKubernetesNetworkPolicy: 5,
            NetworkPolicy: 6,
            AdminNetworkPolicy: 7,
            BaselineAdminNetworkPolicy: 8,
            Profile: 9,
            EndOfTier: 10,
          },
        },
      },
    },
  },
};

/**
 * How messages become JavaScript objects: proto field names kept (`start_time`, `Key`), 64-bit
 * integers as numbers (an unsafe one fails the flow schema later), enums by name (a value this
 * schema does not know stays a number), every scalar present with its default.
 */
export const GOLDMANE_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: false,
};

/** Decoded `goldmane.PolicyHit` (enums by name; a number for a value this schema lacks). */
export interface GoldmanePolicyHit {
  kind: string | number;
  namespace: string;
  name: string;
  tier: string;
  action: string | number;
  policy_index: number;
  rule_index: number;
  trigger: GoldmanePolicyHit | null;
}

export interface GoldmaneFlowKey {
  source_name: string;
  source_namespace: string;
  source_type: string | number;
  dest_name: string;
  dest_namespace: string;
  dest_type: string | number;
  dest_port: number;
  dest_service_name: string;
  dest_service_namespace: string;
  dest_service_port_name: string;
  dest_service_port: number;
  proto: string;
  reporter: string | number;
  action: string | number;
  policies: { enforced_policies: GoldmanePolicyHit[]; pending_policies: GoldmanePolicyHit[] } | null;
}

export interface GoldmaneFlow {
  Key: GoldmaneFlowKey | null;
  start_time: number;
  end_time: number;
  source_labels: string[];
  dest_labels: string[];
  packets_in: number;
  packets_out: number;
  bytes_in: number;
  bytes_out: number;
  num_connections_started: number;
  num_connections_completed: number;
  num_connections_live: number;
}

export interface GoldmaneFlowResult {
  id: number;
  flow: GoldmaneFlow | null;
}

export interface GoldmaneFlowStreamRequest {
  start_time_gte: number;
  filter: Record<string, never>;
  aggregation_interval: number;
}

/** The loaded `goldmane` package: the `Flows` client constructor, the package definition, gRPC. */
export interface GoldmanePackage {
  grpc: typeof grpc;
  definition: protoLoader.PackageDefinition;
  Flows: grpc.ServiceClientConstructor;
}

let loading: Promise<GoldmanePackage> | undefined;

/**
 * Loads gRPC and the schema once per process, on first use: an agent without a Goldmane address
 * never loads them (they add ~55 ms and ~7 MB to its start).
 */
export function loadGoldmanePackage(): Promise<GoldmanePackage> {
  loading ??= (async () => {
    const [grpcModule, loader] = await Promise.all([import('@grpc/grpc-js'), import('@grpc/proto-loader')]);
    const definition = loader.fromJSON(GOLDMANE_DESCRIPTOR, GOLDMANE_LOADER_OPTIONS);
    const goldmane = grpcModule.loadPackageDefinition(definition).goldmane as grpc.GrpcObject;
    return { grpc: grpcModule, definition, Flows: goldmane.Flows as grpc.ServiceClientConstructor };
  })();
  return loading;
}

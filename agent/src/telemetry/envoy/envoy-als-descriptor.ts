import type * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';

/**
 * The part of Envoy's access-log service the agent reads, as a protobufjs JSON descriptor: the
 * `AccessLogService.StreamAccessLogs` call, `StreamAccessLogsMessage` with its HTTP entries, and
 * of each `HTTPAccessLogEntry` only the fields an L7 record is made of. Names, numbers and types
 * are those of the vendored protos (`proto/`, see `proto/SOURCE.md`); `envoy-als-descriptor.spec.ts`
 * checks every one of them against those files. Everything else Envoy sends (headers, TLS
 * properties, metadata, filter state, TCP entries) is skipped by the decoder as unknown fields,
 * so it never enters the agent's memory as values.
 *
 * A descriptor rather than the `.proto` files because the agent image ships only `dist/` on a
 * read-only root file system (as `goldmane-descriptor.ts`).
 */
export const ENVOY_ALS_DESCRIPTOR: Parameters<typeof protoLoader.fromJSON>[0] = {
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Timestamp: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
            Duration: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
            UInt32Value: { fields: { value: { type: 'uint32', id: 1 } } },
          },
        },
      },
    },
    envoy: {
      nested: {
        config: {
          nested: {
            core: {
              nested: {
                v3: {
                  nested: {
                    Node: { fields: { id: { type: 'string', id: 1 }, cluster: { type: 'string', id: 2 } } },
                    Address: {
                      oneofs: { address: { oneof: ['socket_address'] } },
                      fields: { socket_address: { type: 'SocketAddress', id: 1 } },
                    },
                    SocketAddress: {
                      oneofs: { port_specifier: { oneof: ['port_value'] } },
                      fields: {
                        address: { type: 'string', id: 2 },
                        port_value: { type: 'uint32', id: 3 },
                      },
                    },
                    RequestMethod: {
                      values: {
                        METHOD_UNSPECIFIED: 0,
                        GET: 1,
                        HEAD: 2,
                        POST: 3,
                        PUT: 4,
                        DELETE: 5,
                        CONNECT: 6,
                        OPTIONS: 7,
                        TRACE: 8,
                        PATCH: 9,
                      },
                    },
                  },
                },
              },
            },
          },
        },
        data: {
          nested: {
            accesslog: {
              nested: {
                v3: {
                  nested: {
                    HTTPAccessLogEntry: {
                      fields: {
                        common_properties: { type: 'AccessLogCommon', id: 1 },
                        protocol_version: { type: 'HTTPVersion', id: 2 },
                        request: { type: 'HTTPRequestProperties', id: 3 },
                        response: { type: 'HTTPResponseProperties', id: 4 },
                      },
                      nested: {
                        HTTPVersion: {
                          values: { PROTOCOL_UNSPECIFIED: 0, HTTP10: 1, HTTP11: 2, HTTP2: 3, HTTP3: 4 },
                        },
                      },
                    },
                    AccessLogCommon: {
                      fields: {
                        downstream_remote_address: { type: 'envoy.config.core.v3.Address', id: 2 },
                        downstream_local_address: { type: 'envoy.config.core.v3.Address', id: 3 },
                        start_time: { type: 'google.protobuf.Timestamp', id: 5 },
                        time_to_last_downstream_tx_byte: { type: 'google.protobuf.Duration', id: 12 },
                        upstream_remote_address: { type: 'envoy.config.core.v3.Address', id: 13 },
                        upstream_cluster: { type: 'string', id: 15 },
                        duration: { type: 'google.protobuf.Duration', id: 23 },
                      },
                    },
                    HTTPRequestProperties: {
                      fields: {
                        request_method: { type: 'envoy.config.core.v3.RequestMethod', id: 1 },
                        authority: { type: 'string', id: 3 },
                        path: { type: 'string', id: 5 },
                        request_id: { type: 'string', id: 9 },
                        request_headers_bytes: { type: 'uint64', id: 11 },
                        request_body_bytes: { type: 'uint64', id: 12 },
                      },
                    },
                    HTTPResponseProperties: {
                      fields: {
                        response_code: { type: 'google.protobuf.UInt32Value', id: 1 },
                        response_headers_bytes: { type: 'uint64', id: 2 },
                        response_body_bytes: { type: 'uint64', id: 3 },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        service: {
          nested: {
            accesslog: {
              nested: {
                v3: {
                  nested: {
                    AccessLogService: {
                      methods: {
                        StreamAccessLogs: {
                          requestType: 'StreamAccessLogsMessage',
                          requestStream: true,
                          responseType: 'StreamAccessLogsResponse',
                          comment:
                            'Envoy streams its access log; the server answers only when the stream ends.',
                        },
                      },
                    },
                    StreamAccessLogsResponse: { fields: {} },
                    StreamAccessLogsMessage: {
                      oneofs: { log_entries: { oneof: ['http_logs'] } },
                      fields: {
                        identifier: { type: 'Identifier', id: 1 },
                        http_logs: { type: 'HTTPAccessLogEntries', id: 2 },
                      },
                      nested: {
                        Identifier: {
                          fields: {
                            node: { type: 'envoy.config.core.v3.Node', id: 1 },
                            log_name: { type: 'string', id: 2 },
                          },
                        },
                        HTTPAccessLogEntries: {
                          fields: {
                            log_entry: {
                              rule: 'repeated',
                              type: 'envoy.data.accesslog.v3.HTTPAccessLogEntry',
                              id: 1,
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

/**
 * Decoding: proto field names kept, 64-bit integers as numbers, enums by name (a value this
 * schema does not know stays a number), absent messages as null, absent scalars as defaults.
 */
export const ENVOY_ALS_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: false,
};

export interface EnvoySocketAddress {
  address: string;
  port_value: number;
}
export interface EnvoyAddress {
  socket_address: EnvoySocketAddress | null;
}
export interface ProtoDuration {
  seconds: number;
  nanos: number;
}

/** Decoded `envoy.data.accesslog.v3.HTTPAccessLogEntry` (the fields the agent reads). */
export interface EnvoyHttpAccessLogEntry {
  common_properties: {
    downstream_remote_address: EnvoyAddress | null;
    downstream_local_address: EnvoyAddress | null;
    start_time: ProtoDuration | null;
    time_to_last_downstream_tx_byte: ProtoDuration | null;
    upstream_remote_address: EnvoyAddress | null;
    upstream_cluster: string;
    duration: ProtoDuration | null;
  } | null;
  protocol_version: string | number;
  request: {
    request_method: string | number;
    authority: string;
    path: string;
    request_id: string;
    request_headers_bytes: number;
    request_body_bytes: number;
  } | null;
  response: {
    response_code: { value: number } | null;
    response_headers_bytes: number;
    response_body_bytes: number;
  } | null;
}

/** Decoded `envoy.service.accesslog.v3.StreamAccessLogsMessage`. */
export interface EnvoyStreamAccessLogsMessage {
  identifier: { node: { id: string; cluster: string } | null; log_name: string } | null;
  http_logs: { log_entry: EnvoyHttpAccessLogEntry[] } | null;
}

export interface EnvoyAlsPackage {
  grpc: typeof grpc;
  definition: protoLoader.PackageDefinition;
  /** `envoy.service.accesslog.v3.AccessLogService` for `server.addService`. */
  service: grpc.ServiceDefinition;
}

let loading: Promise<EnvoyAlsPackage> | undefined;

/** Loads gRPC and the schema once per process, on first use (an agent without the server never does). */
export function loadEnvoyAlsPackage(): Promise<EnvoyAlsPackage> {
  loading ??= (async () => {
    const [grpcModule, loader] = await Promise.all([import('@grpc/grpc-js'), import('@grpc/proto-loader')]);
    const definition = loader.fromJSON(ENVOY_ALS_DESCRIPTOR, ENVOY_ALS_LOADER_OPTIONS);
    const service = definition['envoy.service.accesslog.v3.AccessLogService'] as grpc.ServiceDefinition;
    return { grpc: grpcModule, definition, service };
  })();
  return loading;
}

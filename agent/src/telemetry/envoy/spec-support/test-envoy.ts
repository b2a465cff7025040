import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** The vendored Envoy API tree (`proto/`), as Envoy builds its messages. */
export const ENVOY_PROTO_ROOT = fileURLToPath(new URL('../proto', import.meta.url));
export const ALS_PROTO = 'envoy/service/accesslog/v3/als.proto';
export const ALS_METHOD_PATH = '/envoy.service.accesslog.v3.AccessLogService/StreamAccessLogs';

/** The full vendored definitions (every field of every message), loaded as Envoy's API defines them. */
export function loadVendoredAls(): protoLoader.PackageDefinition {
  return protoLoader.loadSync(ALS_PROTO, {
    includeDirs: [ENVOY_PROTO_ROOT],
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
  });
}

type Callback = (error: grpc.ServiceError | null) => void;

/**
 * A test Envoy: a real gRPC client of `StreamAccessLogs` whose messages are encoded from the full
 * vendored protos, plus a raw stream for bytes no encoder would produce.
 */
export class TestEnvoy {
  private readonly client: grpc.Client;
  private readonly serialize: (value: object) => Buffer;

  constructor(address: string) {
    const definition = loadVendoredAls();
    const method = (definition['envoy.service.accesslog.v3.AccessLogService'] as grpc.ServiceDefinition)
      .StreamAccessLogs!;
    this.serialize = method.requestSerialize as (value: object) => Buffer;
    this.client = new grpc.Client(address, grpc.credentials.createInsecure());
  }

  /** Encodes a `StreamAccessLogsMessage` with the vendored schema (fails on a field it lacks). */
  encode(message: object): Buffer {
    return this.serialize(message);
  }

  /** Opens one stream, writes each buffer as one message, ends it; resolves with the final status. */
  stream(messages: Buffer[]): Promise<grpc.ServiceError | null> {
    return new Promise((resolve) => {
      const call = this.client.makeClientStreamRequest<Buffer, Buffer>(
        ALS_METHOD_PATH,
        (bytes) => bytes,
        (bytes) => bytes,
        ((error: grpc.ServiceError | null) => resolve(error)) as Callback,
      );
      for (const message of messages) call.write(message);
      call.end();
    });
  }

  close(): void {
    this.client.close();
  }
}

/** A realistic `HTTPAccessLogEntry` as Envoy's http_grpc access logger fills it. */
export function httpEntry(overrides: { path?: string; code?: number; method?: string } = {}) {
  return {
    common_properties: {
      sample_rate: 1,
      downstream_remote_address: { socket_address: { address: '10.0.1.5', port_value: 43_512 } },
      downstream_local_address: { socket_address: { address: '10.0.2.9', port_value: 8080 } },
      start_time: { seconds: 1_800_000_000, nanos: 250_000_000 },
      time_to_last_downstream_tx_byte: { seconds: 0, nanos: 41_000_000 },
      upstream_remote_address: { socket_address: { address: '10.0.2.9', port_value: 8080 } },
      upstream_local_address: { socket_address: { address: '10.0.0.3', port_value: 51_000 } },
      upstream_cluster: 'shop/api',
      duration: { seconds: 0, nanos: 42_500_000 },
      custom_tags: { tenant: 'secret-tag-value' },
      stream_id: 'stream-1',
    },
    protocol_version: 'HTTP11',
    request: {
      request_method: overrides.method ?? 'GET',
      scheme: 'http',
      authority: 'API.shop.svc:8080',
      path: overrides.path ?? '/orders/12345/items?access_token=sekret-token-123',
      user_agent: 'curl/8.5.0',
      referer: 'http://example.com/?session=abc',
      forwarded_for: '203.0.113.7',
      request_id: '2f7c1c7e-5d0e-4a1b-9e61-8b2c0c1f9a11',
      request_headers_bytes: 120,
      request_body_bytes: 30,
      request_headers: { authorization: 'Bearer sekret-header-token' },
    },
    response: {
      response_code: { value: overrides.code ?? 200 },
      response_headers_bytes: 80,
      response_body_bytes: 1_000,
      response_headers: { 'set-cookie': 'sid=sekret-cookie' },
    },
  };
}

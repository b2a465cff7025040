import { z } from 'zod';
import { Count, EpochMillis, IpAddressSchema, PortNumber, PositiveInt } from './common.schemas.js';
import {
  MAX_HTTP_AUTHORITY_LENGTH,
  MAX_HTTP_PATH_LENGTH,
  MAX_HTTP_REQUEST_ID_LENGTH,
  MAX_HTTP_UPSTREAM_CLUSTER_LENGTH,
} from './protocol.limits.js';

/**
 * One HTTP request as an L7 record, from a node-level Envoy's access log (Envoy's
 * `envoy.data.accesslog.v3.HTTPAccessLogEntry`, streamed to the agent's access-log service).
 *
 * Privacy by default, enforced by this schema as well as by the agent: the path is the templated
 * path only (id-like segments replaced by `{id}`), never a query string or fragment (a `?` or `#`
 * is refused), and no header, user agent, referer or body is carried at all.
 */

/** Envoy's `config.core.v3.RequestMethod`, without `METHOD_UNSPECIFIED`. */
export const HTTP_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
] as const;
export const HttpMethodSchema = z.enum(HTTP_METHODS);

/** Envoy's `HTTPAccessLogEntry.HTTPVersion`, lower-cased; `unknown` for `PROTOCOL_UNSPECIFIED`. */
export const HttpVersionSchema = z.enum(['http1.0', 'http1.1', 'http2', 'http3', 'unknown']);

/** One end of the request, as Envoy saw its socket address. */
export const HttpEndpointSchema = z.object({
  ip: IpAddressSchema,
  port: PortNumber,
});

export const HttpRequestRecordSchema = z.object({
  /** The agent's HTTP buffer sequence number: strictly increasing, never reused for a cluster. */
  seq: PositiveInt,
  /** When Envoy received the first byte of the request, epoch milliseconds. */
  startTime: EpochMillis,
  method: HttpMethodSchema,
  /** `:authority` (Host), lower-cased, at most `MAX_HTTP_AUTHORITY_LENGTH`. */
  authority: z.string().max(MAX_HTTP_AUTHORITY_LENGTH),
  /** The templated path: starts with `/`, no query string or fragment. */
  path: z
    .string()
    .min(1)
    .max(MAX_HTTP_PATH_LENGTH)
    .regex(/^\/[^?#]*$/, { error: 'expected a templated path without query string or fragment' }),
  /** HTTP status; 0 when no response was sent (reset, timeout before headers). */
  responseCode: z.int().min(0).max(999),
  /** From the first request byte to the last response byte, milliseconds. */
  durationMs: Count,
  /** Request headers plus body, as Envoy counted them. */
  requestBytes: Count,
  /** Response headers plus body. */
  responseBytes: Count,
  protocol: HttpVersionSchema,
  /** `x-request-id`, when Envoy had one. */
  requestId: z.string().max(MAX_HTTP_REQUEST_ID_LENGTH).optional(),
  /** Envoy's upstream cluster name. */
  upstreamCluster: z.string().max(MAX_HTTP_UPSTREAM_CLUSTER_LENGTH).optional(),
  /** The client: Envoy's downstream remote address. */
  source: HttpEndpointSchema,
  /** The server: Envoy's upstream remote address, else its downstream local address. */
  destination: HttpEndpointSchema,
});

export type HttpMethod = z.infer<typeof HttpMethodSchema>;
export type HttpVersion = z.infer<typeof HttpVersionSchema>;
export type HttpEndpoint = z.infer<typeof HttpEndpointSchema>;
export type HttpRequestRecord = z.infer<typeof HttpRequestRecordSchema>;

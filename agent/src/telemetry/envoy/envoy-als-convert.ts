import { isIP } from 'node:net';
import {
  HTTP_METHODS,
  type HttpEndpoint,
  type HttpMethod,
  type HttpRequestRecord,
  type HttpVersion,
  MAX_HTTP_AUTHORITY_LENGTH,
  MAX_HTTP_REQUEST_ID_LENGTH,
  MAX_HTTP_UPSTREAM_CLUSTER_LENGTH,
} from '@meshplane/protocol';
import type { EnvoyAddress, EnvoyHttpAccessLogEntry, ProtoDuration } from './envoy-als-descriptor.js';
import { templatePath } from './http-path-template.js';

/** An HTTP record before the buffer numbers it. */
export type HttpRequestDraft = Omit<HttpRequestRecord, 'seq'>;

export type ConvertResult = { draft: HttpRequestDraft } | { invalid: string };

const VERSIONS: Record<string, HttpVersion> = {
  HTTP10: 'http1.0',
  HTTP11: 'http1.1',
  HTTP2: 'http2',
  HTTP3: 'http3',
};
const METHODS = new Set<string>(HTTP_METHODS);
/** Request ids and cluster names are kept only in this shape (no free text from a client). */
const TOKEN_TEXT = /^[A-Za-z0-9._:/-]+$/;

function endpoint(address: EnvoyAddress | null | undefined): HttpEndpoint | undefined {
  const socket = address?.socket_address;
  if (socket === null || socket === undefined || isIP(socket.address) === 0) return undefined;
  const port = socket.port_value;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) return undefined;
  return { ip: socket.address, port };
}

function millis(duration: ProtoDuration | null | undefined): number | undefined {
  if (duration === null || duration === undefined) return undefined;
  const value = duration.seconds * 1000 + Math.floor(duration.nanos / 1e6);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function count(value: number): number {
  return Number.isSafeInteger(value) && value > 0 ? value : 0;
}

function token(value: string, max: number): string | undefined {
  if (value === '' || value.length > max || !TOKEN_TEXT.test(value)) return undefined;
  return value;
}

/**
 * One decoded `HTTPAccessLogEntry` as an L7 record, or why it is not one. The path goes through
 * `templatePath` (no query string, ids templated, capped); headers, user agent, referer and
 * everything else of the entry are never read. Needs a method, a start time and both ends as IP
 * socket addresses (the server end is Envoy's upstream address, else the address it accepted
 * the request on).
 */
export function envoyEntryToDraft(entry: EnvoyHttpAccessLogEntry): ConvertResult {
  const common = entry.common_properties;
  const request = entry.request;
  if (common === null || request === null) return { invalid: 'entry without common or request properties' };
  const method = request.request_method;
  if (typeof method !== 'string' || !METHODS.has(method)) return { invalid: `unknown method ${method}` };
  const start = common.start_time;
  const startTime = start === null ? undefined : millis(start);
  if (startTime === undefined) return { invalid: 'entry without a valid start time' };
  const source = endpoint(common.downstream_remote_address);
  const destination = endpoint(common.upstream_remote_address) ?? endpoint(common.downstream_local_address);
  if (source === undefined || destination === undefined)
    return { invalid: 'entry without IP socket addresses for both ends' };
  const code = entry.response?.response_code?.value ?? 0;
  if (!Number.isInteger(code) || code < 0 || code > 999) return { invalid: `response code ${code}` };
  const authority = request.authority.toLowerCase();
  const draft: HttpRequestDraft = {
    startTime,
    method: method as HttpMethod,
    authority: authority.length > MAX_HTTP_AUTHORITY_LENGTH ? '' : authority.replace(/[^a-z0-9.:[\]-]/g, ''),
    path: templatePath(request.path),
    responseCode: code,
    durationMs: millis(common.duration) ?? millis(common.time_to_last_downstream_tx_byte) ?? 0,
    requestBytes: count(request.request_headers_bytes) + count(request.request_body_bytes),
    responseBytes:
      count(entry.response?.response_headers_bytes ?? 0) + count(entry.response?.response_body_bytes ?? 0),
    protocol: VERSIONS[String(entry.protocol_version)] ?? 'unknown',
    source,
    destination,
  };
  const requestId = token(request.request_id, MAX_HTTP_REQUEST_ID_LENGTH);
  if (requestId !== undefined) draft.requestId = requestId;
  const upstreamCluster = token(common.upstream_cluster, MAX_HTTP_UPSTREAM_CLUSTER_LENGTH);
  if (upstreamCluster !== undefined) draft.upstreamCluster = upstreamCluster;
  return { draft };
}

import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../log.js';
import { envoyEntryToDraft, type HttpRequestDraft } from './envoy-als-convert.js';
import { type EnvoyStreamAccessLogsMessage, loadEnvoyAlsPackage } from './envoy-als-descriptor.js';

export interface EnvoyAlsServerOptions {
  /** Interface to listen on; `0.0.0.0` in a cluster (node Envoys dial the agent's Service). */
  host: string;
  /** Port; 0 picks a free one (tests). */
  port: number;
  logger: Logger;
  /** Largest `StreamAccessLogsMessage` accepted, bytes; a larger one is dropped and counted. Default 1 MiB. */
  maxMessageBytes?: number;
  /** Most entries read from one message; the rest are dropped and counted. Default 1 000. */
  maxEntriesPerMessage?: number;
  /** Most concurrent streams (one per Envoy); more are refused with RESOURCE_EXHAUSTED. Default 256. */
  maxStreams?: number;
}

export interface EnvoyAlsServerStats {
  /** Streams Envoys opened. */
  streams: number;
  /** Streams open now. */
  activeStreams: number;
  /** Streams refused because `maxStreams` were open. */
  streamsRefused: number;
  /** Messages decoded. */
  messages: number;
  /** Messages that did not decode as `StreamAccessLogsMessage` (dropped; the stream goes on). */
  malformedMessages: number;
  /** Messages over `maxMessageBytes` (dropped undecoded; the stream goes on). */
  oversizedMessages: number;
  /** HTTP entries received. */
  entries: number;
  /** Entries handed to the sink as L7 records. */
  converted: number;
  /** Entries that are not a usable HTTP request (no method, start time or IP addresses). */
  invalidEntries: number;
  /** Entries beyond `maxEntriesPerMessage`. */
  entriesOverLimit: number;
}

/** Every counter at zero: a server just started, or none running. */
export const NO_ENVOY_ALS_STATS: Readonly<EnvoyAlsServerStats> = {
  streams: 0,
  activeStreams: 0,
  streamsRefused: 0,
  messages: 0,
  malformedMessages: 0,
  oversizedMessages: 0,
  entries: 0,
  converted: 0,
  invalidEntries: 0,
  entriesOverLimit: 0,
};

/** What the deserializer hands the handler instead of throwing (which would end the stream). */
type Decoded = EnvoyStreamAccessLogsMessage | { refused: 'malformed' | 'oversized' };

/** Invalid input is logged at most this often, with the counts since the last line. */
const REFUSAL_LOG_INTERVAL_MS = 60_000;

/**
 * Envoy's Access Log Service, served by the agent: `envoy.service.accesslog.v3.AccessLogService/
 * StreamAccessLogs`, to which a node-level Envoy (`envoy.access_loggers.http_grpc`) streams its
 * HTTP access log. Each `HTTPAccessLogEntry` becomes an L7 record (`envoy-als-convert.ts`:
 * templated path, no query string or headers, sizes capped) handed to the sink, which is the
 * agent's bounded HTTP buffer.
 *
 * Bad input never stops the server or a stream: a message that does not decode or is larger than
 * `maxMessageBytes` is dropped and counted (the deserializer answers a marker instead of
 * throwing, which would end the stream), an entry that is not a usable request is counted, and
 * entries past `maxEntriesPerMessage` are counted. gRPC itself refuses a message over four times
 * `maxMessageBytes` (RESOURCE_EXHAUSTED, that stream ends; Envoy opens a new one).
 */
export class EnvoyAlsServer {
  private readonly counters: EnvoyAlsServerStats = { ...NO_ENVOY_ALS_STATS };
  private server: grpc.Server | undefined;
  private readonly calls = new Set<grpc.ServerReadableStream<Decoded, unknown>>();
  private refusalLoggedAt = Number.NEGATIVE_INFINITY;
  private readonly maxMessageBytes: number;
  private readonly maxEntries: number;
  private readonly maxStreams: number;

  constructor(
    private readonly options: EnvoyAlsServerOptions,
    private readonly sink: (draft: HttpRequestDraft) => void,
  ) {
    this.maxMessageBytes = options.maxMessageBytes ?? 1024 * 1024;
    this.maxEntries = options.maxEntriesPerMessage ?? 1_000;
    this.maxStreams = options.maxStreams ?? 256;
  }

  get stats(): EnvoyAlsServerStats {
    return { ...this.counters, activeStreams: this.calls.size };
  }

  /** Listens; resolves with the bound port. */
  async start(): Promise<number> {
    const { grpc, service } = await loadEnvoyAlsPackage();
    const method = service.StreamAccessLogs!;
    const decode = method.requestDeserialize;
    const server = new grpc.Server({
      'grpc.max_receive_message_length': this.maxMessageBytes * 4,
      'grpc.keepalive_time_ms': 300_000,
    });
    const definition: grpc.ServiceDefinition = {
      StreamAccessLogs: {
        ...method,
        requestDeserialize: (bytes: Buffer): Decoded => {
          if (bytes.length > this.maxMessageBytes) return { refused: 'oversized' };
          try {
            return decode(bytes) as EnvoyStreamAccessLogsMessage;
          } catch {
            return { refused: 'malformed' };
          }
        },
      },
    };
    server.addService(definition, {
      StreamAccessLogs: (
        call: grpc.ServerReadableStream<Decoded, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => this.stream(grpc, call, callback),
    });
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(
        `${this.options.host}:${this.options.port}`,
        grpc.ServerCredentials.createInsecure(),
        (error, bound) => (error === null ? resolve(bound) : reject(error)),
      );
    });
    this.server = server;
    this.options.logger.info('Envoy access-log service listening', { host: this.options.host, port });
    return port;
  }

  /** Stops accepting streams and ends the open ones. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    for (const call of this.calls) call.destroy();
    this.calls.clear();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  }

  private stream(
    grpc: typeof import('@grpc/grpc-js'),
    call: grpc.ServerReadableStream<Decoded, unknown>,
    callback: grpc.sendUnaryData<unknown>,
  ): void {
    if (this.calls.size >= this.maxStreams) {
      this.counters.streamsRefused += 1;
      callback({ code: grpc.status.RESOURCE_EXHAUSTED, details: 'too many access-log streams' });
      return;
    }
    this.counters.streams += 1;
    this.calls.add(call);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.calls.delete(call);
      callback(null, {});
    };
    call.on('data', (message: Decoded) => this.receive(message));
    call.on('end', finish);
    call.on('error', () => this.calls.delete(call));
    call.on('close', () => this.calls.delete(call));
  }

  private receive(message: Decoded): void {
    if ('refused' in message) {
      if (message.refused === 'oversized') this.counters.oversizedMessages += 1;
      else this.counters.malformedMessages += 1;
      this.logRefusals();
      return;
    }
    this.counters.messages += 1;
    const entries = message.http_logs?.log_entry ?? [];
    this.counters.entries += entries.length;
    const kept = entries.length > this.maxEntries ? entries.slice(0, this.maxEntries) : entries;
    this.counters.entriesOverLimit += entries.length - kept.length;
    for (const entry of kept) {
      const result = envoyEntryToDraft(entry);
      if ('invalid' in result) {
        this.counters.invalidEntries += 1;
        this.logRefusals();
        continue;
      }
      this.counters.converted += 1;
      this.sink(result.draft);
    }
    if (kept.length < entries.length) this.logRefusals();
  }

  private logRefusals(): void {
    const now = Date.now();
    if (now - this.refusalLoggedAt < REFUSAL_LOG_INTERVAL_MS) return;
    this.refusalLoggedAt = now;
    const { malformedMessages, oversizedMessages, invalidEntries, entriesOverLimit } = this.counters;
    this.options.logger.warn('dropped Envoy access-log input', {
      malformedMessages,
      oversizedMessages,
      invalidEntries,
      entriesOverLimit,
    });
  }
}

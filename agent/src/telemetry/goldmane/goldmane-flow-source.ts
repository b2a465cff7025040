import { hash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type * as grpc from '@grpc/grpc-js';
import { backoffDelay } from '@meshplane/protocol';
import { describeError } from '../../agent.errors.js';
import type { Logger } from '../../log.js';
import type { FlowDraft } from '../flow-buffer.js';
import type { FlowSource } from '../flow-source.js';
import { flowIdentity, goldmaneFlowToDraft } from './goldmane-convert.js';
import {
  type GoldmaneFlowResult,
  type GoldmaneFlowStreamRequest,
  loadGoldmanePackage,
} from './goldmane-descriptor.js';

export interface GoldmaneFlowSourceOptions {
  /** Goldmane's gRPC endpoint as `host:port`, e.g. `goldmane.calico-system.svc:7443`. */
  address: string;
  /** PEM files, read again on every (re)connect so rotated certificates are picked up. */
  caFile: string;
  certFile: string;
  keyFile: string;
  /** Name to verify Goldmane's certificate against (and send as SNI) instead of the address's host. */
  serverName?: string;
  logger: Logger;
  /** History asked for on the first stream, in seconds before Goldmane's now; default 60. */
  initialLookbackSeconds?: number;
  /**
   * A resume point older than this (seconds) is replaced by "this many seconds ago": Goldmane
   * keeps about an hour of flows and streams nothing for a start time older than its history.
   * Default 3000.
   */
  maxResumeAgeSeconds?: number;
  /** Windows remembered for recognising re-sent flows, in seconds before the newest; default 60. */
  dedupeWindowSeconds?: number;
  /** Backoff between stream attempts: first ceiling and largest ceiling; default 500 ms → 30 s. */
  retryBaseMs?: number;
  retryCapMs?: number;
  /**
   * HTTP/2 keepalive ping interval, so a silently dead connection is noticed. Goldmane (grpc-go)
   * answers pings more frequent than every 5 minutes with GOAWAY; default 330 000 ms.
   */
  keepaliveMs?: number;
  now?: () => number;
  random?: () => number;
}

export interface GoldmaneFlowSourceStats {
  /** `FlowResult` messages received. */
  received: number;
  /** Records handed to the sink. */
  converted: number;
  /** Records skipped because they do not convert to a valid flow record. */
  invalid: number;
  /** Records skipped because they were already received (Goldmane re-sends a window on resume). */
  duplicates: number;
  /** Policy hits dropped beyond the protocol's per-flow limit. */
  policiesDropped: number;
  /** Streams opened after the first one. */
  reconnects: number;
  /** Start time asked for on the most recent stream (Goldmane's `start_time_gte`). */
  lastRequestStartTime?: number;
}

type FlowsClient = grpc.Client & {
  Stream(request: GoldmaneFlowStreamRequest): grpc.ClientReadableStream<GoldmaneFlowResult>;
};

/** Goldmane's only supported stream window, in seconds. */
const AGGREGATION_INTERVAL = 15;
/** Invalid records are logged at most this often (with the count since the last line). */
const INVALID_LOG_INTERVAL_MS = 60_000;

/**
 * Calico's flow API as the agent's flow source: one `Flows.Stream` call to Goldmane over mutual
 * TLS, each `FlowResult` converted to a flow record (`goldmane-convert.ts`) and handed to the
 * sink. Records that do not convert are skipped and counted, never thrown.
 *
 * When the stream ends or breaks, a new one is opened after a backoff, resuming from the start
 * of the newest aggregation window received: Goldmane streams windows in time order, so a
 * window may have been cut short but every older one was complete. Goldmane sends that window
 * again; the flows of recent windows already delivered are recognised (window plus flow key)
 * and skipped, so a resume neither loses nor duplicates flows Goldmane still holds. The first
 * stream asks for a short lookback only, since earlier flows may have been reported already.
 */
export class GoldmaneFlowSource implements FlowSource {
  readonly name = 'goldmane';
  private readonly counters = {
    received: 0,
    converted: 0,
    invalid: 0,
    duplicates: 0,
    policiesDropped: 0,
    reconnects: 0,
  };
  private lastRequestStartTime: number | undefined;
  private sink: ((flow: FlowDraft) => void) | undefined;
  /** Bumped by start and stop, so an attempt begun before either gives up. */
  private generation = 0;
  private opened = 0;
  private client: FlowsClient | undefined;
  private call: grpc.ClientReadableStream<GoldmaneFlowResult> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  /** Start of the newest window received, epoch seconds: where a new stream resumes. */
  private newestWindow: number | undefined;
  /** Identities of the flows received per recent window start. */
  private readonly seen = new Map<number, Set<string>>();
  private invalidLoggedAt = Number.NEGATIVE_INFINITY;
  private invalidUnlogged = 0;
  private readonly now: () => number;

  constructor(private readonly options: GoldmaneFlowSourceOptions) {
    this.now = options.now ?? Date.now;
  }

  get stats(): GoldmaneFlowSourceStats {
    const stats: GoldmaneFlowSourceStats = { ...this.counters };
    if (this.lastRequestStartTime !== undefined) stats.lastRequestStartTime = this.lastRequestStartTime;
    return stats;
  }

  start(sink: (flow: FlowDraft) => void): void {
    if (this.sink !== undefined) return;
    this.sink = sink;
    this.generation += 1;
    void this.open(this.generation);
  }

  stop(): void {
    this.sink = undefined;
    this.generation += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.closeStream();
  }

  private async open(generation: number): Promise<void> {
    const { grpc, Flows } = await loadGoldmanePackage();
    let credentials: grpc.ChannelCredentials;
    try {
      const [ca, cert, key] = await Promise.all(
        [this.options.caFile, this.options.certFile, this.options.keyFile].map((file) => readFile(file)),
      );
      credentials = grpc.credentials.createSsl(ca, key, cert);
    } catch (error) {
      if (generation !== this.generation) return;
      this.retry(generation, 'could not load the Goldmane TLS files', error);
      return;
    }
    if (generation !== this.generation) return;

    const client = new Flows(
      this.options.address,
      credentials,
      this.channelOptions(),
    ) as unknown as FlowsClient;
    const request: GoldmaneFlowStreamRequest = {
      start_time_gte: this.requestStartTime(),
      filter: {},
      aggregation_interval: AGGREGATION_INTERVAL,
    };
    if (this.opened > 0) this.counters.reconnects += 1;
    this.opened += 1;
    this.lastRequestStartTime = request.start_time_gte;
    this.options.logger.debug('opening the Goldmane flow stream', {
      address: this.options.address,
      startTimeGte: request.start_time_gte,
    });
    const call = client.Stream(request);
    this.client = client;
    this.call = call;
    let receiving = false;
    call.on('data', (result: GoldmaneFlowResult) => {
      if (call !== this.call) return;
      if (!receiving) {
        receiving = true;
        this.failures = 0;
        this.options.logger.info('receiving flows from Goldmane', { address: this.options.address });
      }
      this.receive(result);
    });
    // The final status follows every error; listening here keeps an error from being thrown.
    call.on('error', () => undefined);
    call.on('status', (status: grpc.StatusObject) => {
      if (call !== this.call) return;
      this.closeStream();
      const reason = status.code === grpc.status.OK ? 'Goldmane ended the flow stream' : 'flow stream failed';
      this.retry(generation, reason, `${grpc.status[status.code]}: ${status.details}`);
    });
  }

  private channelOptions(): grpc.ChannelOptions {
    const options: grpc.ChannelOptions = {
      'grpc.keepalive_time_ms': this.options.keepaliveMs ?? 330_000,
      'grpc.keepalive_timeout_ms': 20_000,
    };
    if (this.options.serverName !== undefined) {
      options['grpc.ssl_target_name_override'] = this.options.serverName;
      options['grpc.default_authority'] = this.options.serverName;
    }
    return options;
  }

  /** Goldmane's `start_time_gte` for the next stream: resume point, or a relative lookback. */
  private requestStartTime(): number {
    const maxAge = this.options.maxResumeAgeSeconds ?? 3_000;
    if (this.newestWindow === undefined) {
      const lookback = this.options.initialLookbackSeconds ?? 60;
      return lookback > 0 ? -lookback : 0;
    }
    if (Math.floor(this.now() / 1_000) - this.newestWindow > maxAge) {
      this.options.logger.warn('resume point is older than Goldmane keeps flows; some may be missing', {
        resumeFrom: this.newestWindow,
        askingFromSecondsAgo: maxAge,
      });
      return -maxAge;
    }
    return this.newestWindow;
  }

  private receive(result: GoldmaneFlowResult): void {
    this.counters.received += 1;
    const flow = result.flow;
    if (flow === null) {
      this.countInvalid('FlowResult without a flow');
      return;
    }
    if (this.isDuplicate(flow.start_time, flowIdentity(flow))) {
      this.counters.duplicates += 1;
      return;
    }
    const conversion = goldmaneFlowToDraft(flow);
    if (!conversion.ok) {
      this.countInvalid(conversion.reason);
      return;
    }
    this.counters.converted += 1;
    this.counters.policiesDropped += conversion.policiesDropped;
    try {
      this.sink?.(conversion.flow);
    } catch (error) {
      this.options.logger.error('flow sink failed', { error: describeError(error) });
    }
  }

  /**
   * Whether this flow of the window starting at `start` was received before; remembers it and
   * moves the resume point forward otherwise. Windows more than the dedupe window older than the
   * newest are forgotten.
   */
  private isDuplicate(start: number, identity: string): boolean {
    if (!Number.isSafeInteger(start) || start <= 0) return false;
    const keep = this.options.dedupeWindowSeconds ?? 60;
    if (this.newestWindow !== undefined && start < this.newestWindow - keep) return false;
    const id = hash('sha1', identity, 'base64');
    let ids = this.seen.get(start);
    if (ids?.has(id)) return true;
    if (ids === undefined) {
      ids = new Set();
      this.seen.set(start, ids);
    }
    ids.add(id);
    if (this.newestWindow === undefined || start > this.newestWindow) {
      this.newestWindow = start;
      for (const window of this.seen.keys()) if (window < start - keep) this.seen.delete(window);
    }
    return false;
  }

  private countInvalid(reason: string): void {
    this.counters.invalid += 1;
    this.invalidUnlogged += 1;
    const now = this.now();
    if (now - this.invalidLoggedAt < INVALID_LOG_INTERVAL_MS) return;
    this.options.logger.warn('skipped Goldmane flows that are not valid flow records', {
      skipped: this.invalidUnlogged,
      reason,
    });
    this.invalidLoggedAt = now;
    this.invalidUnlogged = 0;
  }

  private retry(generation: number, message: string, error: unknown): void {
    if (generation !== this.generation) return;
    const delay = Math.max(
      50,
      backoffDelay(this.failures++, {
        baseMs: this.options.retryBaseMs ?? 500,
        capMs: this.options.retryCapMs ?? 30_000,
        ...(this.options.random === undefined ? {} : { random: this.options.random }),
      }),
    );
    this.options.logger.warn(`${message}; retrying`, {
      address: this.options.address,
      error: describeError(error),
      retryInMs: delay,
    });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (generation === this.generation) void this.open(generation);
    }, delay);
  }

  private closeStream(): void {
    const call = this.call;
    const client = this.client;
    this.call = undefined;
    this.client = undefined;
    call?.cancel();
    client?.close();
  }
}

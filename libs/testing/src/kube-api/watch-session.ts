import type { ServerResponse } from 'node:http';
import { badRequest, KubeApiError } from './kube-api.errors.js';
import type { KubeObject, WatchEvent, WatchEventType } from './kube-object.js';
import type { ObjectFilter } from './object-filter.js';
import type { ObjectStore, StoreEvent } from './object-store.js';
import { groupVersionOf, type ResourceDefinition, resourceId } from './resource-registry.js';

export interface WatchOptions {
  definition: ResourceDefinition;
  filter: ObjectFilter;
  /** The `resourceVersion` query parameter; unset or `0` starts with the current objects. */
  resourceVersion?: string;
  /** `sendInitialEvents=true`: current objects first, then a bookmark marking their end. */
  sendInitialEvents: boolean;
  allowBookmarks: boolean;
  bookmarkIntervalMs: number;
  timeoutSeconds?: number;
}

/** The annotation on the bookmark that ends the initial events of `sendInitialEvents`. */
const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

/**
 * The event a watcher with `filter` sees for a store change. As in the real server, a modification
 * that moves an object into the selection is ADDED and one that moves it out is DELETED.
 */
function visibleEvent(
  event: StoreEvent,
  filter: ObjectFilter,
): { type: WatchEventType; object: KubeObject } | undefined {
  if (event.type === 'ADDED')
    return filter(event.object) ? { type: 'ADDED', object: event.object } : undefined;
  if (event.type === 'DELETED') {
    return filter(event.previous ?? event.object) ? { type: 'DELETED', object: event.object } : undefined;
  }
  const now = filter(event.object);
  const was = event.previous !== undefined && filter(event.previous);
  if (now) return { type: was ? 'MODIFIED' : 'ADDED', object: event.object };
  return was ? { type: 'DELETED', object: event.object } : undefined;
}

/**
 * One watch request streaming newline-delimited JSON events until the client goes away, the
 * `timeoutSeconds` elapse, or `close()`. Events after the requested resourceVersion are replayed
 * from history before live ones; a compacted resourceVersion yields a single `ERROR` event carrying
 * a 410 Expired `Status`, then the stream ends, which is what makes informers relist.
 */
export class WatchSession {
  private closed = false;
  private readonly cleanups: (() => void)[] = [];

  private constructor(
    private readonly store: ObjectStore,
    private readonly response: ServerResponse,
    private readonly options: WatchOptions,
    private readonly onClose: (session: WatchSession) => void,
  ) {}

  /**
   * Starts streaming. Throws 400 BadRequest, before any byte is written, when the
   * resourceVersion is malformed.
   */
  static start(
    store: ObjectStore,
    response: ServerResponse,
    options: WatchOptions,
    onClose: (session: WatchSession) => void,
  ): WatchSession {
    const startRevision = WatchSession.parseStart(options);
    const session = new WatchSession(store, response, options, onClose);
    response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    response.flushHeaders();
    response.on('close', () => session.close());
    session.begin(startRevision);
    return session;
  }

  private static parseStart(options: WatchOptions): number | undefined {
    const text = options.resourceVersion;
    if (text === undefined || text === '' || text === '0' || options.sendInitialEvents) return undefined;
    const revision = Number(text);
    if (!Number.isSafeInteger(revision) || revision < 0)
      throw badRequest(`invalid resource version: "${text}"`);
    return revision;
  }

  /** False once the stream has ended, for whatever reason. */
  get open(): boolean {
    return !this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const cleanup of this.cleanups) cleanup();
    if (!this.response.writableEnded) this.response.end();
    this.onClose(this);
  }

  private begin(startRevision: number | undefined): void {
    const resource = resourceId(this.options.definition);
    if (startRevision === undefined) {
      this.sendInitialState(resource);
    } else {
      try {
        for (const event of this.store.eventsSince(resource, startRevision)) this.sendStoreEvent(event);
      } catch (error) {
        if (!(error instanceof KubeApiError)) throw error;
        this.write({ type: 'ERROR', object: error.toStatus() });
        this.close();
        return;
      }
    }
    this.cleanups.push(
      this.store.subscribe((event) => {
        if (event.resource === resource) this.sendStoreEvent(event);
      }),
    );
    this.startTimers();
  }

  private sendInitialState(resource: string): void {
    for (const object of this.store.list(resource).filter(this.options.filter))
      this.write({ type: 'ADDED', object });
    if (this.options.sendInitialEvents && this.options.allowBookmarks)
      this.sendBookmark({ [INITIAL_EVENTS_END]: 'true' });
  }

  private startTimers(): void {
    if (this.options.allowBookmarks) {
      const bookmarks = setInterval(() => this.sendBookmark(), this.options.bookmarkIntervalMs);
      this.cleanups.push(() => clearInterval(bookmarks));
    }
    if (this.options.timeoutSeconds !== undefined && this.options.timeoutSeconds > 0) {
      const timeout = setTimeout(() => this.close(), this.options.timeoutSeconds * 1000);
      this.cleanups.push(() => clearTimeout(timeout));
    }
  }

  private sendStoreEvent(event: StoreEvent): void {
    const visible = visibleEvent(event, this.options.filter);
    if (visible) this.write(visible);
  }

  /** A BOOKMARK carries only kind, apiVersion and the revision the watcher is now current at. */
  private sendBookmark(annotations?: Record<string, string>): void {
    const { definition } = this.options;
    const metadata: KubeObject['metadata'] = { resourceVersion: String(this.store.currentRevision) };
    if (annotations) metadata.annotations = annotations;
    this.write({
      type: 'BOOKMARK',
      object: { apiVersion: groupVersionOf(definition), kind: definition.kind, metadata },
    });
  }

  private write(event: WatchEvent): void {
    if (this.closed || this.response.writableEnded) return;
    this.response.write(`${JSON.stringify(event)}\n`);
  }
}

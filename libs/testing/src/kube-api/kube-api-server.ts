import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { createCertificateAuthority, issueCertificate } from '../test-pki.js';
import {
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  coreApiVersions,
  versionInfo,
} from './discovery.js';
import { decodeBody, mediaTypeOf, readBody, sendJson, sendText } from './http-io.js';
import { failureStatus, KubeApiError } from './kube-api.errors.js';
import { isJsonObject, type KubeObject } from './kube-object.js';
import { objectFilter } from './object-filter.js';
import { ObjectStore } from './object-store.js';
import { OpenApiDocuments } from './openapi-documents.js';
import { unknownFields } from './openapi-schemas.js';
import { type KubeRequestFilter, type KubeRequestRecord, type KubeVerb, RequestLog } from './request-log.js';
import { type Route, routeRequest } from './request-route.js';
import {
  type AdmitObject,
  type ListPage,
  PATCH_CONTENT_TYPES,
  ResourceOperations,
} from './resource-operations.js';
import {
  DEFAULT_RESOURCES,
  groupVersionOf,
  type ResourceDefinition,
  ResourceRegistry,
  resourceId,
} from './resource-registry.js';
import { WatchSession } from './watch-session.js';

export interface KubeApiServerOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The bearer token every request must carry; random by default. */
  token?: string;
  /**
   * Accept requests without the token too (anonymous access). The real `kubectl` sends no bearer
   * token over plain HTTP: run it against a `tls` server with `writeKubeconfig`, or with this.
   */
  anonymous?: boolean;
  /**
   * Speak HTTPS with a certificate for 127.0.0.1 from a CA made for this server (`caCert`), as a
   * real API server does; `kubeConfig()` and `writeKubeconfig()` trust that CA.
   */
  tls?: boolean;
  /** Reported by `/version`; default `v1.31.0`. */
  gitVersion?: string;
  /** How often watches that allow bookmarks get a BOOKMARK; default 5000 ms. */
  bookmarkIntervalMs?: number;
  /** Watch history kept before older revisions expire on their own (like a watch cache); unlimited by default. */
  historyLimit?: number;
  /** Resource types served besides `DEFAULT_RESOURCES`. */
  extraResources?: ResourceDefinition[];
  /**
   * Known resource types not served (nor listed by discovery) until `serveResource`, named like
   * `stagednetworkpolicies.projectcalico.org`: a cluster whose Calico predates them.
   */
  withheldResources?: string[];
}

/** Field manager recorded for writes made through the programmatic API. */
export const TEST_FIELD_MANAGER = 'kube-api-test';

/** A test Kubernetes API server plus a programmatic view of its object store. */
export interface KubeApiServer {
  /** `http://127.0.0.1:<port>`, or `https://` with `tls`. */
  readonly url: string;
  readonly token: string;
  /** The PEM of the CA that signed the server's certificate, with `tls`. */
  readonly caCert: string | undefined;
  /** The latest resourceVersion (global revision). */
  readonly resourceVersion: string;
  /** Every request received, in order. */
  readonly requests: readonly KubeRequestRecord[];
  /** A KubeConfig pointed at this server with its bearer token (or `options.token`, to test 401s). */
  kubeConfig(options?: { namespace?: string; token?: string }): KubeConfig;
  /**
   * Writes a kubeconfig for the real `kubectl` to `path`: this server, its CA (with `tls`) and its
   * bearer token (kubectl sends a token only over TLS).
   */
  writeKubeconfig(path: string, options?: { namespace?: string }): Promise<void>;
  /** Number of received requests matching every given property, e.g. `{ verb: 'list', resource: 'pods' }`. */
  requestCount(filter?: KubeRequestFilter): number;
  clearRequests(): void;
  /** Number of watch streams currently open. */
  openWatchCount(resource?: string): number;
  /** Starts serving a resource type of `withheldResources`, as a Calico upgrade would. */
  serveResource(resource: string): void;

  /** Creates an object (namespaced kinds default to namespace `default`). Throws `KubeApiError`. */
  create(object: KubeObject, options?: { fieldManager?: string }): KubeObject;
  /** Replaces an object; a set `metadata.resourceVersion` must be current (409 otherwise). */
  update(object: KubeObject, options?: { fieldManager?: string }): KubeObject;
  /** Server-side apply as `fieldManager`. */
  apply(object: KubeObject, fieldManager: string, options?: { force?: boolean }): KubeObject;
  /** Deletes an object and returns its last state. Throws 404 `KubeApiError` when absent. */
  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject;
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[];
  /** Forgets the watch history: watches and snapshots from older resourceVersions get 410 Expired. */
  compact(): void;
  /** Ends every open watch stream cleanly, as an API server restart or load balancer would. */
  closeWatches(): void;
  close(): Promise<void>;
}

const WATCH_VALUES = new Set(['true', '1']);

function flag(value: string | undefined): boolean {
  return value !== undefined && WATCH_VALUES.has(value.toLowerCase());
}

function optionalNumber(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new KubeApiError('BadRequest', `invalid numeric parameter: ${value}`);
  return number;
}

function verbOf(route: Route, method: string, query: Record<string, string>): KubeVerb {
  const watching = flag(query.watch);
  if (route.kind === 'collection') {
    if (method === 'GET') return watching ? 'watch' : 'list';
    return method === 'POST' ? 'create' : method === 'DELETE' ? 'deletecollection' : 'unknown';
  }
  if (route.kind === 'object') {
    const verbs: Record<string, KubeVerb> = {
      GET: watching ? 'watch' : 'get',
      PUT: 'update',
      PATCH: 'patch',
      DELETE: 'delete',
    };
    return verbs[method] ?? 'unknown';
  }
  return route.kind === 'unknown' ? 'unknown' : 'discovery';
}

/** The manager a non-apply write is recorded under: `fieldManager`, else the User-Agent's product. */
function updateManager(request: IncomingMessage, query: Record<string, string>): string {
  if (query.fieldManager) return query.fieldManager;
  const product = request.headers['user-agent']?.split('/')[0]?.trim();
  return product || 'unknown';
}

function forceParameter(query: Record<string, string>): boolean | undefined {
  return query.force === undefined ? undefined : query.force === 'true';
}

/** Built-in list items carry no apiVersion/kind on the wire; custom resources keep them. */
function wireListItem(definition: ResourceDefinition, object: KubeObject): Record<string, unknown> {
  if (definition.customResource) return object;
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  return rest;
}

function listDocument(definition: ResourceDefinition, page: ListPage): Record<string, unknown> {
  const metadata: Record<string, unknown> = { resourceVersion: page.resourceVersion };
  if (page.continue) metadata.continue = page.continue;
  if (page.remainingItemCount !== undefined) metadata.remainingItemCount = page.remainingItemCount;
  return {
    apiVersion: groupVersionOf(definition),
    kind: `${definition.kind}List`,
    metadata,
    items: page.items.map((item) => wireListItem(definition, item)),
  };
}

/** Field validation a write asks for (`?fieldValidation=`); none given checks nothing. */
const FIELD_VALIDATION = new Set(['Ignore', 'Warn', 'Strict']);

class TestKubeApiServer implements KubeApiServer {
  url = '';
  caCert: string | undefined;
  readonly token: string;
  private readonly registry: ResourceRegistry;
  private readonly store: ObjectStore;
  private readonly operations: ResourceOperations;
  private readonly log = new RequestLog();
  private readonly watches = new Set<{ session: WatchSession; resource: string }>();
  private readonly openApi: OpenApiDocuments;
  private http: Server | undefined;

  constructor(private readonly options: KubeApiServerOptions) {
    this.token = options.token ?? randomBytes(16).toString('hex');
    this.registry = new ResourceRegistry(
      [...DEFAULT_RESOURCES, ...(options.extraResources ?? [])],
      options.withheldResources,
    );
    this.store = new ObjectStore(options.historyLimit);
    this.operations = new ResourceOperations(this.store);
    this.openApi = new OpenApiDocuments(this.registry);
  }

  async listen(port: number): Promise<void> {
    const handler = (request: IncomingMessage, response: ServerResponse) => {
      this.handle(request, response).catch((error: unknown) => this.fail(response, error));
    };
    let http: Server = createServer(handler);
    if (this.options.tls) {
      const credentials = await serverCredentials();
      this.caCert = credentials.ca;
      http = createTlsServer({ cert: credentials.cert, key: credentials.key }, handler);
    }
    this.http = http;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, '127.0.0.1', () => resolve());
    });
    const scheme = this.options.tls ? 'https' : 'http';
    this.url = `${scheme}://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }

  get resourceVersion(): string {
    return String(this.store.currentRevision);
  }

  get requests(): readonly KubeRequestRecord[] {
    return this.log.all;
  }

  kubeConfig(options: { namespace?: string; token?: string } = {}): KubeConfig {
    const config = new KubeConfig();
    const trust = this.caCert
      ? { caData: Buffer.from(this.caCert).toString('base64') }
      : { skipTLSVerify: true };
    config.loadFromOptions({
      clusters: [{ name: 'meshplane-test', server: this.url, ...trust }],
      users: [{ name: 'meshplane-test', token: options.token ?? this.token }],
      contexts: [
        {
          name: 'meshplane-test',
          cluster: 'meshplane-test',
          user: 'meshplane-test',
          namespace: options.namespace,
        },
      ],
      currentContext: 'meshplane-test',
    });
    return config;
  }

  async writeKubeconfig(path: string, options: { namespace?: string } = {}): Promise<void> {
    const cluster: Record<string, string> = { server: this.url };
    if (this.caCert) cluster['certificate-authority-data'] = Buffer.from(this.caCert).toString('base64');
    const context: Record<string, string> = { cluster: 'meshplane-test', user: 'meshplane-test' };
    if (options.namespace) context.namespace = options.namespace;
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'meshplane-test', cluster }],
      users: [{ name: 'meshplane-test', user: { token: this.token } }],
      contexts: [{ name: 'meshplane-test', context }],
      'current-context': 'meshplane-test',
    };
    await writeFile(path, JSON.stringify(config, null, 2), { mode: 0o600 });
  }

  requestCount(filter?: KubeRequestFilter): number {
    return this.log.count(filter);
  }

  clearRequests(): void {
    this.log.clear();
  }

  openWatchCount(resource?: string): number {
    return [...this.watches].filter((w) => resource === undefined || w.resource === resource).length;
  }

  serveResource(resource: string): void {
    this.registry.serve(resource);
    this.openApi.invalidate();
  }

  create(object: KubeObject, options: { fieldManager?: string } = {}): KubeObject {
    const definition = this.definitionOf(object);
    return this.operations.create(
      definition,
      this.namespaceOf(definition, object),
      object,
      options.fieldManager ?? TEST_FIELD_MANAGER,
    );
  }

  update(object: KubeObject, options: { fieldManager?: string } = {}): KubeObject {
    const definition = this.definitionOf(object);
    const namespace = this.namespaceOf(definition, object);
    const manager = options.fieldManager ?? TEST_FIELD_MANAGER;
    return this.operations.update(definition, namespace, object.metadata.name ?? '', object, manager);
  }

  apply(object: KubeObject, fieldManager: string, options: { force?: boolean } = {}): KubeObject {
    const definition = this.definitionOf(object);
    const namespace = this.namespaceOf(definition, object);
    return this.operations.apply(
      definition,
      namespace,
      object.metadata.name ?? '',
      object,
      fieldManager,
      options.force ?? false,
    ).object;
  }

  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject {
    return this.operations.delete(this.definitionFor(apiVersion, kind), namespace, name);
  }

  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    try {
      return this.operations.get(this.definitionFor(apiVersion, kind), namespace, name);
    } catch (error) {
      if (error instanceof KubeApiError && error.reason === 'NotFound') return undefined;
      throw error;
    }
  }

  list(apiVersion: string, kind: string, namespace?: string): KubeObject[] {
    return this.operations.list(this.definitionFor(apiVersion, kind), { namespace }).items;
  }

  compact(): void {
    this.store.compact();
  }

  closeWatches(): void {
    for (const { session } of [...this.watches]) session.close();
  }

  async close(): Promise<void> {
    this.closeWatches();
    const http = this.http;
    if (!http) return;
    await new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    });
  }

  private definitionFor(apiVersion: string, kind: string): ResourceDefinition {
    const definition = this.registry.byKind(apiVersion, kind);
    if (!definition)
      throw new KubeApiError('NotFound', `no resource of kind ${kind} is served in ${apiVersion}`);
    return definition;
  }

  private definitionOf(object: KubeObject): ResourceDefinition {
    if (!isJsonObject(object) || !isJsonObject(object.metadata)) {
      throw new KubeApiError('BadRequest', 'an object needs apiVersion, kind and metadata');
    }
    return this.definitionFor(object.apiVersion, object.kind);
  }

  private namespaceOf(definition: ResourceDefinition, object: KubeObject): string | undefined {
    return definition.namespaced ? (object.metadata.namespace ?? 'default') : undefined;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams);
    const method = request.method ?? 'GET';
    const route = routeRequest(this.registry, url.pathname);
    const record = this.log.add({ method, path: url.pathname, query, verb: verbOf(route, method, query) });
    if (route.kind === 'collection' || route.kind === 'object') {
      record.resource = resourceId(route.definition);
      if (route.namespace !== undefined) record.namespace = route.namespace;
    }
    if (route.kind === 'object') record.name = route.name;
    response.on('finish', () => {
      record.status ??= response.statusCode;
    });

    if (!this.options.anonymous && request.headers.authorization !== `Bearer ${this.token}`) {
      throw new KubeApiError('Unauthorized', 'Unauthorized');
    }
    await this.dispatch(route, request, response, query, record);
    if (response.headersSent) record.status ??= response.statusCode;
  }

  private async dispatch(
    route: Route,
    request: IncomingMessage,
    response: ServerResponse,
    query: Record<string, string>,
    record: KubeRequestRecord,
  ): Promise<void> {
    if (route.kind === 'collection') return this.handleCollection(route, request, response, query);
    if (route.kind === 'object') return this.handleObject(route, request, response, query, record);
    if (route.kind === 'unknown') {
      throw new KubeApiError('NotFound', 'the server could not find the requested resource');
    }
    if (request.method !== 'GET') {
      throw new KubeApiError(
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
    }
    if (route.kind === 'health') return sendText(response, 200, 'ok');
    if (route.kind === 'openapi-v2' || route.kind === 'openapi-v3')
      return this.sendOpenApi(route, request, response);
    const document = this.discoveryDocument(route, request);
    if (!document) throw new KubeApiError('NotFound', 'the server could not find the requested resource');
    sendJson(response, 200, document);
  }

  private sendOpenApi(
    route: Extract<Route, { kind: 'openapi-v2' | 'openapi-v3' }>,
    request: IncomingMessage,
    response: ServerResponse,
  ): void {
    if (!acceptsJson(request)) {
      // client-go asks for v2 as protobuf only; this server speaks JSON (kubectl then uses v3).
      throw new KubeApiError('NotAcceptable', 'only application/json is served for OpenAPI documents');
    }
    let document: Record<string, unknown> | undefined;
    if (route.kind === 'openapi-v2') document = this.openApi.v2();
    else if (route.path === undefined) document = this.openApi.v3Index();
    else document = this.openApi.v3GroupVersion(route.path)?.document;
    if (!document)
      throw new KubeApiError(
        'NotFound',
        `no OpenAPI document for ${route.kind === 'openapi-v3' ? route.path : 'v2'}`,
      );
    sendJson(response, 200, document);
  }

  /**
   * What a write's `fieldValidation` asks for: `Strict` refuses fields the kind's schema does not
   * declare (kubectl's default), `Warn` answers them in `Warning` headers, `Ignore` or none checks
   * nothing.
   */
  private admission(query: Record<string, string>, response: ServerResponse): AdmitObject | undefined {
    const mode = query.fieldValidation;
    if (mode === undefined || mode === 'Ignore') return undefined;
    if (!FIELD_VALIDATION.has(mode)) {
      throw new KubeApiError(
        'BadRequest',
        `fieldValidation: Unsupported value: "${mode}": supported values: "Ignore", "Strict", "Warn"`,
      );
    }
    return (definition, object) => {
      const table = this.openApi.schemas();
      const unknown = unknownFields(table, table.nameOf(definition), object);
      if (unknown.length === 0) return;
      const described = unknown.map((path) => `unknown field "${path}"`);
      if (mode === 'Strict') {
        throw new KubeApiError(
          'BadRequest',
          `${definition.kind} in version "${definition.version}" cannot be handled as a ${definition.kind}: strict decoding error: ${described.join(', ')}`,
        );
      }
      response.setHeader(
        'Warning',
        described.map((text) => `299 - ${JSON.stringify(text)}`),
      );
    };
  }

  private discoveryDocument(route: Route, request: IncomingMessage): Record<string, unknown> | undefined {
    switch (route.kind) {
      case 'version':
        return versionInfo(this.options.gitVersion ?? 'v1.31.0');
      case 'core-versions':
        return coreApiVersions(request.headers.host ?? new URL(this.url).host);
      case 'groups':
        return apiGroupList(this.registry);
      case 'group':
        return apiGroupDocument(this.registry, route.group);
      case 'resources':
        return apiResourceList(this.registry, route.group, route.version);
      default:
        return undefined;
    }
  }

  private async handleCollection(
    route: Extract<Route, { kind: 'collection' }>,
    request: IncomingMessage,
    response: ServerResponse,
    query: Record<string, string>,
  ): Promise<void> {
    const { definition, namespace } = route;
    const filterOptions = {
      namespace,
      labelSelector: query.labelSelector,
      fieldSelector: query.fieldSelector,
    };
    switch (request.method) {
      case 'GET':
        if (flag(query.watch))
          return this.startWatch(definition, response, query, objectFilter(definition, filterOptions));
        return sendJson(
          response,
          200,
          listDocument(
            definition,
            this.operations.list(definition, {
              ...filterOptions,
              limit: optionalNumber(query.limit),
              continueToken: query.continue,
              resourceVersion: query.resourceVersion,
              resourceVersionMatch: query.resourceVersionMatch,
            }),
          ),
        );
      case 'POST': {
        const body = decodeBody(await readBody(request), mediaTypeOf(request));
        const admit = this.admission(query, response);
        const created = this.operations.create(
          definition,
          namespace,
          body,
          updateManager(request, query),
          admit,
        );
        return sendJson(response, 201, created);
      }
      case 'DELETE': {
        const deleted = this.operations.deleteCollection(definition, filterOptions);
        return sendJson(
          response,
          200,
          listDocument(definition, { items: deleted, resourceVersion: this.resourceVersion }),
        );
      }
      default:
        throw new KubeApiError(
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
    }
  }

  private async handleObject(
    route: Extract<Route, { kind: 'object' }>,
    request: IncomingMessage,
    response: ServerResponse,
    query: Record<string, string>,
    record: KubeRequestRecord,
  ): Promise<void> {
    const { definition, namespace, name } = route;
    switch (request.method) {
      case 'GET': {
        if (!flag(query.watch))
          return sendJson(response, 200, this.operations.get(definition, namespace, name));
        const filter = objectFilter(definition, {
          namespace,
          fieldSelector: query.fieldSelector,
          labelSelector: query.labelSelector,
        });
        return this.startWatch(definition, response, query, (o) => o.metadata.name === name && filter(o));
      }
      case 'PUT': {
        const body = decodeBody(await readBody(request), mediaTypeOf(request));
        return sendJson(
          response,
          200,
          this.operations.update(
            definition,
            namespace,
            name,
            body,
            updateManager(request, query),
            this.admission(query, response),
          ),
        );
      }
      case 'PATCH': {
        const mediaType = mediaTypeOf(request);
        const patchType = PATCH_CONTENT_TYPES[mediaType];
        if (!patchType) {
          throw new KubeApiError(
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: ${Object.keys(PATCH_CONTENT_TYPES).join(', ')}`,
          );
        }
        record.patchType = patchType;
        const body = decodeBody(await readBody(request), mediaType);
        const manager = patchType === 'apply' ? (query.fieldManager ?? '') : updateManager(request, query);
        const result = this.operations.patch(definition, namespace, name, patchType, body, {
          manager,
          force: forceParameter(query),
          admit: this.admission(query, response),
        });
        return sendJson(response, result.created ? 201 : 200, result.object);
      }
      case 'DELETE': {
        const text = await readBody(request);
        const options = text.trim() ? decodeBody(text, 'application/json') : {};
        const preconditions =
          isJsonObject(options) && isJsonObject(options.preconditions) ? options.preconditions : undefined;
        const deleted = this.operations.delete(
          definition,
          namespace,
          name,
          preconditions as { uid?: string },
        );
        const body = definition.returnsDeletedObject
          ? deleted
          : this.operations.deletedStatus(definition, deleted);
        return sendJson(response, 200, body);
      }
      default:
        throw new KubeApiError(
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
    }
  }

  private startWatch(
    definition: ResourceDefinition,
    response: ServerResponse,
    query: Record<string, string>,
    filter: (object: KubeObject) => boolean,
  ): void {
    const entry = { resource: resourceId(definition) } as { session: WatchSession; resource: string };
    entry.session = WatchSession.start(
      this.store,
      response,
      {
        definition,
        filter,
        resourceVersion: query.resourceVersion,
        sendInitialEvents: flag(query.sendInitialEvents),
        allowBookmarks: flag(query.allowWatchBookmarks),
        bookmarkIntervalMs: this.options.bookmarkIntervalMs ?? 5000,
        timeoutSeconds: optionalNumber(query.timeoutSeconds),
      },
      () => this.watches.delete(entry),
    );
    if (entry.session.open) this.watches.add(entry);
  }

  private fail(response: ServerResponse, error: unknown): void {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const status =
      error instanceof KubeApiError
        ? error.toStatus()
        : failureStatus('InternalError', `internal error: ${String(error)}`);
    sendJson(response, status.code, status);
  }
}

function acceptsJson(request: IncomingMessage): boolean {
  const accept = request.headers.accept;
  if (!accept) return true;
  return accept.split(',').some((range) => {
    const type = range.split(';')[0]!.trim();
    return type === 'application/json' || type === 'application/*' || type === '*/*';
  });
}

/** A certificate for 127.0.0.1/localhost and the PEM of the throwaway CA that signed it. */
async function serverCredentials(): Promise<{ ca: string; cert: string; key: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'meshplane-kube-api-'));
  try {
    const ca = await createCertificateAuthority(dir, 'kube-api-ca');
    const server = await issueCertificate(dir, ca, 'kube-api', 'serverAuth', 'DNS:localhost,IP:127.0.0.1');
    const [caPem, cert, key] = await Promise.all([
      readFile(ca.cert, 'utf8'),
      readFile(server.cert, 'utf8'),
      readFile(server.key, 'utf8'),
    ]);
    return { ca: caPem, cert, key };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Starts a test Kubernetes API server on 127.0.0.1 with an empty in-memory store. */
export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const server = new TestKubeApiServer(options);
  await server.listen(options.port ?? 0);
  return server;
}

import { EventEmitter } from 'node:events';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  CLOSE_CODES,
  type GoodbyeMessage,
  type HelloMessage,
  HTTP_TELEMETRY_CAPABILITY,
  type ProtocolError,
  SUPPORTED_PROTOCOL_VERSIONS,
  TELEMETRY_CAPABILITY,
  type WelcomeMessage,
} from '@meshplane/protocol';
import { describeError } from './agent.errors.js';
import type { AgentConfig } from './config.js';
import {
  type AppliedVersionStore,
  FileAppliedVersionStore,
  MemoryAppliedVersionStore,
} from './config-apply/applied-version-store.js';
import {
  type ConfigAppliedInfo,
  ConfigEngine,
  type ConfigRefusedInfo,
  type ConfigStats,
  type OffboardReport,
} from './config-apply/config-engine.js';
import { CredentialClient, type FetchFunction } from './credentials/credential-client.js';
import { CredentialManager } from './credentials/credential-manager.js';
import type { CredentialStore } from './credentials/credential-store.js';
import { FileCredentialStore } from './credentials/file-credential-store.js';
import { SecretCredentialStore } from './credentials/secret-credential-store.js';
import type { InventoryDriver } from './drivers/driver.js';
import { loadKubeConfig } from './drivers/kubernetes/kube-config.js';
import { KubernetesDriver } from './drivers/kubernetes/kubernetes-driver.js';
import { loadScenario } from './drivers/simulated/scenario.js';
import { SimulatedDriver } from './drivers/simulated/simulated-driver.js';
import { type HealthServer, startHealthServer } from './health.js';
import {
  type DeltaSentInfo,
  InventoryPublisher,
  type SnapshotSentInfo,
} from './inventory/inventory-publisher.js';
import { InventoryStore } from './inventory/inventory-store.js';
import { createLogger, type Logger } from './log.js';
import { createAgentMetrics } from './metrics.js';
import { type DisconnectInfo, HubSession } from './session/hub-session.js';
import type { SessionStats } from './session/session-stats.js';
import {
  EnvoyAlsServer,
  type EnvoyAlsServerStats,
  NO_ENVOY_ALS_STATS,
} from './telemetry/envoy/envoy-als-server.js';
import { HttpRequestBuffer } from './telemetry/envoy/http-request-buffer.js';
import { FlowBuffer, type FlowBufferStats } from './telemetry/flow-buffer.js';
import type { RecordBufferStats } from './telemetry/record-buffer.js';
import { AGENT_CAPABILITIES, AGENT_VERSION, CONFIG_CAPABILITY } from './version.js';

export interface AgentEvents {
  /** A connection attempt starts (`attempt` 0 after a stable session). */
  connecting: [{ attempt: number }];
  /** The socket to the hub is open; `hello` is on its way. */
  connected: [];
  welcome: [WelcomeMessage];
  snapshotSent: [SnapshotSentInfo];
  /** A `config.push` was processed and answered with `config.result` (`complete` when nothing failed). */
  configApplied: [ConfigAppliedInfo];
  /** A `config.push` was refused (`stale_config`, `config_base_mismatch`) or superseded; nothing applied. */
  configRefused: [ConfigRefusedInfo];
  deltaSent: [DeltaSentInfo];
  disconnected: [DisconnectInfo];
  goodbye: [GoodbyeMessage];
  /** A hub frame was refused by the codec (counted in `stats.malformedFrames`). */
  frameRejected: [ProtocolError];
  credentialObtained: [{ clusterId: string; expiresAt: string }];
  credentialRotated: [{ clusterId: string; expiresAt: string }];
  /** The hub closed with a code that forbids reconnecting (revoked, deleted, unsupported protocol). */
  terminated: [{ code: number; reason: string }];
  /** The cluster was deleted from Meshplane and the agent removed the objects it managed. */
  offboarded: [OffboardReport];
  /** The agent could not start or continue (bad scenario, refused bootstrap token, ...). */
  failed: [{ error: Error }];
  stopped: [];
}

export interface AgentStats extends SessionStats, ConfigStats {
  /** The flow buffer's counters (records numbered, dropped, acknowledged, ...). */
  flows: FlowBufferStats;
  /** The HTTP (L7) record buffer's counters. */
  httpRequests: RecordBufferStats;
  /** The Envoy access-log service's counters; zeros when it is not running. */
  envoyAls: EnvoyAlsServerStats;
  snapshotsSent: number;
  deltasSent: number;
  changesSent: number;
  /** Objects currently in the agent's inventory. */
  inventoryObjects: number;
  /** Cluster objects dropped because they broke the protocol schema. */
  invalidObjects: number;
  credentialRotations: number;
}

export type AgentExit =
  | { kind: 'stopped' }
  | { kind: 'terminated'; code: number; reason: string }
  | { kind: 'failed'; error: Error };

export interface AgentHandle {
  readonly events: EventEmitter<AgentEvents>;
  /** A copy of the counters at the time of reading. */
  readonly stats: AgentStats;
  /** The inventory as the agent currently sees it. */
  readonly inventory: InventoryStore;
  /** Flow records kept until the hub acknowledges them. */
  readonly flows: FlowBuffer;
  /** HTTP (L7) records kept until the hub acknowledges them. */
  readonly httpRequests: HttpRequestBuffer;
  /** The Envoy access-log service's port, when it runs. */
  readonly envoyAlsPort: number | undefined;
  /** Resolves when the agent ends: stopped, terminated by the hub, or failed. */
  readonly done: Promise<AgentExit>;
  /** The health server's base URL, when one was started. */
  readonly healthUrl: string | undefined;
  /** The welcome of the current session, if any. */
  readonly welcome: WelcomeMessage | undefined;
  /** Says goodbye to the hub, stops watching and releases every timer and socket. */
  stop(): Promise<void>;
}

/** Replaceable parts, for tests and for embedding the agent in another process. */
export interface StartAgentOptions {
  logger?: Logger;
  driver?: InventoryDriver;
  credentialStore?: CredentialStore;
  /** Kubernetes access for the kubernetes driver and the Secret store (else from the config). */
  kubeConfig?: KubeConfig;
  fetch?: FetchFunction;
  /** Jitter source for the reconnect backoff. */
  random?: () => number;
  /** Fraction of a credential's lifetime after which it is rotated; default 0.8. */
  rotateAfterFraction?: number;
  /** Where the last applied config version is kept (else `config.configVersionFile`, else memory). */
  appliedVersionStore?: AppliedVersionStore;
}

/**
 * Starts an agent: loads the driver and the credential (exchanging the bootstrap token only
 * when none is stored), then keeps a session with the hub that reports the inventory. Returns
 * at once; progress is reported through `events`, the end through `done`.
 */
export async function startAgent(config: AgentConfig, options: StartAgentOptions = {}): Promise<AgentHandle> {
  const agent = new Agent(config, options);
  await agent.startHealth();
  void agent.run();
  return agent;
}

class Agent implements AgentHandle {
  readonly events = new EventEmitter<AgentEvents>();
  readonly inventory = new InventoryStore();
  readonly flows: FlowBuffer;
  readonly httpRequests: HttpRequestBuffer;
  readonly done: Promise<AgentExit>;
  private envoyAls: EnvoyAlsServer | undefined;
  private alsPort: number | undefined;
  private resolveDone!: (exit: AgentExit) => void;
  private logger: Logger;
  private readonly credentials: CredentialManager;
  private readonly publisher: InventoryPublisher;
  private readonly session: HubSession;
  private driver: InventoryDriver | undefined;
  private configEngine: ConfigEngine | undefined;
  private readonly appliedVersions: AppliedVersionStore;
  /** Saves of the applied version, chained so that they land in order. */
  private versionSaved: Promise<void> = Promise.resolve();
  private health: HealthServer | undefined;
  private exit: AgentExit | undefined;
  private credentialRejected = false;
  private readonly counters = { snapshotsSent: 0, deltasSent: 0, changesSent: 0, credentialRotations: 0 };

  constructor(
    private readonly config: AgentConfig,
    private readonly options: StartAgentOptions,
  ) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    this.logger =
      options.logger ?? createLogger({ level: config.logLevel, base: { component: 'meshplane-agent' } });
    this.credentials = this.createCredentialManager();
    this.flows = new FlowBuffer(config.flowBufferRecords);
    this.httpRequests = new HttpRequestBuffer(config.httpBufferRecords);
    this.appliedVersions =
      options.appliedVersionStore ??
      (config.configVersionFile === undefined
        ? new MemoryAppliedVersionStore()
        : new FileAppliedVersionStore(config.configVersionFile));
    this.publisher = new InventoryPublisher({
      store: this.inventory,
      windowMs: config.deltaWindowMs,
      logger: this.logger,
      onSnapshotSent: (info) => {
        this.counters.snapshotsSent += 1;
        this.events.emit('snapshotSent', info);
      },
      onDeltaSent: (info) => {
        this.counters.deltasSent += 1;
        this.counters.changesSent += info.changes;
        this.events.emit('deltaSent', info);
      },
    });
    this.session = this.createSession();
  }

  get stats(): AgentStats {
    return {
      ...this.session.stats,
      ...this.counters,
      ...(this.configEngine?.stats ?? NO_CONFIG_STATS),
      flows: this.flows.stats,
      httpRequests: this.httpRequests.stats,
      envoyAls: this.envoyAls?.stats ?? { ...NO_ENVOY_ALS_STATS },
      inventoryObjects: this.inventory.size,
      invalidObjects: this.inventory.invalidObjects,
    };
  }

  get envoyAlsPort(): number | undefined {
    return this.alsPort;
  }

  get healthUrl(): string | undefined {
    return this.health?.url;
  }

  get welcome(): WelcomeMessage | undefined {
    return this.session.currentWelcome;
  }

  async startHealth(): Promise<void> {
    if (this.config.health === undefined) return;
    this.health = await startHealthServer(this.config.health.host, this.config.health.port, {
      live: () => this.exit === undefined || this.exit.kind === 'stopped',
      ready: () => this.session.healthy,
      details: () => ({
        clusterId: this.session.currentWelcome?.clusterId,
        connected: this.session.healthy,
        welcomes: this.session.stats.welcomes,
      }),
      metrics: createAgentMetrics(
        () => this.stats,
        () => this.session.healthy,
      ),
    });
    this.logger.info('health server listening', { url: this.health.url });
  }

  async run(): Promise<void> {
    try {
      this.driver = this.options.driver ?? (await this.createDriver());
      if (this.exit !== undefined) return;
      this.logger.info('starting inventory driver', { driver: this.driver.name });
      await this.driver.start(this.inventory);
      if (this.exit !== undefined) return;
      if (this.driver.config !== undefined) this.configEngine = await this.createConfigEngine(this.driver);
      this.driver.flows?.start((flow) => this.flows.push(flow));
      this.driver.httpRequests?.start((request) => this.httpRequests.push(request));
      await this.startEnvoyAls();
      if (this.exit !== undefined) return;
      const credential = await this.credentials.obtain();
      this.events.emit('credentialObtained', {
        clusterId: credential.clusterId,
        expiresAt: credential.expiresAt,
      });
      if (this.exit !== undefined) return;
      this.credentials.scheduleRotation();
      this.session.start();
    } catch (error) {
      if (this.exit === undefined) await this.finish({ kind: 'failed', error: asError(error) });
    }
  }

  async stop(): Promise<void> {
    await this.finish({ kind: 'stopped' });
  }

  private async finish(exit: AgentExit): Promise<void> {
    if (this.exit !== undefined) {
      await this.done;
      return;
    }
    this.exit = exit;
    if (exit.kind === 'failed') {
      this.logger.fatal('agent failed', {
        error: exit.error.message,
        code: (exit.error as { code?: string }).code,
      });
      this.events.emit('failed', { error: exit.error });
    }
    this.credentials.stop();
    this.publisher.close();
    this.driver?.flows?.stop();
    this.driver?.httpRequests?.stop();
    await this.envoyAls?.stop();
    await this.session.stop();
    await this.driver?.stop().catch((error: unknown) => {
      this.logger.warn('driver did not stop cleanly', { error: describeError(error) });
    });
    await this.versionSaved;
    await this.health?.close();
    this.logger.info('agent stopped', { exit: exit.kind, stats: this.stats });
    if (exit.kind === 'stopped') this.events.emit('stopped');
    this.resolveDone(exit);
  }

  /** Whether HTTP records come in: Envoy's access-log service runs, or the driver makes them. */
  private holdsHttp(): boolean {
    return this.envoyAls !== undefined || this.driver?.httpRequests !== undefined;
  }

  /** The Envoy access-log service, when configured: its records go to the HTTP buffer. */
  private async startEnvoyAls(): Promise<void> {
    if (this.config.envoyAls === undefined) return;
    const server = new EnvoyAlsServer({ ...this.config.envoyAls, logger: this.logger }, (draft) =>
      this.httpRequests.push(draft),
    );
    this.alsPort = await server.start();
    this.envoyAls = server;
  }

  private createCredentialManager(): CredentialManager {
    const options: ConstructorParameters<typeof CredentialManager>[0] = {
      store: this.options.credentialStore ?? this.createCredentialStore(),
      client: new CredentialClient({
        apiUrl: this.config.apiUrl,
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      }),
      logger: this.logger,
      retryBaseMs: this.config.backoffBaseMs,
      onRotated: (credential) => {
        this.counters.credentialRotations += 1;
        this.events.emit('credentialRotated', {
          clusterId: credential.clusterId,
          expiresAt: credential.expiresAt,
        });
      },
    };
    if (this.config.bootstrapToken !== undefined) options.bootstrapToken = this.config.bootstrapToken;
    if (this.options.rotateAfterFraction !== undefined)
      options.rotateAfterFraction = this.options.rotateAfterFraction;
    if (this.options.random !== undefined) options.random = this.options.random;
    return new CredentialManager(options);
  }

  private createCredentialStore(): CredentialStore {
    const store = this.config.credentialStore;
    if (store.kind === 'file') return new FileCredentialStore(store.path);
    const kubeConfig = this.options.kubeConfig ?? loadKubeConfig(store.kubeconfigPath);
    return new SecretCredentialStore(kubeConfig, store.namespace, store.name);
  }

  private async createDriver(): Promise<InventoryDriver> {
    const driver = this.config.driver;
    if (driver.kind === 'simulated')
      return new SimulatedDriver(await loadScenario(driver.scenarioPath), this.logger);
    const kubeConfig = this.options.kubeConfig ?? loadKubeConfig(driver.kubeconfigPath);
    return new KubernetesDriver({
      kubeConfig,
      logger: this.logger,
      ...(driver.goldmane === undefined ? {} : { goldmane: driver.goldmane }),
    });
  }

  private async createConfigEngine(driver: InventoryDriver): Promise<ConfigEngine | undefined> {
    const target = driver.config;
    if (target === undefined) return undefined;
    const appliedVersion = await this.appliedVersions.load().catch((error: unknown) => {
      this.logger.warn('could not read the last applied config version; starting from 0', {
        store: this.appliedVersions.description,
        error: describeError(error),
      });
      return 0;
    });
    return new ConfigEngine({
      target,
      logger: this.logger,
      appliedVersion,
      send: (message) => this.session.currentWelcome !== undefined && this.session.send(message),
      onVersionApplied: (version) => this.saveAppliedVersion(version),
      onApplied: (info) => this.events.emit('configApplied', info),
      onRefused: (info) => this.events.emit('configRefused', info),
    });
  }

  private saveAppliedVersion(version: number): void {
    this.versionSaved = this.versionSaved
      .then(() => this.appliedVersions.save(version))
      .catch((error: unknown) => {
        this.logger.warn('could not persist the applied config version', {
          store: this.appliedVersions.description,
          version,
          error: describeError(error),
        });
      });
  }

  private createSession(): HubSession {
    const session = new HubSession({
      url: this.config.hubUrl,
      logger: this.logger,
      hello: () => this.hello(),
      acceptsConfig: () => this.configEngine !== undefined,
      telemetry: this.flows,
      httpTelemetry: this.httpRequests,
      prepareConnect: async () => {
        // hello reports the kinds served now: a Calico upgraded meanwhile gets its bundle on reconnect.
        await this.driver?.refreshClusterInfo?.();
        if (!this.credentialRejected) return;
        this.credentialRejected = false;
        await this.credentials.reload();
      },
      backoff: {
        baseMs: this.config.backoffBaseMs,
        capMs: this.config.backoffCapMs,
        ...(this.options.random ? { random: this.options.random } : {}),
      },
      stableSessionMs: this.config.stableSessionMs,
      welcomeTimeoutMs: this.config.welcomeTimeoutMs,
    });
    session.on('connecting', (info) => this.events.emit('connecting', info));
    session.on('open', () => this.events.emit('connected'));
    session.on('welcome', (welcome) => {
      this.flows.resume(welcome.telemetryCursor);
      this.httpRequests.resume(welcome.httpTelemetryCursor);
      this.events.emit('welcome', welcome);
      this.publisher.startSession(session);
      this.configEngine?.sessionStarted();
    });
    session.on('inventoryGap', () => this.publisher.resnapshot());
    session.on('configPush', (push) => this.configEngine?.receive(push));
    session.on('goodbye', (goodbye) => this.events.emit('goodbye', goodbye));
    session.on('frameRejected', (error) => this.events.emit('frameRejected', error));
    session.on('credentialRejected', () => {
      this.credentialRejected = true;
    });
    session.on('disconnected', (info) => {
      this.publisher.endSession();
      this.events.emit('disconnected', info);
    });
    session.on('terminated', (info) => {
      this.events.emit('terminated', info);
      void this.terminate(info);
    });
    return session;
  }

  /** Ends the agent after a close that forbids reconnecting; a deleted cluster is offboarded first. */
  private async terminate(info: { code: number; reason: string }): Promise<void> {
    if (info.code === CLOSE_CODES.deleted) await this.offboard();
    await this.finish({ kind: 'terminated', ...info });
  }

  /**
   * The cluster was deleted from Meshplane: remove every object the agent applied (labelled as
   * Meshplane's), so no tier, policy or stale network set stays enforced. The report goes to the
   * log (`kubectl logs`), since the hub has no session for a deleted cluster any more.
   */
  private async offboard(): Promise<void> {
    const engine = this.configEngine;
    if (engine === undefined) return;
    try {
      const report = await engine.offboard();
      const failures = report.failed.map(
        (entry) => `${entry.kind} ${entry.name}: ${entry.message ?? 'failed'}`,
      );
      if (failures.length === 0) {
        this.logger.info('offboarded: removed every object Meshplane managed in this cluster', {
          removed: report.removed,
        });
      } else {
        this.logger.error('offboarding left objects behind; remove them with the uninstall command', {
          removed: report.removed,
          failed: failures.length,
          failures: failures.slice(0, 20),
        });
      }
      this.events.emit('offboarded', report);
    } catch (error) {
      this.logger.error(
        'could not offboard: the objects Meshplane managed stay; remove them with the uninstall command',
        {
          error: describeError(error),
        },
      );
    }
  }

  /** `config.v1` only when the driver can apply config; `telemetry.v1` with a flow source; `telemetry.http.v1` with HTTP records. */
  private capabilities(): string[] {
    const capabilities: string[] = AGENT_CAPABILITIES.filter(
      (capability) => capability !== CONFIG_CAPABILITY || this.configEngine !== undefined,
    );
    if (this.driver?.flows !== undefined) capabilities.push(TELEMETRY_CAPABILITY);
    if (this.holdsHttp()) capabilities.push(HTTP_TELEMETRY_CAPABILITY);
    return capabilities;
  }

  private hello(): HelloMessage {
    return {
      type: 'hello',
      protocols: [...SUPPORTED_PROTOCOL_VERSIONS],
      credential: this.credentials.current().credential,
      agent: { version: AGENT_VERSION, capabilities: this.capabilities() },
      cluster: this.driver?.clusterInfo() ?? {},
      lastAppliedConfigVersion: this.configEngine?.appliedVersion ?? 0,
      telemetryCursor: this.flows.cursor,
      ...(this.holdsHttp() ? { httpTelemetryCursor: this.httpRequests.cursor } : {}),
    };
  }
}

const NO_CONFIG_STATS: ConfigStats = {
  configPushesReceived: 0,
  configPushesApplied: 0,
  configPushesIncomplete: 0,
  configPushesRefused: 0,
  lastAppliedConfigVersion: 0,
};

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

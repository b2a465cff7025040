import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  makeInformer,
  VersionApi,
} from '@kubernetes/client-node';
import { backoffDelay, type InventoryKind, type InventoryObject, isClusterScoped } from '@meshplane/protocol';
import { describeError } from '../../agent.errors.js';
import type { InventorySink } from '../../inventory/inventory-store.js';
import type { Logger } from '../../log.js';
import {
  GoldmaneFlowSource,
  type GoldmaneFlowSourceOptions,
} from '../../telemetry/goldmane/goldmane-flow-source.js';
import type { ClusterInfo, InventoryDriver } from '../driver.js';
import { ApiDiscovery } from './api-discovery.js';
import {
  type CustomObject,
  endpointSliceToInventory,
  hostEndpointToInventory,
  namespaceToInventory,
  nodeToInventory,
  podToInventory,
  serviceAccountToInventory,
  serviceExportToInventory,
  serviceToInventory,
} from './convert.js';
import { KubernetesConfigTarget } from './kubernetes-config-target.js';

export interface KubernetesDriverOptions {
  kubeConfig: KubeConfig;
  logger: Logger;
  /** Backoff before restarting a watch that failed; default 500 ms → 30 s. */
  retryBaseMs?: number;
  retryCapMs?: number;
  /** Calico's flow API (Goldmane); when set, the driver's `flows` stream from it. */
  goldmane?: Omit<GoldmaneFlowSourceOptions, 'logger'>;
}

/** One resource type the driver watches. */
interface ResourceSpec<T extends KubernetesObject> {
  kind: InventoryKind;
  /** Collection path across all namespaces, e.g. `/api/v1/pods`. */
  path: string;
  list: () => Promise<KubernetesListObject<T>>;
  convert: (object: T) => InventoryObject;
  /** A custom resource that may not be installed (Calico, MCS): skipped with a warning when absent. */
  optional?: { group: string; version: string; plural: string };
}

/** A started informer, whatever its object type. */
interface ResourceWatch {
  kind: InventoryKind;
  informer: Informer<KubernetesObject> & { list(): ReadonlyArray<KubernetesObject> };
}

/**
 * Watches the cluster with `@kubernetes/client-node` informers (list, then watch; a 410 Expired
 * makes the informer relist, and objects gone meanwhile arrive as deletes). A watch that fails
 * is restarted with backoff. Calico HostEndpoints and MCS ServiceExports are optional. With a
 * Goldmane address configured, the cluster's flows come from Calico's flow API.
 */
export class KubernetesDriver implements InventoryDriver {
  readonly name = 'kubernetes';
  private readonly watches: ResourceWatch[] = [];
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  private kubernetesVersion: string | undefined;
  private stopped = false;
  /** Server-side applies pushed config and prunes what Meshplane applied before. */
  readonly config: KubernetesConfigTarget;
  /** The cluster's flows from Goldmane, when configured; without it the agent holds no telemetry. */
  readonly flows?: GoldmaneFlowSource;

  /** Which kinds the API server serves and the Calico release: for hello and before each push. */
  private readonly discovery: ApiDiscovery;

  constructor(private readonly options: KubernetesDriverOptions) {
    this.discovery = new ApiDiscovery(options.kubeConfig, options.logger.child({ component: 'discovery' }));
    this.config = new KubernetesConfigTarget(options.kubeConfig, this.discovery);
    if (options.goldmane !== undefined) {
      this.flows = new GoldmaneFlowSource({
        ...options.goldmane,
        logger: options.logger.child({ component: 'goldmane' }),
      });
    }
  }

  async start(sink: InventorySink): Promise<void> {
    const { kubeConfig } = this.options;
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const discovery = kubeConfig.makeApiClient(DiscoveryV1Api);
    const custom = kubeConfig.makeApiClient(CustomObjectsApi);
    const customList = (group: string, version: string, plural: string) => () =>
      custom.listClusterCustomObject({ group, version, plural }) as Promise<
        KubernetesListObject<CustomObject>
      >;

    this.kubernetesVersion = await this.readVersion(kubeConfig);
    await this.discovery.refresh();
    const specs = [
      this.spec({
        kind: 'namespace',
        path: '/api/v1/namespaces',
        list: () => core.listNamespace(),
        convert: namespaceToInventory,
      }),
      this.spec({
        kind: 'node',
        path: '/api/v1/nodes',
        list: () => core.listNode(),
        convert: nodeToInventory,
      }),
      this.spec({
        kind: 'serviceaccount',
        path: '/api/v1/serviceaccounts',
        list: () => core.listServiceAccountForAllNamespaces(),
        convert: serviceAccountToInventory,
      }),
      this.spec({
        kind: 'pod',
        path: '/api/v1/pods',
        list: () => core.listPodForAllNamespaces(),
        convert: podToInventory,
      }),
      this.spec({
        kind: 'service',
        path: '/api/v1/services',
        list: () => core.listServiceForAllNamespaces(),
        convert: serviceToInventory,
      }),
      this.spec({
        kind: 'endpointslice',
        path: '/apis/discovery.k8s.io/v1/endpointslices',
        list: () => discovery.listEndpointSliceForAllNamespaces(),
        convert: endpointSliceToInventory,
      }),
      this.spec<CustomObject & KubernetesObject>({
        kind: 'hostendpoint',
        path: '/apis/projectcalico.org/v3/hostendpoints',
        list: customList('projectcalico.org', 'v3', 'hostendpoints'),
        convert: hostEndpointToInventory,
        optional: { group: 'projectcalico.org', version: 'v3', plural: 'hostendpoints' },
      }),
      this.spec<CustomObject & KubernetesObject>({
        kind: 'serviceexport',
        path: '/apis/multicluster.x-k8s.io/v1alpha1/serviceexports',
        list: customList('multicluster.x-k8s.io', 'v1alpha1', 'serviceexports'),
        convert: serviceExportToInventory,
        optional: { group: 'multicluster.x-k8s.io', version: 'v1alpha1', plural: 'serviceexports' },
      }),
    ];
    for (const start of specs) {
      if (this.stopped) return;
      const watch = await start(sink, custom);
      if (watch !== undefined) this.watches.push(watch);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.restartTimers) clearTimeout(timer);
    this.restartTimers.clear();
    await Promise.all(this.watches.map((watch) => watch.informer.stop()));
  }

  clusterInfo(): ClusterInfo {
    const info: ClusterInfo = {};
    if (this.kubernetesVersion !== undefined) info.kubernetesVersion = this.kubernetesVersion;
    const nodes = this.watches.find((watch) => watch.kind === 'node');
    if (nodes !== undefined) info.nodeCount = nodes.informer.list().length;
    return { ...info, ...this.discovery.report() };
  }

  async refreshClusterInfo(): Promise<void> {
    await this.discovery.refresh();
  }

  private async readVersion(kubeConfig: KubeConfig): Promise<string | undefined> {
    try {
      return (await kubeConfig.makeApiClient(VersionApi).getCode()).gitVersion;
    } catch (error) {
      this.options.logger.warn('could not read the Kubernetes version', { error: describeError(error) });
      return undefined;
    }
  }

  /** Binds a typed resource spec into a starter that hides its object type. */
  private spec<T extends KubernetesObject>(spec: ResourceSpec<T>) {
    return async (sink: InventorySink, custom: CustomObjectsApi): Promise<ResourceWatch | undefined> => {
      if (spec.optional !== undefined && !(await this.isServed(custom, spec))) return undefined;
      const informer = makeInformer<T>(this.options.kubeConfig, spec.path, spec.list);
      const upsert = (object: T) => sink.upsert(spec.convert(object));
      informer.on('add', upsert);
      informer.on('update', upsert);
      informer.on('delete', (object: T) => sink.remove(refOf(spec.kind, object)));
      await this.startUntilSynced(spec.kind, informer);
      return { kind: spec.kind, informer: informer as unknown as ResourceWatch['informer'] };
    };
  }

  /**
   * Starts the informer and waits for its first list; retries with backoff while it fails. The
   * informer reports later failures on `error` and stops; it is then restarted, relisting.
   */
  private async startUntilSynced<T extends KubernetesObject>(
    kind: InventoryKind,
    informer: Informer<T>,
  ): Promise<void> {
    let synced = false;
    let failure: unknown;
    let failures = 0;
    informer.on('error', (error: unknown) => {
      failure = error;
      if (this.stopped || !synced) return;
      const delay = this.retryDelay(failures++);
      this.options.logger.warn('watch failed; restarting', {
        kind,
        error: describeError(error),
        retryInMs: delay,
      });
      const timer = setTimeout(() => {
        this.restartTimers.delete(timer);
        if (!this.stopped) void informer.start();
      }, delay);
      this.restartTimers.add(timer);
    });
    // Any event means the watch works again: the next failure starts from a short delay.
    informer.on('change', () => {
      failures = 0;
    });
    while (!this.stopped) {
      failure = undefined;
      await informer.start();
      if (failure === undefined) break;
      const delay = this.retryDelay(failures++);
      this.options.logger.warn('initial list failed; retrying', {
        kind,
        error: describeError(failure),
        retryInMs: delay,
      });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    synced = true;
    failures = 0;
  }

  private retryDelay(failures: number): number {
    return Math.max(
      50,
      backoffDelay(failures, {
        baseMs: this.options.retryBaseMs ?? 500,
        capMs: this.options.retryCapMs ?? 30_000,
      }),
    );
  }

  private async isServed<T extends KubernetesObject>(
    custom: CustomObjectsApi,
    spec: ResourceSpec<T>,
  ): Promise<boolean> {
    const { group, version, plural } = spec.optional!;
    try {
      await custom.listClusterCustomObject({ group, version, plural, limit: 1 });
      return true;
    } catch (error) {
      if (error instanceof ApiException && (error.code === 404 || error.code === 403)) {
        this.options.logger.warn(
          `${plural}.${group}/${version} is not served or not readable; not watching it`,
          {
            kind: spec.kind,
            status: error.code,
          },
        );
        return false;
      }
      // Anything else is trouble reaching the API: watch anyway, the informer retries.
      return true;
    }
  }
}

function refOf(kind: InventoryKind, object: KubernetesObject) {
  const name = object.metadata?.name ?? '';
  return isClusterScoped(kind)
    ? { kind, name }
    : { kind, namespace: object.metadata?.namespace ?? 'default', name };
}

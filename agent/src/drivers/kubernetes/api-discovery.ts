import { ApiException, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { CalicoVersion, MAX_CALICO_KINDS } from '@meshplane/protocol';
import { describeError } from '../../agent.errors.js';
import { managedApiVersions, type ServedApi } from '../../config-apply/served-kinds.js';
import type { Logger } from '../../log.js';

const CALICO_GROUP = 'projectcalico.org';
const CALICO_API_VERSION = `${CALICO_GROUP}/v3`;
/** How long one discovery may take before the agent goes on with what it knew. */
const DISCOVERY_TIMEOUT_MS = 10_000;

/**
 * What the API server serves, through API discovery (`GET /apis/<group>/<version>`, the list
 * kubectl resolves kinds with) of the group versions Meshplane applies, and the Calico release
 * from `ClusterInformation` `default` (`.spec.calicoVersion`, which calico/node keeps current).
 * Keeps the latest answer for `hello`.
 */
export class ApiDiscovery {
  private readonly custom: CustomObjectsApi;
  private last: ServedApi | undefined;
  private warnedVersion = false;

  constructor(
    kubeConfig: KubeConfig,
    private readonly logger: Logger,
  ) {
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
  }

  /** The latest discovery that succeeded, if any. */
  get latest(): ServedApi | undefined {
    return this.last;
  }

  /** Discovers now; throws when the API server cannot say (anything but 404 for a group version). */
  async discover(): Promise<ServedApi> {
    const kinds = new Map<string, ReadonlySet<string>>();
    await withTimeout(
      Promise.all(
        managedApiVersions().map(async (apiVersion) => {
          const served = await this.kindsOf(apiVersion);
          if (served !== undefined) kinds.set(apiVersion, served);
        }),
      ),
    );
    const served: ServedApi = { kinds };
    if (kinds.get(CALICO_API_VERSION)?.has('ClusterInformation')) {
      const calicoVersion = await this.calicoVersion();
      if (calicoVersion !== undefined) served.calicoVersion = calicoVersion;
    }
    this.last = served;
    return served;
  }

  /** {@link discover}, logging a failure and keeping the previous answer. */
  async refresh(): Promise<void> {
    try {
      await this.discover();
    } catch (error) {
      this.logger.warn('could not discover the kinds the API server serves', { error: describeError(error) });
    }
  }

  /** What `hello.cluster` carries: the Calico version and kinds, when discovery has answered. */
  report(): { calicoVersion?: string; calicoKinds?: string[] } {
    const served = this.last;
    if (served === undefined) return {};
    const calicoKinds = [...(served.kinds.get(CALICO_API_VERSION) ?? [])].sort().slice(0, MAX_CALICO_KINDS);
    return served.calicoVersion === undefined
      ? { calicoKinds }
      : { calicoVersion: served.calicoVersion, calicoKinds };
  }

  /** The kinds of one group version; undefined when it is not served (404). */
  private async kindsOf(apiVersion: string): Promise<ReadonlySet<string> | undefined> {
    const [group, version] = apiVersion.split('/') as [string, string];
    try {
      const list = await this.custom.getAPIResources({ group, version });
      // Subresources (`tiers/status`) share their parent's kind; only top-level resources count.
      return new Set(list.resources.filter((resource) => !resource.name.includes('/')).map((r) => r.kind));
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return undefined;
      throw new Error(`discovery of ${apiVersion}: ${describeError(error)}`);
    }
  }

  private async calicoVersion(): Promise<string | undefined> {
    try {
      const info = (await withTimeout(
        this.custom.getClusterCustomObject({
          group: CALICO_GROUP,
          version: 'v3',
          plural: 'clusterinformations',
          name: 'default',
        }),
      )) as { spec?: { calicoVersion?: unknown } };
      const reported = info.spec?.calicoVersion;
      const parsed = CalicoVersion.safeParse(reported);
      if (parsed.success) return parsed.data;
      this.warnVersionOnce('ClusterInformation default has no Calico version the agent can report', {
        calicoVersion: typeof reported === 'string' ? reported.slice(0, 64) : typeof reported,
      });
    } catch (error) {
      this.warnVersionOnce('could not read the Calico version from ClusterInformation default', {
        error: describeError(error),
      });
    }
    return undefined;
  }

  private warnVersionOnce(message: string, fields: Record<string, unknown>): void {
    if (this.warnedVersion) return;
    this.warnedVersion = true;
    this.logger.warn(message, fields);
  }
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the API server did not answer within ${DISCOVERY_TIMEOUT_MS} ms`)),
      DISCOVERY_TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

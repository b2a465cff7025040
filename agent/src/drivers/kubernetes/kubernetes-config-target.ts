import {
  ApiException,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import type { ConfigObject, ConfigObjectRef } from '@meshplane/protocol';
import { describeError } from '../../agent.errors.js';
import type { ConfigTarget, ManagedObject } from '../../config-apply/config-target.js';
import {
  FIELD_MANAGER,
  MANAGED_KINDS,
  MANAGED_SELECTOR,
  type ManagedKind,
} from '../../config-apply/managed-kinds.js';
import type { ServedApi } from '../../config-apply/served-kinds.js';
import type { ApiDiscovery } from './api-discovery.js';

const PAGE_SIZE = 500;

/**
 * Applies config to a Kubernetes cluster: server-side apply with field manager `meshplane` and
 * `force` (Meshplane owns every field it sends), deletes for pruning, and label-selector lists
 * of the managed kinds to find what Meshplane applied earlier.
 */
export class KubernetesConfigTarget implements ConfigTarget {
  private readonly client: KubernetesObjectApi;

  constructor(
    kubeConfig: KubeConfig,
    private readonly discovery: ApiDiscovery,
  ) {
    this.client = KubernetesObjectApi.makeApiClient(kubeConfig);
  }

  /** Discovery now, not a cached answer: a kind installed a moment ago counts. */
  async servedApi(): Promise<ServedApi> {
    return this.discovery.discover();
  }

  async listManaged(): Promise<ManagedObject[]> {
    const found: ManagedObject[] = [];
    for (const kind of MANAGED_KINDS) found.push(...(await this.listKind(kind)));
    return found;
  }

  async apply(object: ConfigObject): Promise<string> {
    try {
      const applied = await this.client.patch(
        structuredClone(object) as KubernetesObject,
        undefined,
        undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      );
      return applied.metadata?.resourceVersion ?? '';
    } catch (error) {
      throw new Error(kubeErrorMessage(error));
    }
  }

  async delete(ref: ConfigObjectRef): Promise<void> {
    const metadata: { name: string; namespace?: string } = { name: ref.name };
    if (ref.namespace !== undefined) metadata.namespace = ref.namespace;
    try {
      await this.client.delete({ apiVersion: ref.apiVersion, kind: ref.kind, metadata });
    } catch (error) {
      if (isNotFound(error)) return;
      throw new Error(kubeErrorMessage(error));
    }
  }

  /** Labelled objects of one kind across all namespaces; none when the kind is not installed. */
  private async listKind(kind: ManagedKind): Promise<ManagedObject[]> {
    const found: ManagedObject[] = [];
    let continueToken: string | undefined;
    do {
      let page: Awaited<ReturnType<KubernetesObjectApi['list']>>;
      try {
        page = await this.client.list(
          kind.apiVersion,
          kind.kind,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          MANAGED_SELECTOR,
          PAGE_SIZE,
          continueToken,
        );
      } catch (error) {
        if (isNotInstalled(error)) return [];
        throw new Error(`listing ${kind.kind}: ${kubeErrorMessage(error)}`);
      }
      for (const item of page.items) found.push(managedObject(kind, item));
      continueToken = page.metadata?._continue || undefined;
    } while (continueToken !== undefined);
    return found;
  }
}

function managedObject(kind: ManagedKind, item: KubernetesObject): ManagedObject {
  const ref: ConfigObjectRef = {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    name: item.metadata?.name ?? '',
  };
  if (kind.namespaced && item.metadata?.namespace) ref.namespace = item.metadata.namespace;
  return { ref, revision: item.metadata?.resourceVersion ?? '' };
}

function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}

/** A 404 on the collection, or a kind discovery does not know: the CRD is not installed. */
function isNotInstalled(error: unknown): boolean {
  return (
    isNotFound(error) ||
    (error instanceof Error && error.message.startsWith('Unrecognized API version and kind'))
  );
}

/** The API server's `Status.message` when there is one, else the error's own message. */
export function kubeErrorMessage(error: unknown): string {
  if (error instanceof ApiException) {
    const body: unknown = error.body;
    try {
      const status = (typeof body === 'string' ? JSON.parse(body) : body) as
        | { message?: unknown }
        | undefined;
      if (typeof status?.message === 'string') return `${error.code}: ${status.message}`;
    } catch {
      // not JSON: fall through to the generic message
    }
    return `HTTP ${error.code}`;
  }
  return describeError(error);
}

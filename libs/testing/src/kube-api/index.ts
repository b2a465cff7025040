/**
 * A test Kubernetes API server for the real `@kubernetes/client-node`: discovery, CRUD, lists with
 * selectors and pagination, watches with history replay, bookmarks and 410 Expired, server-side
 * apply with field managers, merge and JSON patches, bearer-token auth.
 *
 * ```ts
 * const server = await startKubeApiServer();
 * server.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' } });
 * const pods = await server.kubeConfig().makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'shop' });
 * server.compact(); // older resourceVersions now get 410 Expired
 * server.requestCount({ verb: 'list', resource: 'pods' });
 * await server.close();
 * ```
 */
export { KUBE_API_ERROR_CODES, KubeApiError, type KubeApiErrorCode } from './kube-api.errors.js';
export {
  type KubeApiServer,
  type KubeApiServerOptions,
  startKubeApiServer,
  TEST_FIELD_MANAGER,
} from './kube-api-server.js';
export type {
  FieldsV1,
  KubeObject,
  KubeStatus,
  ManagedFieldsEntry,
  ObjectMeta,
  WatchEvent,
  WatchEventType,
} from './kube-object.js';
export type { KubeRequestFilter, KubeRequestRecord, KubeVerb } from './request-log.js';
export type { PatchType } from './resource-operations.js';
export { DEFAULT_RESOURCES, type ResourceDefinition } from './resource-registry.js';

import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { EndpointSlice } from 'kubernetes-models/discovery.k8s.io/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import {
  ClusterRole,
  ClusterRoleBinding,
  Role,
  RoleBinding,
} from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';

// biome-ignore lint/suspicious/noExplicitAny: each model class takes its own object shape
type Model = new (data: any) => { validate(): void };

/** Kubernetes' own kinds, by `apiVersion/kind`, with the OpenAPI schemas kubernetes-models ships. */
const MODELS: Record<string, Model> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Secret': Secret,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'discovery.k8s.io/v1/EndpointSlice': EndpointSlice,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
};

/** Throws, naming the object and the schema violation, unless `object` is a valid Kubernetes object. */
export function validateKubernetesObject(object: {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
}) {
  const key = `${object.apiVersion}/${object.kind}`;
  const Model = MODELS[key];
  if (!Model) throw new Error(`no Kubernetes schema known for ${key}`);
  try {
    new Model(object).validate();
  } catch (error) {
    throw new Error(
      `${key} ${object.metadata?.name ?? '?'}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

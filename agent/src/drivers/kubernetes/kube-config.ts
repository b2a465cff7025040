import { KubeConfig } from '@kubernetes/client-node';
import { AgentError, describeError } from '../../agent.errors.js';

/** The KubeConfig from `KUBECONFIG` when given, else the pod's in-cluster service account. */
export function loadKubeConfig(kubeconfigPath?: string): KubeConfig {
  const config = new KubeConfig();
  try {
    if (kubeconfigPath === undefined) config.loadFromCluster();
    else config.loadFromFile(kubeconfigPath);
  } catch (error) {
    const source =
      kubeconfigPath === undefined ? 'the in-cluster service account' : `KUBECONFIG ${kubeconfigPath}`;
    throw new AgentError(
      'config_invalid',
      `cannot load a Kubernetes config from ${source}: ${describeError(error)}`,
    );
  }
  if (config.getCurrentCluster() === null) {
    throw new AgentError(
      'config_invalid',
      'the Kubernetes config names no current cluster (outside a cluster, set KUBECONFIG)',
    );
  }
  return config;
}

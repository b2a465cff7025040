import { parseAllDocuments } from 'yaml';
import { gql } from './graphql-client.js';

/** What a cluster's install manifest hands its agent (the bootstrap Secret's data). */
export interface InstalledCluster {
  clusterId: string;
  bootstrapToken: string;
  hubUrl: string;
  apiUrl: string;
}

/**
 * Registers a cluster through the gateway and fetches its install manifest the way
 * `kubectl apply -f <installCommand URL>` would, returning the bootstrap Secret's data for an agent.
 */
export async function registerAndInstall(
  gatewayUrl: string,
  token: string,
  cluster: { name: string; labels: Record<string, string> },
): Promise<InstalledCluster> {
  const registered = await gql<{ registerCluster: { cluster: { id: string }; installCommand: string } }>(
    gatewayUrl,
    'mutation($i: RegisterClusterInput!) { registerCluster(input: $i) { cluster { id } installCommand } }',
    {
      i: {
        name: cluster.name,
        labels: Object.entries(cluster.labels).map(([key, value]) => ({ key, value })),
      },
    },
    token,
  );
  if (!registered.data) throw new Error(`registerCluster failed: ${JSON.stringify(registered.errors)}`);
  return {
    clusterId: registered.data.registerCluster.cluster.id,
    ...(await fetchInstallManifest(registered.data.registerCluster.installCommand)),
  };
}

/**
 * Fetches the manifest of a one-line install command (`kubectl apply -f <url>`) as kubectl would
 * and returns what its bootstrap Secret hands the agent.
 */
export async function fetchInstallManifest(
  installCommand: string,
): Promise<Omit<InstalledCluster, 'clusterId'>> {
  const url = installCommand.split(' ').at(-1)!;
  const manifest = await fetch(url);
  if (!manifest.ok) throw new Error(`GET ${url}: HTTP ${manifest.status}`);
  const secret = parseAllDocuments(await manifest.text())
    .map((document) => document.toJS())
    .find((document) => document.kind === 'Secret');
  return {
    bootstrapToken: secret.stringData['bootstrap-token'],
    hubUrl: secret.stringData['hub-url'],
    apiUrl: secret.stringData['api-url'],
  };
}

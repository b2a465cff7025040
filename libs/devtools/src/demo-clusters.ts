import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The three simulated clusters the main job runs, with the labels the design's examples use. */
export const DEMO_CLUSTERS = [
  { name: 'eu-west-1', labels: { geo: 'eu', region: 'eu-west-1', env: 'prod' } },
  { name: 'eu-central-1', labels: { geo: 'eu', region: 'eu-central-1', env: 'prod' } },
  { name: 'us-east-1', labels: { geo: 'us', region: 'us-east-1', env: 'prod' } },
] as const;

export const DEMO_TENANT = {
  tenantName: 'Meshplane Demo',
  slug: 'meshplane-demo',
  email: process.env.DEMO_EMAIL ?? 'demo@meshplane.local',
  password: process.env.DEMO_PASSWORD ?? 'Meshplane-Demo-2026!',
};

interface GraphQLAnswer<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

async function graphql<T>(
  url: string,
  query: string,
  variables: object,
  token?: string,
): Promise<GraphQLAnswer<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLAnswer<T>;
}

function must<T>(answer: GraphQLAnswer<T>, what: string): T {
  if (!answer.data || answer.errors?.length)
    throw new Error(`${what}: ${answer.errors?.[0]?.message ?? 'no data'}`);
  return answer.data;
}

/** Signs in to the demo tenant, signing it up on the first run. */
export async function demoSession(gatewayUrl: string): Promise<string> {
  const { tenantName, slug, email, password } = DEMO_TENANT;
  const login = await graphql<{ login: { token: string } }>(
    gatewayUrl,
    'mutation($input: LoginInput!) { login(input: $input) { token } }',
    { input: { tenant: slug, email, password } },
  );
  if (login.data?.login) return login.data.login.token;
  const signUp = await graphql<{ signUp: { token: string } }>(
    gatewayUrl,
    'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
    { input: { tenantName, email, password } },
  );
  return must(signUp, 'demo sign-up').signUp.token;
}

export interface DemoAgentEnv {
  cluster: string;
  env: Record<string, string>;
}

/**
 * The real install path for each demo cluster: register it (or get a fresh install command for
 * it), fetch the manifest the command names, and take the bootstrap token and URLs from the
 * manifest's Secret — exactly what `kubectl apply` would hand the agent in a real cluster.
 */
export async function prepareDemoAgents(gatewayUrl: string, token: string): Promise<DemoAgentEnv[]> {
  const existing = must(
    await graphql<{ clusters: Array<{ id: string; name: string }> }>(
      gatewayUrl,
      '{ clusters { id name } }',
      {},
      token,
    ),
    'list clusters',
  ).clusters;
  const stateDir = mkdtempSync(join(tmpdir(), 'meshplane-demo-'));
  const agents: DemoAgentEnv[] = [];
  for (const demo of DEMO_CLUSTERS) {
    const found = existing.find((c) => c.name === demo.name);
    const installCommand = found
      ? must(
          await graphql<{ rotateInstallToken: { installCommand: string } }>(
            gatewayUrl,
            'mutation($id: ID!) { rotateInstallToken(id: $id) { installCommand } }',
            { id: found.id },
            token,
          ),
          `new install command for ${demo.name}`,
        ).rotateInstallToken.installCommand
      : must(
          await graphql<{ registerCluster: { installCommand: string } }>(
            gatewayUrl,
            'mutation($input: RegisterClusterInput!) { registerCluster(input: $input) { installCommand } }',
            {
              input: {
                name: demo.name,
                labels: Object.entries(demo.labels).map(([key, value]) => ({ key, value })),
              },
            },
            token,
          ),
          `register ${demo.name}`,
        ).registerCluster.installCommand;
    const manifestUrl = installCommand.split(' ').at(-1)!;
    const manifest = await fetch(manifestUrl);
    if (!manifest.ok) throw new Error(`install manifest for ${demo.name}: HTTP ${manifest.status}`);
    const secret = parseAllDocuments(await manifest.text())
      .map((document) => document.toJS() as { kind: string; stringData?: Record<string, string> })
      .find((object) => object.kind === 'Secret');
    if (!secret?.stringData) throw new Error(`install manifest for ${demo.name} has no Secret`);
    agents.push({
      cluster: demo.name,
      env: {
        MESHPLANE_DRIVER: 'simulated',
        MESHPLANE_SCENARIO: `agent/scenarios/${demo.name}.yaml`,
        MESHPLANE_CLUSTER_NAME: demo.name,
        MESHPLANE_BOOTSTRAP_TOKEN: secret.stringData['bootstrap-token']!,
        MESHPLANE_HUB_URL: secret.stringData['hub-url']!,
        MESHPLANE_API_URL: secret.stringData['api-url']!,
        MESHPLANE_CREDENTIAL_FILE: join(stateDir, `${demo.name}.credential`),
      },
    });
  }
  return agents;
}

export interface DemoClusterState {
  name: string;
  connected: boolean;
  endpoints: number;
}

/** Waits until every demo cluster is connected and has inventory; returns what it saw last. */
export async function waitForDemoClusters(gatewayUrl: string, token: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let states: DemoClusterState[] = [];
  while (Date.now() < deadline) {
    const answer = await graphql<{
      clusters: Array<{ id: string; name: string; status: { connected: boolean } }>;
    }>(gatewayUrl, '{ clusters { id name status { connected } } }', {}, token);
    const clusters = (answer.data?.clusters ?? []).filter((c) =>
      DEMO_CLUSTERS.some((d) => d.name === c.name),
    );
    states = await Promise.all(
      clusters.map(async (c) => {
        const endpoints = await graphql<{ endpoints: { nodes: unknown[] } }>(
          gatewayUrl,
          'query($c: ID) { endpoints(clusterId: $c, first: 500) { nodes { name } } }',
          { c: c.id },
          token,
        );
        return {
          name: c.name,
          connected: c.status.connected,
          endpoints: endpoints.data?.endpoints.nodes.length ?? 0,
        };
      }),
    );
    if (states.length === DEMO_CLUSTERS.length && states.every((s) => s.connected && s.endpoints > 0))
      return states;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`demo clusters not connected with inventory in time: ${JSON.stringify(states)}`);
}

/**
 * The demo's compliance zone: the EU clusters never exchange traffic with the others. The demo
 * declares it once the clusters have begun to talk, as a team adopting Meshplane would, so its
 * report holds the EU↔US flows recorded before it took effect (violations) and those its tier
 * has denied since (blocked).
 */
export const DEMO_ZONE = { name: 'eu', clusterSelector: "geo == 'eu'" } as const;

const inDemoZone = (cluster: string | null) =>
  DEMO_CLUSTERS.find((c) => c.name === cluster)?.labels.geo === 'eu';

export interface DemoZoneState {
  id: string;
  name: string;
  clusterSelector: string;
  /** Whether this run declared it (else an earlier run did). */
  created: boolean;
  /** Whether EU↔US traffic had been recorded before this run declared it. */
  crossedBefore: boolean;
}

/** EU-US flows the demo waits for before it declares its zone (so its report has some evidence). */
const FLOWS_BEFORE_ZONE = 10;

/**
 * The allowed flows recorded lately between a cluster of the demo zone and one outside it (each
 * flow once: of the two edges a flow through a Service makes, only one crosses clusters).
 */
async function zoneCrossings(gatewayUrl: string, token: string): Promise<number> {
  const now = Date.now();
  const answer = await graphql<{
    serviceGraph: {
      nodes: Array<{ id: string; cluster: string | null }>;
      edges: Array<{ source: string; destination: string; allowedFlows: number }>;
    };
  }>(
    gatewayUrl,
    'query($from: DateTime!, $to: DateTime!) { serviceGraph(from: $from, to: $to) { nodes { id cluster } edges { source destination allowedFlows } } }',
    { from: new Date(now - 15 * 60_000).toISOString(), to: new Date(now + 60_000).toISOString() },
    token,
  );
  const graph = answer.data?.serviceGraph;
  if (!graph) return 0;
  const clusterOf = new Map(graph.nodes.map((n) => [n.id, n.cluster]));
  let flows = 0;
  for (const edge of graph.edges) {
    const [from, to] = [clusterOf.get(edge.source) ?? null, clusterOf.get(edge.destination) ?? null];
    if (from !== null && to !== null && inDemoZone(from) !== inDemoZone(to)) flows += edge.allowedFlows;
  }
  return flows;
}

/**
 * Declares the demo's compliance zone unless it exists, once some EU↔US traffic has been recorded
 * (waiting at most `timeoutMs`; then it declares it anyway, and says whether any was).
 */
export async function seedDemoZone(
  gatewayUrl: string,
  token: string,
  timeoutMs = 45_000,
): Promise<DemoZoneState> {
  type Zone = { id: string; name: string; clusterSelector: string };
  const zones = must(
    await graphql<{ complianceZones: Zone[] }>(
      gatewayUrl,
      '{ complianceZones { id name clusterSelector } }',
      {},
      token,
    ),
    'list compliance zones',
  ).complianceZones;
  const existing = zones.find((z) => z.name === DEMO_ZONE.name);
  if (existing) return { ...existing, created: false, crossedBefore: false };
  const deadline = Date.now() + timeoutMs;
  let crossedBefore = false;
  for (;;) {
    const crossings = await zoneCrossings(gatewayUrl, token);
    crossedBefore = crossings > 0;
    if (crossings >= FLOWS_BEFORE_ZONE || Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const created = must(
    await graphql<{ createComplianceZone: { zone: Zone } }>(
      gatewayUrl,
      'mutation($input: CreateComplianceZoneInput!) { createComplianceZone(input: $input) { zone { id name clusterSelector } } }',
      { input: { name: DEMO_ZONE.name, clusterSelector: DEMO_ZONE.clusterSelector } },
      token,
    ),
    `create compliance zone ${DEMO_ZONE.name}`,
  ).createComplianceZone.zone;
  return { ...created, created: true, crossedBefore };
}

export interface DemoFederatedService {
  name: string;
  cluster: string;
  endpoints: number;
  /** The clusters its member Services live in, sorted. */
  memberClusters: string[];
}

/**
 * The demo's federated Services, per cluster, with the clusters their endpoints come from; waits
 * (at most `timeoutMs`) until each has endpoints from every demo cluster, as the policies service
 * computes them from the inventory a moment after it arrives.
 */
export async function demoFederation(
  gatewayUrl: string,
  token: string,
  timeoutMs = 15_000,
): Promise<DemoFederatedService[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const services = await federatedNow(gatewayUrl, token);
    const complete =
      services.length > 0 && services.every((s) => s.memberClusters.length === DEMO_CLUSTERS.length);
    if (complete || Date.now() >= deadline) return services;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function federatedNow(gatewayUrl: string, token: string): Promise<DemoFederatedService[]> {
  const { clusters, federatedServices } = must(
    await graphql<{
      clusters: Array<{ id: string; name: string }>;
      federatedServices: Array<{
        clusterId: string;
        namespace: string;
        name: string;
        endpointCount: number;
        members: Array<{ clusterId: string; addresses: string[] }>;
      }>;
    }>(
      gatewayUrl,
      '{ clusters { id name } federatedServices { clusterId namespace name endpointCount members { clusterId addresses } } }',
      {},
      token,
    ),
    'list federated services',
  );
  const nameOf = new Map(clusters.map((c) => [c.id, c.name]));
  return federatedServices
    .map((s) => ({
      name: `${s.namespace}/${s.name}`,
      cluster: nameOf.get(s.clusterId) ?? s.clusterId,
      endpoints: s.endpointCount,
      memberClusters: [
        ...new Set(
          s.members.filter((m) => m.addresses.length > 0).map((m) => nameOf.get(m.clusterId) ?? m.clusterId),
        ),
      ].sort(),
    }))
    .sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0));
}

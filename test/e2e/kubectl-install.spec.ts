/**
 * The one-line install as a user runs it: Debian's real `kubectl`, over TLS with a bearer token,
 * against the test API server (which serves discovery, OpenAPI v2/v3 and every kind of the
 * manifest). The test plays the kubelet: it starts the agent with the environment the stored
 * Deployment and Secret give it, then reads what the agent wrote back through kubectl.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  type ControlPlane,
  type KubeApiServer,
  signUpTenant,
  startControlPlane,
  startKubeApiServer,
} from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_SERVICE,
  apiSlice,
  eventually,
  FEDERATED_API,
  federatedEndpoints,
  type MeshAgent,
  must,
  startAgent,
} from './mesh-fixtures.js';
import { addTierAndPolicy } from './policies-fixtures.js';

const run = promisify(execFile);

const KUBECTL = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
if (!KUBECTL)
  console.warn('SKIPPED the kubectl install tests: kubectl is absent (apt-get install -y kubectl)');

/** The agent release the hub's manifest deploys here: newer than the agent the test runs (0.1.0). */
const RECOMMENDED = '0.2.0';
const NAMESPACE = 'meshplane-system';
const API_IP = '10.44.0.7';
const AGENT = 'meshplane-agent';
const REGISTER = `mutation($i: RegisterClusterInput!) {
  registerCluster(input: $i) { cluster { id } installCommand } }`;
const STATUS = `query($id: ID!) {
  cluster(id: $id) { status { connected } config { appliedVersion desiredVersion } } }`;

interface ClusterState {
  cluster: { status: { connected: boolean }; config: { appliedVersion: number; desiredVersion: number } };
}

/** What `kubectl apply` of the install manifest creates, in its order. */
const CREATED = [
  `namespace/${NAMESPACE} created`,
  `serviceaccount/${AGENT} created`,
  `clusterrole.rbac.authorization.k8s.io/${AGENT} created`,
  `clusterrolebinding.rbac.authorization.k8s.io/${AGENT} created`,
  `role.rbac.authorization.k8s.io/${AGENT} created`,
  `rolebinding.rbac.authorization.k8s.io/${AGENT} created`,
  'secret/meshplane-bootstrap created',
  `deployment.apps/${AGENT} created`,
  `service/${AGENT} created`,
];

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

describe.skipIf(!KUBECTL)('the one-line install through the real kubectl', () => {
  let cp: ControlPlane;
  let kube: KubeApiServer;
  let dir: string;
  let token: string;
  let clusterId: string;
  let installCommand: string;
  let manifestFile: string;
  let uninstallCommand: string;
  let agent: Omit<MeshAgent, 'clusterId'> | undefined;

  /** kubectl's environment: this cluster's kubeconfig, and a cache and home of the test's own. */
  const kubeEnv = () => ({
    env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), KUBECACHEDIR: join(dir, 'cache'), HOME: dir },
  });
  /** Runs a shell command line (an installCommand) or kubectl with this cluster's kubeconfig. */
  const shell = (line: string) => run('sh', ['-c', line], kubeEnv());
  const kubectl = (...args: string[]) => run('kubectl', args, kubeEnv());
  const kubectlJson = async <T>(...args: string[]): Promise<T> =>
    JSON.parse((await kubectl(...args, '-o', 'json')).stdout) as T;

  beforeAll(async () => {
    [cp, kube] = await Promise.all([
      startControlPlane({ AGENT_IMAGE: `meshplane/agent:${RECOMMENDED}` }),
      startKubeApiServer({ tls: true }),
    ]);
    dir = await mkdtemp(join(tmpdir(), 'meshplane-kubectl-'));
    await kube.writeKubeconfig(join(dir, 'kubeconfig'));
    kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    // A Service federated across the mesh (its members: Services labelled app=api), so the agent
    // writes an EndpointSlice of its own.
    for (const object of [API_SERVICE, apiSlice([API_IP]), FEDERATED_API]) kube.create(object);
    token = (await signUpTenant(cp.gatewayUrl, 'Kubectl Co')).token;
    const registered = await must<{ registerCluster: { cluster: { id: string }; installCommand: string } }>(
      cp.gatewayUrl,
      REGISTER,
      { i: { name: 'kubectl-1', labels: [{ key: 'env', value: 'prod' }] } },
      token,
    );
    clusterId = registered.registerCluster.cluster.id;
    installCommand = registered.registerCluster.installCommand;
  }, 120_000);

  afterAll(async () => {
    await agent?.kill();
    await kube?.close();
    await cp?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the exact installCommand: kubectl validates against the served OpenAPI and creates every object', {
    timeout: 60_000,
  }, async () => {
    expect(installCommand).toMatch(/^kubectl apply -f http\S+\/install\/mpi_\S+\.yaml$/);
    // Keep the manifest for the re-apply and uninstall below (the URL works until the agent exchanges it).
    const url = installCommand.split(' ').at(-1)!;
    manifestFile = join(dir, 'meshplane.yaml');
    await writeFile(manifestFile, await (await fetch(url)).text());

    const applied = await shell(installCommand);
    expect(applied.stdout.trim().split('\n')).toEqual(CREATED);
    // kubectl asked the server to validate (it found fieldValidation in /openapi/v3) and sent its token.
    expect(kube.requests.some((r) => r.path === '/openapi/v3')).toBe(true);
    const writes = kube.requests.filter((r) => r.verb === 'create');
    expect(writes).toHaveLength(CREATED.length);
    expect(writes.every((r) => r.query.fieldValidation === 'Strict')).toBe(true);

    const deployment = await kubectlJson<{
      spec: {
        template: { spec: { serviceAccountName: string; containers: { image: string; env: EnvVar[] }[] } };
      };
    }>('get', 'deployment', AGENT, '-n', NAMESPACE);
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe(AGENT);
    expect(pod.containers[0]!.image).toMatch(/meshplane.*agent/);
    // The Secret's stringData was stored as data, as the API server does.
    const secret = await kubectlJson<{ data: Record<string, string>; stringData?: unknown }>(
      'get',
      'secret',
      'meshplane-bootstrap',
      '-n',
      NAMESPACE,
    );
    expect(secret.stringData).toBeUndefined();
    expect(Buffer.from(secret.data['cluster-id']!, 'base64').toString()).toBe(clusterId);
  });

  it('the agent the Deployment describes connects and writes the tenant policy, which kubectl then lists', {
    timeout: 90_000,
  }, async () => {
    const { tierName, policyName } = await policyFor(cp.gatewayUrl, token);
    const env = await podEnvironment();
    agent = startAgent(
      {
        bootstrapToken: env.MESHPLANE_BOOTSTRAP_TOKEN!,
        hubUrl: env.MESHPLANE_HUB_URL!,
        apiUrl: env.MESHPLANE_API_URL!,
      },
      {
        name: env.MESHPLANE_CLUSTER_NAME!,
        driver: 'kubernetes',
        kube,
        // As in the pod: the credential lives in the Secret the Deployment names.
        env: { MESHPLANE_CREDENTIAL_SECRET: env.MESHPLANE_CREDENTIAL_SECRET! },
      },
    );
    const { cluster: desired } = await must<ClusterState>(cp.gatewayUrl, STATUS, { id: clusterId }, token);
    expect(desired.config.desiredVersion).toBeGreaterThan(0);
    await eventually(
      async () => {
        const { cluster } = await must<ClusterState>(cp.gatewayUrl, STATUS, { id: clusterId }, token);
        expect(cluster.status.connected).toBe(true);
        expect(cluster.config.appliedVersion).toBe(cluster.config.desiredVersion);
        return cluster;
      },
      60_000,
      'the agent connects and applies its config',
    );

    await kubectl('get', 'secret', 'meshplane-agent-credential', '-n', NAMESPACE);
    const tiers = (await kubectl('get', 'tiers.projectcalico.org', '-o', 'name')).stdout.split('\n');
    expect(tiers).toContain(`tier.projectcalico.org/${tierName}`);
    const policies = await kubectlJson<{
      items: { metadata: { name: string; labels?: Record<string, string> } }[];
    }>('get', 'networkpolicies.projectcalico.org', '-n', 'shop');
    const written = policies.items.find((item) => item.metadata.name === `${tierName}.${policyName}`);
    expect(written, JSON.stringify(policies.items.map((i) => i.metadata.name))).toBeDefined();

    // The federated Service's EndpointSlice, as kubectl lists it.
    const slices = await kubectlJson<{
      items: { metadata: { labels: Record<string, string> }; endpoints?: { addresses: string[] }[] }[];
    }>('get', 'endpointslices', '-n', 'shop', '--selector', 'app.kubernetes.io/managed-by=meshplane');
    const federated = slices.items.filter(
      (slice) => slice.metadata.labels['kubernetes.io/service-name'] === 'api-global',
    );
    expect(federated.flatMap((slice) => (slice.endpoints ?? []).flatMap((e) => e.addresses))).toEqual([
      API_IP,
    ]);
    expect(federatedEndpoints(kube, 'shop', 'api-global')).toEqual([API_IP]);
  });

  it('re-applies the same manifest without disturbing the running agent', { timeout: 60_000 }, async () => {
    const before = kube.get('apps/v1', 'Deployment', NAMESPACE, AGENT)!;
    const again = await kubectl('apply', '-f', manifestFile);
    const lines = again.stdout.trim().split('\n');
    expect(lines.filter((line) => line.endsWith(' unchanged'))).toHaveLength(CREATED.length - 1);
    // kubectl's client-side apply always re-sends a Secret's stringData (it never reads back), as with a real server.
    expect(lines).toContain('secret/meshplane-bootstrap configured');
    const after = kube.get('apps/v1', 'Deployment', NAMESPACE, AGENT)!;
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    const { cluster } = await must<ClusterState>(cp.gatewayUrl, STATUS, { id: clusterId }, token);
    expect(cluster.status.connected).toBe(true);
    expect(cluster.config.appliedVersion).toBe(cluster.config.desiredVersion);
  });

  it('shows the agent outdated; running the install command again upgrades the Deployment and keeps the Secret', {
    timeout: 60_000,
  }, async () => {
    const { cluster } = await must<{
      cluster: { status: { agentVersion: string; recommendedAgentVersion: string; agentOutdated: boolean } };
    }>(
      cp.gatewayUrl,
      'query($id: ID!) { cluster(id: $id) { status { agentVersion recommendedAgentVersion agentOutdated } } }',
      { id: clusterId },
      token,
    );
    expect(cluster.status).toEqual({
      agentVersion: '0.1.0',
      recommendedAgentVersion: RECOMMENDED,
      agentOutdated: true,
    });

    // An older agent image in the cluster, then the very same install command as at first.
    await kubectl('set', 'image', `deployment/${AGENT}`, 'agent=meshplane/agent:0.0.9', '-n', NAMESPACE);
    const secretBefore = kube.get('v1', 'Secret', NAMESPACE, 'meshplane-bootstrap')!;
    const rerun = await shell(installCommand);
    const lines = rerun.stdout.trim().split('\n');
    expect(lines).toContain(`deployment.apps/${AGENT} configured`);
    expect(lines.some((line) => line.startsWith('secret/'))).toBe(false);
    const image = await kubectl(
      'get',
      'deployment',
      AGENT,
      '-n',
      NAMESPACE,
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    );
    expect(image.stdout).toBe(`meshplane/agent:${RECOMMENDED}`);
    expect(kube.get('v1', 'Secret', NAMESPACE, 'meshplane-bootstrap')!.metadata.resourceVersion).toBe(
      secretBefore.metadata.resourceVersion,
    );
  });

  it('refuses a manifest with a field the schema does not know, and changes nothing', {
    timeout: 30_000,
  }, async () => {
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, (await readFile(manifestFile, 'utf8')).replace('replicas: 1', 'replicaz: 1'));
    const revision = kube.resourceVersion;
    const failure = await kubectl('apply', '-f', broken).then(
      () => undefined,
      (error: { stderr: string }) => error.stderr,
    );
    expect(failure).toContain('strict decoding error: unknown field "spec.replicaz"');
    expect(kube.resourceVersion).toBe(revision);
  });

  it('deleting the cluster makes its agent remove every object it applied, then stop', {
    timeout: 60_000,
  }, async () => {
    const managed = async () =>
      (
        await kubectl(
          'get',
          '--all-namespaces',
          '--selector',
          'app.kubernetes.io/managed-by=meshplane',
          'tiers.projectcalico.org,networkpolicies.projectcalico.org,globalnetworkpolicies.projectcalico.org,globalnetworksets.projectcalico.org,endpointslices.discovery.k8s.io',
          '-o',
          'name',
        )
      ).stdout.trim();
    expect(await managed()).not.toBe('');
    const { cluster } = await must<{ cluster: { uninstallCommand: string } }>(
      cp.gatewayUrl,
      'query($id: ID!) { cluster(id: $id) { uninstallCommand } }',
      { id: clusterId },
      token,
    );
    uninstallCommand = cluster.uninstallCommand;

    await must(cp.gatewayUrl, 'mutation($id: ID!) { deleteCluster(id: $id) }', { id: clusterId }, token);

    const [report] = await eventually(
      () => {
        const lines = agent!.logged('offboarded: removed every object Meshplane managed in this cluster');
        return lines.length > 0 ? lines : undefined;
      },
      30_000,
      'the agent offboards',
    );
    // The tier, the policy and the federated EndpointSlice at least.
    expect(report!.removed).toBeGreaterThanOrEqual(3);
    expect(await managed()).toBe('');
    await eventually(
      () => (agent!.logged('agent stopped').length > 0 ? true : undefined),
      10_000,
      'the agent stops',
    );
  });

  it('uninstalls with the uninstallCommand: the agent, its Secrets and its namespace are gone', {
    timeout: 60_000,
  }, async () => {
    expect(uninstallCommand).toMatch(
      /^kubectl delete --all-namespaces --selector app\.kubernetes\.io\/managed-by=meshplane /,
    );
    await agent?.kill();
    agent = undefined;
    const removed = await shell(uninstallCommand);
    const lines = removed.stdout.trim().split('\n');
    expect(lines).toContain(`deployment.apps "${AGENT}" deleted`);
    expect(lines).toContain(`namespace "${NAMESPACE}" deleted`);
    expect(kube.get('apps/v1', 'Deployment', NAMESPACE, AGENT)).toBeUndefined();
    expect(kube.get('v1', 'Secret', NAMESPACE, 'meshplane-bootstrap')).toBeUndefined();
    expect(kube.get('v1', 'Secret', NAMESPACE, 'meshplane-agent-credential')).toBeUndefined();
    expect(kube.get('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, AGENT)).toBeUndefined();
    expect(kube.get('v1', 'Namespace', undefined, NAMESPACE)).toBeUndefined();
    // What was not Meshplane's stays.
    expect(kube.get('v1', 'Namespace', undefined, 'shop')).toBeDefined();
  });

  /** The container's environment as the kubelet resolves it: literal values and Secret keys. */
  async function podEnvironment(): Promise<Record<string, string>> {
    const deployment = await kubectlJson<{
      spec: { template: { spec: { containers: { env: EnvVar[] }[] } } };
    }>('get', 'deployment', AGENT, '-n', NAMESPACE);
    const env: Record<string, string> = {};
    for (const variable of deployment.spec.template.spec.containers[0]!.env) {
      const ref = variable.valueFrom?.secretKeyRef;
      if (ref) {
        const secret = await kubectlJson<{ data: Record<string, string> }>(
          'get',
          'secret',
          ref.name,
          '-n',
          NAMESPACE,
        );
        env[variable.name] = Buffer.from(secret.data[ref.key]!, 'base64').toString('utf8');
      } else if (variable.value !== undefined) {
        env[variable.name] = variable.value;
      }
    }
    return env;
  }
});

/** A tier and a policy in namespace `shop` for clusters labelled env=prod; their names. */
async function policyFor(
  gatewayUrl: string,
  token: string,
): Promise<{ tierName: string; policyName: string }> {
  const created = await addTierAndPolicy(gatewayUrl, token);
  const { policy } = await must<{ policy: { name: string; tier: string } }>(
    gatewayUrl,
    'query($id: ID!) { policy(id: $id) { name tier } }',
    { id: created.policyId },
    token,
  );
  return { tierName: policy.tier, policyName: policy.name };
}

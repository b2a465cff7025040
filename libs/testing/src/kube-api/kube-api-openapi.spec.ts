import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeApiServer, startKubeApiServer } from './kube-api-server.js';

const run = promisify(execFile);
const KUBECTL = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();

// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI documents are read as loose JSON
type Json = Record<string, any>;

let server: KubeApiServer;

beforeAll(async () => {
  server = await startKubeApiServer({ tls: true });
});

afterAll(async () => {
  await server.close();
});

interface Answer {
  status: number;
  body: Json;
  warning: string | string[] | undefined;
}

/** One HTTPS request trusting the server's CA (fetch cannot be given a CA). */
function call(method: string, path: string, options: { body?: Json; accept?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      {
        method,
        ca: server.caCert,
        headers: {
          authorization: `Bearer ${server.token}`,
          accept: options.accept ?? 'application/json',
          'content-type': 'application/json',
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: JSON.parse(text) as Json,
            warning: response.headers.warning,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

const get = (path: string, accept?: string) => call('GET', path, { accept });

const deployment = (name: string, container: Json = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27', ...container }] },
    },
  },
});

describe('OpenAPI documents', () => {
  it('indexes every served group-version in /openapi/v3, each with a content hash', async () => {
    const { status, body } = await get('/openapi/v3');
    expect(status).toBe(200);
    const paths = Object.keys(body.paths);
    for (const expected of [
      'api/v1',
      'apis/apps/v1',
      'apis/rbac.authorization.k8s.io/v1',
      'apis/discovery.k8s.io/v1',
      'apis/projectcalico.org/v3',
    ]) {
      expect(paths).toContain(expected);
    }
    expect(body.paths['apis/apps/v1'].serverRelativeURL).toMatch(
      /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/,
    );
  });

  it('advertises fieldValidation on PATCH per kind, and strategic merge except for custom resources', async () => {
    const apps = (await get('/openapi/v3/apis/apps/v1')).body;
    const patch = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
    });
    expect(patch.parameters.map((p: Json) => `${p.in}:${p.name}`)).toContain('query:fieldValidation');
    expect(Object.keys(patch.requestBody.content)).toContain('application/strategic-merge-patch+json');

    // ServiceExport is served from a CRD: the API server takes no strategic merge patch for it.
    const mcs = (await get('/openapi/v3/apis/multicluster.x-k8s.io/v1alpha1')).body;
    const exportPatch =
      mcs.paths['/apis/multicluster.x-k8s.io/v1alpha1/namespaces/{namespace}/serviceexports/{name}'].patch;
    expect(Object.keys(exportPatch.requestBody.content)).not.toContain(
      'application/strategic-merge-patch+json',
    );
  });

  it('publishes schemas generated from the real ones: Kubernetes models and the vendored Calico CRDs', async () => {
    const apps = (await get('/openapi/v3/apis/apps/v1')).body.components.schemas;
    expect(apps.V1Deployment['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', version: 'v1', kind: 'Deployment' },
    ]);
    expect(apps.V1DeploymentSpec.properties.replicas).toEqual({ type: 'integer', format: 'int32' });
    expect(apps.V1Container.properties.ports).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/V1ContainerPort' },
    });

    const calico = (await get('/openapi/v3/apis/projectcalico.org/v3')).body.components.schemas;
    const tier = calico['org.projectcalico.v3.Tier'];
    expect(tier.properties.metadata).toEqual({ $ref: '#/components/schemas/V1ObjectMeta' });
    expect(tier.properties.spec.properties.defaultAction.allOf[1].enum).toEqual(['Pass', 'Deny']);
  });

  it('serves /openapi/v2 as JSON with the same definitions, and refuses protobuf it cannot speak', async () => {
    const v2 = await get('/openapi/v2');
    expect(v2.body.swagger).toBe('2.0');
    expect(v2.body.definitions.V1Deployment.properties.spec).toEqual({
      $ref: '#/definitions/V1DeploymentSpec',
    });
    const patch = v2.body.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch.consumes).toContain('application/strategic-merge-patch+json');
    const protobuf = await get('/openapi/v2', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf');
    expect(protobuf.status).toBe(406);
  });

  it.skipIf(!KUBECTL)('answers the real kubectl explain from the published schema', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kube-api-explain-'));
    try {
      await server.writeKubeconfig(join(dir, 'kubeconfig'));
      const { stdout } = await run('kubectl', [
        `--kubeconfig=${join(dir, 'kubeconfig')}`,
        `--cache-dir=${join(dir, 'cache')}`,
        'explain',
        'tiers.spec.defaultAction',
      ]);
      expect(stdout).toContain('FIELD: defaultAction <string>');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('field validation', () => {
  const apps = () => server.kubeConfig().makeApiClient(AppsV1Api);
  const create = (body: Json, fieldValidation?: string) =>
    fetchJson('POST', '/apis/apps/v1/namespaces/default/deployments', body, fieldValidation);

  const fetchJson = (method: string, path: string, body: Json, fieldValidation?: string) =>
    call(method, `${path}${fieldValidation ? `?fieldValidation=${fieldValidation}` : ''}`, { body });

  it('Strict refuses fields the schema does not declare, naming each path, and stores nothing', async () => {
    const revision = server.resourceVersion;
    const refused = await create(
      {
        ...deployment('strict', { imagePullPolicyy: 'Always' }),
        spec: { ...deployment('strict').spec, replicaz: 2 },
      },
      'Strict',
    );
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz"',
    );
    const nested = await create(deployment('strict', { imagePullPolicyy: 'Always' }), 'Strict');
    expect(nested.body.message).toContain(
      'unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
    );
    expect(server.resourceVersion).toBe(revision);
    expect(server.get('apps/v1', 'Deployment', 'default', 'strict')).toBeUndefined();
  });

  it('keeps maps, labels and int-or-string values open, as the schema says', async () => {
    const object = deployment('open', {
      ports: [{ containerPort: 80 }],
      resources: { limits: { cpu: '1' } },
    });
    object.metadata = { ...object.metadata, labels: { anything: 'goes' } } as typeof object.metadata;
    (object.spec as Json).strategy = { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } };
    const created = await create(object, 'Strict');
    expect(created.status).toBe(201);
  });

  it('Warn stores the object and names the unknown fields in Warning headers; Ignore says nothing', async () => {
    const warned = await create({ ...deployment('warned'), extra: true }, 'Warn');
    expect(warned.status).toBe(201);
    expect(warned.warning).toBe('299 - "unknown field \\"extra\\""');
    const ignored = await create({ ...deployment('ignored'), extra: true }, 'Ignore');
    expect(ignored.status).toBe(201);
    expect(ignored.warning).toBeUndefined();
    expect(
      (await apps().readNamespacedDeployment({ name: 'warned', namespace: 'default' })).spec?.replicas,
    ).toBe(1);
  });

  it('refuses an unknown fieldValidation value', async () => {
    const refused = await create(deployment('bad-mode'), 'Loose');
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('fieldValidation: Unsupported value: "Loose"');
  });

  it('checks Calico kinds against their CRD schema too', async () => {
    const refused = await fetchJson(
      'POST',
      '/apis/projectcalico.org/v3/tiers',
      {
        apiVersion: 'projectcalico.org/v3',
        kind: 'Tier',
        metadata: { name: 'sec' },
        spec: { order: 1, ordr: 2 },
      },
      'Strict',
    );
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('unknown field "spec.ordr"');
  });
});

describe('Secrets', () => {
  it('stores stringData as base64 data, as the API server does', async () => {
    const core = server.kubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 'boot' }, stringData: { token: 'mpi_abc' }, data: { kept: 'eA==' } },
    });
    const stored = await core.readNamespacedSecret({ name: 'boot', namespace: 'default' });
    expect(stored.stringData).toBeUndefined();
    expect(stored.data).toEqual({ kept: 'eA==', token: Buffer.from('mpi_abc').toString('base64') });
  });
});

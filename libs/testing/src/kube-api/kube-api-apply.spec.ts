import { KubernetesObject, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type KubeApiServer, startKubeApiServer } from './kube-api-server.js';
import type { KubeObject } from './kube-object.js';
import { apiFailure } from './spec-support.js';

let server: KubeApiServer;
let client: KubernetesObjectApi;

beforeEach(async () => {
  server = await startKubeApiServer();
  client = KubernetesObjectApi.makeApiClient(server.kubeConfig());
});

afterEach(async () => {
  await server.close();
});

type Spec = KubernetesObject & { spec?: Record<string, unknown>; data?: Record<string, string> };

function policy(spec: Record<string, unknown>, labels?: Record<string, string>): Spec {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: { name: 'allow-web', namespace: 'shop', ...(labels ? { labels } : {}) },
    spec,
  };
}

function apply(object: Spec, manager: string | undefined, force?: boolean): Promise<Spec> {
  return client.patch(
    object,
    undefined,
    undefined,
    manager,
    force,
    PatchStrategy.ServerSideApply,
  ) as Promise<Spec>;
}

function stored(): KubeObject & { spec?: Record<string, unknown> } {
  return server.get('projectcalico.org/v3', 'NetworkPolicy', 'shop', 'allow-web')!;
}

describe('server-side apply', () => {
  it('creates the object and records the manager in managedFields', async () => {
    const created = await apply(
      policy({ order: 10, selector: 'app == "web"' }, { owner: 'meshplane' }),
      'meshplane-agent',
    );

    expect(created.metadata?.uid).toBeDefined();
    expect(created.spec).toEqual({ order: 10, selector: 'app == "web"' });
    expect(created.metadata?.managedFields).toEqual([
      {
        manager: 'meshplane-agent',
        operation: 'Apply',
        apiVersion: 'projectcalico.org/v3',
        time: expect.any(Date),
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:owner': {} } },
          'f:spec': { 'f:order': {}, 'f:selector': {} },
        },
      },
    ]);
    expect(server.requestCount({ verb: 'patch', resource: 'networkpolicies.projectcalico.org' })).toBe(1);
  });

  it('is idempotent: re-applying the same configuration keeps the resourceVersion', async () => {
    const first = await apply(policy({ order: 10 }), 'meshplane-agent');
    const second = await apply(policy({ order: 10 }), 'meshplane-agent');
    const changed = await apply(policy({ order: 20 }), 'meshplane-agent');

    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
    expect(server.resourceVersion).toBe(changed.metadata?.resourceVersion);
    expect(Number(changed.metadata?.resourceVersion)).toBeGreaterThan(
      Number(first.metadata?.resourceVersion),
    );
    expect(changed.metadata?.generation).toBe(2);
  });

  it('refuses with 409 when another manager owns a field the patch changes, listing the fields', async () => {
    await apply(policy({ order: 10, tier: 'security' }), 'meshplane-agent');

    const failure = await apiFailure(apply(policy({ order: 99, tier: 'security' }), 'kubectl'));

    expect(failure.code).toBe(409);
    expect(failure.status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      message:
        'Apply failed with 1 conflict: conflict with "meshplane-agent" using projectcalico.org/v3: .spec.order',
      details: {
        causes: [
          {
            type: 'FieldManagerConflict',
            message: 'conflict with "meshplane-agent" using projectcalico.org/v3',
            field: '.spec.order',
          },
        ],
      },
    });
    expect(stored().spec).toEqual({ order: 10, tier: 'security' });
  });

  it('takes the field over when forced, and shares fields applied with equal values', async () => {
    await apply(policy({ order: 10, tier: 'security' }), 'meshplane-agent');

    const forced = await apply(policy({ order: 99, tier: 'security' }), 'kubectl', true);

    expect(forced.spec).toEqual({ order: 99, tier: 'security' });
    const owners = Object.fromEntries(
      (forced.metadata?.managedFields ?? []).map((m) => [m.manager, m.fieldsV1]),
    );
    expect(owners).toEqual({
      'meshplane-agent': { 'f:spec': { 'f:tier': {} } },
      kubectl: { 'f:spec': { 'f:order': {}, 'f:tier': {} } },
    });
  });

  it('removes fields a manager stops applying when it is their only owner, and keeps shared ones', async () => {
    await apply(
      policy({ order: 10, tier: 'security', selector: 'all()' }, { a: '1', b: '2' }),
      'meshplane-agent',
    );
    await apply(policy({ selector: 'all()' }), 'other');

    const result = await apply(policy({ order: 10 }, { a: '1' }), 'meshplane-agent');

    expect(result.spec).toEqual({ order: 10, selector: 'all()' });
    expect(result.metadata?.labels).toEqual({ a: '1' });
  });

  it('requires fieldManager (400 BadRequest)', async () => {
    const failure = await apiFailure(apply(policy({ order: 1 }), undefined));
    expect(failure).toMatchObject({ code: 400, status: { reason: 'BadRequest' } });
    expect(failure.status.message).toContain('fieldManager');
  });

  it('accepts YAML bodies', async () => {
    const yaml = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: settings',
      '  namespace: meshplane',
      'data:',
      '  mode: strict',
      '',
    ].join('\n');
    const response = await fetch(
      `${server.url}/api/v1/namespaces/meshplane/configmaps/settings?fieldManager=meshplane-agent`,
      {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/apply-patch+yaml' },
        body: yaml,
      },
    );

    expect(response.status).toBe(201);
    expect(server.get('v1', 'ConfigMap', 'meshplane', 'settings')).toMatchObject({
      data: { mode: 'strict' },
    });
  });

  it('applies cluster-scoped Calico objects such as GlobalNetworkPolicy and Tier', async () => {
    const tier: Spec = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'Tier',
      metadata: { name: 'meshplane' },
      spec: { order: 50 },
    };
    const created = await apply(tier, 'meshplane-agent');

    expect(created.metadata?.namespace).toBeUndefined();
    expect(server.list('projectcalico.org/v3', 'Tier').map((t) => t.metadata.name)).toEqual(['meshplane']);
  });

  it('checks a resourceVersion in the applied configuration as a precondition', async () => {
    await apply(policy({ order: 10 }), 'meshplane-agent');
    const stale = policy({ order: 11 });
    stale.metadata = { ...stale.metadata, resourceVersion: '1' };

    const failure = await apiFailure(apply(stale, 'meshplane-agent'));

    expect(failure).toMatchObject({ code: 409, status: { reason: 'Conflict' } });
  });
});

describe('other patches', () => {
  it('applies a JSON merge patch and records the updater as an Update manager', async () => {
    await apply(policy({ order: 10, selector: 'all()' }), 'meshplane-agent');

    const patched = (await client.patch(
      policy({ order: 20, selector: null } as unknown as Record<string, unknown>),
      undefined,
      undefined,
      'operator',
      undefined,
      PatchStrategy.MergePatch,
    )) as Spec;

    expect(patched.spec).toEqual({ order: 20 });
    const entries = (patched.metadata?.managedFields ?? []).map((m) => [m.manager, m.operation, m.fieldsV1]);
    expect(entries).toEqual([['operator', 'Update', { 'f:spec': { 'f:order': {} } }]]);
  });

  it('makes an apply conflict with a manager that took a field over by update', async () => {
    await apply(policy({ order: 10 }), 'meshplane-agent');
    server.update({ ...stored(), spec: { order: 5 } }, { fieldManager: 'kubectl-edit' });

    const failure = await apiFailure(apply(policy({ order: 10 }), 'meshplane-agent'));

    expect(failure.status.message).toContain('conflict with "kubectl-edit"');
  });

  it('refuses strategic merge patch on custom resources with 415', async () => {
    server.create({
      apiVersion: 'multicluster.x-k8s.io/v1alpha1',
      kind: 'ServiceExport',
      metadata: { name: 'web', namespace: 'shop' },
    });
    const failure = await apiFailure(
      client.patch({
        apiVersion: 'multicluster.x-k8s.io/v1alpha1',
        kind: 'ServiceExport',
        metadata: { name: 'web', namespace: 'shop', labels: { a: 'b' } },
      }),
    );
    expect(failure.code).toBe(415);
  });
});

import { validateKubernetesObject } from '@meshplane/testing';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { renderAgentManifest } from './manifest.js';

const input = {
  clusterId: '0f4c2a2e-1111-4c1a-9a55-000000000001',
  clusterName: 'eu-west-1',
  bootstrapToken: 'mpi_0f4c2a2e11114c1a9a55000000000001_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  hubUrl: 'wss://hub.meshplane.example/agents',
  apiUrl: 'https://api.meshplane.example',
  image: 'meshplane/agent:0.1.0',
};

describe('agent install manifest', () => {
  const documents = parseAllDocuments(renderAgentManifest(input)).map((d) => d.toJS());

  it('renders the objects the one-line install needs, in apply order', () => {
    expect(documents.map((d) => d.kind)).toEqual([
      'Namespace',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'Role',
      'RoleBinding',
      'Secret',
      'Deployment',
      'Service',
    ]);
    expect(documents.map((d) => d.metadata.namespace ?? '')).toEqual([
      '',
      'meshplane-system',
      '',
      '',
      'meshplane-system',
      'meshplane-system',
      'meshplane-system',
      'meshplane-system',
      'meshplane-system',
    ]);
  });

  it('validates every object against the Kubernetes schema of its kind', () => {
    for (const document of documents)
      expect(() => validateKubernetesObject(document), document.kind).not.toThrow();
  });

  it('is checked by a validator that does reject a broken object', () => {
    const deployment = structuredClone(documents.find((d) => d.kind === 'Deployment'));
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 'health';
    expect(() => validateKubernetesObject(deployment)).toThrow(/containerPort/);
  });

  it('runs the agent non-root, read-only, without capabilities, with limits and probes', () => {
    const deployment = documents.find((d) => d.kind === 'Deployment');
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const [container] = pod.containers;
    expect(container!.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container!.resources.limits).toEqual({ cpu: '500m', memory: '256Mi' });
    expect(container!.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container!.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container!.image).toBe('meshplane/agent:0.1.0');
  });

  it('grants writes only on the kinds Meshplane manages, and no secrets cluster-wide', () => {
    const role = documents.find((d) => d.kind === 'ClusterRole');
    const writable = role.rules
      .filter((r: { verbs: string[] }) => r.verbs.includes('patch'))
      .flatMap((r: { apiGroups: string[]; resources: string[] }) =>
        r.resources.map((res) => `${r.apiGroups[0]}/${res}`),
      );
    expect(writable.sort()).toEqual(
      [
        'discovery.k8s.io/endpointslices',
        'projectcalico.org/felixconfigurations',
        'projectcalico.org/globalnetworkpolicies',
        'projectcalico.org/globalnetworksets',
        'projectcalico.org/networkpolicies',
        'projectcalico.org/networksets',
        'projectcalico.org/stagedglobalnetworkpolicies',
        'projectcalico.org/stagednetworkpolicies',
        'projectcalico.org/tiers',
      ].sort(),
    );
    const everything = role.rules.flatMap((r: { resources: string[] }) => r.resources);
    expect(everything).not.toContain('secrets');
    expect(role.rules.every((r: { verbs: string[] }) => !r.verbs.includes('*'))).toBe(true);
  });

  it('carries the bootstrap token, hub and API URLs in the Secret', () => {
    const secret = documents.find((d) => d.kind === 'Secret');
    expect(secret.stringData).toEqual({
      'bootstrap-token': input.bootstrapToken,
      'hub-url': input.hubUrl,
      'api-url': input.apiUrl,
      'cluster-id': input.clusterId,
    });
  });

  it('leaves the bootstrap Secret out once the install token was used, and keeps every other object', () => {
    const { bootstrapToken: _used, ...rest } = input;
    const text = renderAgentManifest(rest);
    const again = parseAllDocuments(text).map((d) => d.toJS());
    expect(again.map((d) => d.kind)).toEqual(
      documents.map((d) => d.kind).filter((kind) => kind !== 'Secret'),
    );
    expect(text).not.toContain(input.bootstrapToken);
    expect(again.find((d) => d.kind === 'Deployment')).toEqual(
      documents.find((d) => d.kind === 'Deployment'),
    );
  });

  it("exposes the agent's Envoy access-log service on a Service, to the port the agent listens on", () => {
    const deployment = documents.find((d) => d.kind === 'Deployment');
    const container = deployment.spec.template.spec.containers[0];
    const service = documents.find((d) => d.kind === 'Service');
    expect(container.env).toContainEqual({ name: 'MESHPLANE_ENVOY_ALS_PORT', value: '9001' });
    expect(container.ports).toContainEqual({ name: 'envoy-als', containerPort: 9001, protocol: 'TCP' });
    expect(service.metadata).toMatchObject({ name: 'meshplane-agent', namespace: 'meshplane-system' });
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports).toEqual([
      {
        name: 'envoy-als',
        port: 9001,
        targetPort: 'envoy-als',
        protocol: 'TCP',
        appProtocol: 'kubernetes.io/h2c',
      },
    ]);
  });
});

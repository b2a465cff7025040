import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { validateKubernetesObject } from '@meshplane/testing';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { AGENT_HUB_NODE_ARGS, CONTROL_PLANE } from '../libs/devtools/src/processes.js';
import { agentHubConfigSchema } from '../services/agent-hub/src/config.js';
import { clustersConfigSchema } from '../services/clusters/src/config.js';
import { gatewayConfigSchema } from '../services/gateway/src/config.js';
import { policiesConfigSchema } from '../services/policies/src/config.js';
import { telemetryConfigSchema } from '../services/telemetry/src/config.js';
import { tenantsConfigSchema } from '../services/tenants/src/config.js';
import {
  type KubeObject,
  k8sRoot,
  parseEnvFile,
  podContainers,
  readYamlDocuments,
  renderKustomization,
  strategicMerge,
} from './k8s/render-kustomization.js';

const repoRoot = join(k8sRoot, '../..');
const OVERLAYS = ['dev', 'production'] as const;
const rendered = {
  base: renderKustomization(join(k8sRoot, 'base')),
  dev: renderKustomization(join(k8sRoot, 'overlays/dev')),
  production: renderKustomization(join(k8sRoot, 'overlays/production')),
};

/** Each process's config schema (workers read their service's). */
const CONFIG_SCHEMAS: Record<string, z.ZodObject> = {
  gateway: gatewayConfigSchema,
  tenants: tenantsConfigSchema,
  clusters: clustersConfigSchema,
  'clusters-worker': clustersConfigSchema,
  policies: policiesConfigSchema,
  'policies-worker': policiesConfigSchema,
  telemetry: telemetryConfigSchema,
  'telemetry-worker': telemetryConfigSchema,
  'agent-hub': agentHubConfigSchema,
};

// biome-ignore lint/suspicious/noExplicitAny: manifests are checked field by field below
type Loose = any;

function find(objects: KubeObject[], kind: string, name: string): Loose {
  const object = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!object) throw new Error(`no ${kind} ${name}`);
  return object;
}

const ofKind = (objects: KubeObject[], kind: string): Loose[] => objects.filter((o) => o.kind === kind);

/** The number a container port reference (a name or a number) stands for. */
function resolvePort(container: Loose, port: string | number): number {
  if (typeof port === 'number') return port;
  return container.ports.find((p: Loose) => p.name === port)?.containerPort;
}

function servicePort(service: Loose, port: { name?: string; number?: number }): number {
  const match = service.spec.ports.find((p: Loose) =>
    port.name ? p.name === port.name : p.port === port.number,
  );
  if (!match) throw new Error(`Service ${service.metadata.name} has no port ${JSON.stringify(port)}`);
  return match.port;
}

const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

describe('Kubernetes manifests (infra/k8s)', () => {
  describe.each(Object.keys(rendered) as (keyof typeof rendered)[])('%s', (variant) => {
    it('renders only objects that pass the Kubernetes schemas', () => {
      expect(rendered[variant].length).toBeGreaterThan(20);
      for (const object of rendered[variant]) expect(() => validateKubernetesObject(object)).not.toThrow();
    });

    it('renders no two objects with the same kind and name', () => {
      const keys = rendered[variant].map((o) => `${o.kind}/${o.metadata.name}`);
      expect(new Set(keys).size).toBe(keys.length);
    });
  });

  it('validation rejects a broken object (negative control)', () => {
    const broken = structuredClone(find(rendered.production, 'Deployment', 'gateway'));
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'four thousand';
    expect(() => validateKubernetesObject(broken)).toThrow(/Deployment gateway/);
    const noSelector = structuredClone(find(rendered.production, 'PodDisruptionBudget', 'gateway'));
    noSelector.spec.maxUnavailable = { nested: true };
    expect(() => validateKubernetesObject(noSelector)).toThrow(/PodDisruptionBudget gateway/);
  });

  describe.each(OVERLAYS)('overlay %s: every process of the launcher', (overlay) => {
    const objects = rendered[overlay];

    it.each(CONTROL_PLANE.map((p) => [p.name, p] as const))(
      '%s runs hardened, probed and scraped',
      (_, spec) => {
        const port = 4000 + spec.portOffset;
        const deployment = find(objects, 'Deployment', spec.name);
        const pod = deployment.spec.template.spec;
        const [container] = pod.containers;
        expect(pod.containers).toHaveLength(1);
        expect(container.image).toMatch(/meshplane\/control-plane:/);
        expect(container.args).toEqual([...(spec.nodeArgs ?? []), spec.entry]);
        expect(container.ports).toContainEqual({ name: 'http', containerPort: port });
        expect(container.env).toContainEqual({ name: spec.portVariable, value: String(port) });

        expect(container.livenessProbe.httpGet.path).toBe('/healthz');
        expect(resolvePort(container, container.livenessProbe.httpGet.port)).toBe(port);
        expect(container.readinessProbe.httpGet.path).toBe('/readyz');
        expect(resolvePort(container, container.readinessProbe.httpGet.port)).toBe(port);

        for (const kind of ['requests', 'limits']) {
          expect(container.resources[kind].cpu, kind).toBeDefined();
          expect(container.resources[kind].memory, kind).toBeDefined();
        }
        expect(pod.securityContext.runAsNonRoot).toBe(true);
        expect(container.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        // Service links would set e.g. AGENT_HUB_PORT=tcp://…, which the port variable refuses.
        expect(pod.enableServiceLinks).toBe(false);
        expect(deployment.spec.template.metadata.annotations).toMatchObject({
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': String(port),
          'prometheus.io/path': '/metrics',
        });
        expect(container.envFrom).toEqual([
          { configMapRef: { name: 'meshplane-config' } },
          { secretRef: { name: 'meshplane-secrets' } },
        ]);

        const podLabels = deployment.spec.template.metadata.labels;
        expect(selects(deployment.spec.selector.matchLabels, podLabels)).toBe(true);
        const service = find(objects, 'Service', spec.name);
        expect(selects(service.spec.selector, podLabels)).toBe(true);
        expect(service.spec.ports).toContainEqual({ name: 'http', port, targetPort: 'http' });
        const budget = find(objects, 'PodDisruptionBudget', spec.name);
        expect(selects(budget.spec.selector.matchLabels, podLabels)).toBe(true);
      },
    );

    it.each(CONTROL_PLANE.map((p) => [p.name, p] as const))(
      "%s's environment satisfies its real config schema in production mode",
      (_, spec) => {
        const container = find(objects, 'Deployment', spec.name).spec.template.spec.containers[0];
        const env: Record<string, string> = {
          ...find(objects, 'ConfigMap', 'meshplane-config').data,
          ...parseEnvFile(join(k8sRoot, 'overlays/production/secret.example.env')),
        };
        for (const variable of container.env) {
          env[variable.name] = variable.value ?? `from-${variable.valueFrom.fieldRef.fieldPath}`;
        }
        expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0' });
        const config = CONFIG_SCHEMAS[spec.name]!.parse(env) as Record<string, unknown>;
        expect(config[spec.portVariable]).toBe(4000 + spec.portOffset);
      },
    );

    it('points every internal URL of the ConfigMap at a rendered Service and port', () => {
      const data = find(objects, 'ConfigMap', 'meshplane-config').data;
      for (const key of [
        'TENANTS_URL',
        'CLUSTERS_URL',
        'POLICIES_URL',
        'TELEMETRY_URL',
        'CLUSTERS_INTERNAL_URL',
      ]) {
        const url = new URL(data[key]);
        const service = find(objects, 'Service', url.hostname);
        expect(servicePort(service, { number: Number(url.port) }), key).toBe(Number(url.port));
      }
    });

    it('routes /graphql, /install/ and /agent/ to the gateway and /agents to the agent hub', () => {
      const [ingress] = ofKind(objects, 'Ingress');
      const routes = new Map<string, string>();
      for (const rule of ingress.spec.rules) {
        for (const path of rule.http.paths) {
          const service = find(objects, 'Service', path.backend.service.name);
          routes.set(
            path.path,
            `${service.metadata.name}:${servicePort(service, path.backend.service.port)}`,
          );
        }
      }
      expect(Object.fromEntries(routes)).toEqual({
        '/graphql': 'gateway:4000',
        '/install/': 'gateway:4000',
        '/agent/': 'gateway:4000',
        '/agents': 'agent-hub:4010',
      });
    });

    it('keeps agent websockets open and drains them on shutdown', () => {
      const [ingress] = ofKind(objects, 'Ingress');
      for (const timeout of ['proxy-read-timeout', 'proxy-send-timeout']) {
        expect(
          Number(ingress.metadata.annotations[`nginx.ingress.kubernetes.io/${timeout}`]),
        ).toBeGreaterThanOrEqual(3600);
      }
      const hub = find(objects, 'Deployment', 'agent-hub').spec.template.spec;
      expect(hub.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(60);
      // Started with the V8 flags the agents benchmark measures it with.
      expect(hub.containers[0].args).toEqual([...AGENT_HUB_NODE_ARGS, 'services/agent-hub/dist/main.js']);
      expect(hub.containers[0].env).toContainEqual({
        name: 'HUB_ID',
        valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
      });
    });

    it('runs the migrator as a Job from the same image with the same config and secrets', () => {
      const job = find(objects, 'Job', 'meshplane-migrate');
      const [container] = podContainers(job) as Loose[];
      expect(container.args).toEqual(['migrations/dist/migrate.js']);
      expect(container.image).toBe(
        find(objects, 'Deployment', 'gateway').spec.template.spec.containers[0].image,
      );
      expect(container.envFrom).toContainEqual({ secretRef: { name: 'meshplane-secrets' } });
      expect(job.spec.template.spec.restartPolicy).toBe('Never');
      expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    });

    it('places every object in the overlay namespace', () => {
      const namespaces = new Set(objects.map((o) => o.metadata.namespace));
      expect([...namespaces]).toEqual([overlay === 'dev' ? 'meshplane-dev' : 'meshplane']);
    });
  });

  describe('production overlay', () => {
    const objects = rendered.production;

    it('runs at least two replicas of every Deployment, each with a disruption budget', () => {
      for (const deployment of ofKind(objects, 'Deployment')) {
        expect(deployment.spec.replicas, deployment.metadata.name).toBeGreaterThanOrEqual(2);
        find(objects, 'PodDisruptionBudget', deployment.metadata.name);
      }
    });

    it.each(['gateway', 'agent-hub', 'clusters-worker', 'policies-worker'])(
      'autoscales %s on CPU',
      (name) => {
        const hpa = find(objects, 'HorizontalPodAutoscaler', name);
        expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
        find(objects, 'Deployment', name);
        expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
        expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
        expect(hpa.spec.metrics).toContainEqual(
          expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) }),
        );
      },
    );

    it('serves TLS on the host that install commands and agents are given', () => {
      const [ingress] = ofKind(objects, 'Ingress');
      const hosts = ingress.spec.rules.map((rule: Loose) => rule.host);
      expect(new Set(hosts).size).toBe(1);
      expect(ingress.spec.tls).toEqual([{ hosts: [hosts[0]], secretName: expect.any(String) }]);
      const data = find(objects, 'ConfigMap', 'meshplane-config').data;
      expect(data.PUBLIC_BASE_URL).toBe(`https://${hosts[0]}`);
      expect(data.AGENT_HUB_PUBLIC_URL).toBe(`wss://${hosts[0]}/agents`);
    });

    it('pulls the image from the overlay registry', () => {
      for (const object of objects) {
        for (const container of podContainers(object)) {
          expect(container.image).toBe('registry.example.com/meshplane/control-plane:0.1.0');
        }
      }
    });
  });

  describe('dev overlay', () => {
    it('runs one replica of everything without autoscaling', () => {
      for (const deployment of ofKind(rendered.dev, 'Deployment')) expect(deployment.spec.replicas).toBe(1);
      expect(ofKind(rendered.dev, 'HorizontalPodAutoscaler')).toEqual([]);
    });

    it('patches small resources into every Deployment and keeps the rest of the container', () => {
      for (const deployment of ofKind(rendered.dev, 'Deployment')) {
        const [container] = deployment.spec.template.spec.containers;
        expect(container.resources.requests.cpu).toBe('20m');
        expect(container.readinessProbe.httpGet.path).toBe('/readyz');
      }
    });
  });

  describe('secrets', () => {
    const SECRET_KEYS = ['DATABASE_URL', 'INTERNAL_IDENTITY_SECRET', 'JWT_SIGNING_KEYS', 'REDIS_URL'];
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
      );

    it('renders no Secret in production: it is created out of band', () => {
      expect(ofKind(rendered.production, 'Secret')).toEqual([]);
    });

    it('commits no Secret manifest with values, and only placeholder env files', () => {
      const all = files(k8sRoot);
      for (const path of all.filter((p) => p.endsWith('.yaml'))) {
        for (const document of readYamlDocuments(path)) {
          if (document.kind === 'Secret') expect(document.data ?? document.stringData, path).toBeUndefined();
        }
      }
      const envFiles = all.filter((p) => p.endsWith('.env'));
      expect(envFiles.map((p) => p.slice(k8sRoot.length + 1)).sort()).toEqual([
        'overlays/dev/secret.dev.env',
        'overlays/production/secret.example.env',
      ]);
      for (const path of envFiles) {
        const values = parseEnvFile(path);
        expect(Object.keys(values).sort(), path).toEqual(SECRET_KEYS);
        for (const [key, value] of Object.entries(values))
          expect(value, `${path} ${key}`).toContain('change-me');
      }
    });

    it('generates the dev Secret from placeholders only', () => {
      const secret = find(rendered.dev, 'Secret', 'meshplane-secrets');
      expect(Object.keys(secret.data).sort()).toEqual(SECRET_KEYS);
      for (const value of Object.values<string>(secret.data)) {
        expect(Buffer.from(value, 'base64').toString()).toContain('change-me');
      }
    });
  });

  describe('the test renderer', () => {
    it('merges named lists by name, replaces other lists and deletes keys patched to null', () => {
      const base = {
        containers: [{ name: 'a', image: 'x', args: ['1'] }, { name: 'b' }],
        drop: 1,
        keep: [1, 2],
      };
      const patch = { containers: [{ name: 'a', args: ['2'] }, { name: 'c' }], drop: null, keep: [3] };
      expect(strategicMerge(base, patch)).toEqual({
        containers: [{ name: 'a', image: 'x', args: ['2'] }, { name: 'b' }, { name: 'c' }],
        keep: [3],
      });
    });
  });
});

describe('Grafana dashboard (infra/grafana)', () => {
  const dashboard = JSON.parse(
    readFileSync(join(repoRoot, 'infra/grafana/meshplane-dashboard.json'), 'utf8'),
  );
  const panels: Loose[] = dashboard.panels.filter((panel: Loose) => panel.type !== 'row');
  const expressions: string[] = [
    ...panels.flatMap((panel) => panel.targets.map((target: Loose) => target.expr)),
    ...dashboard.templating.list
      .filter((variable: Loose) => variable.type === 'query')
      .map((variable: Loose) => variable.query.query),
  ];

  it('queries only metrics that the processes export', () => {
    const exported = exportedMetricNames();
    const known = (name: string) =>
      exported.has(name) || exported.has(name.replace(/_(bucket|sum|count)$/, ''));
    const used = new Set(expressions.flatMap(metricNames));
    expect([...used].filter((name) => !known(name))).toEqual([]);
    for (const name of [
      'meshplane_http_request_duration_seconds_bucket',
      'meshplane_errors_total',
      'meshplane_agents_connected',
      'meshplane_agent_frames_total',
      'meshplane_agent_protocol_errors_total',
      'meshplane_config_push_seconds_bucket',
      'meshplane_queue_jobs',
      'meshplane_flows_stored_total',
    ]) {
      expect(used.has(name), name).toBe(true);
    }
  });

  it('would flag a metric no process exports (negative control)', () => {
    const exported = exportedMetricNames();
    expect(metricNames('sum by (queue) (meshplane_queue_depth{queue="inventory"})')).toEqual([
      'meshplane_queue_depth',
    ]);
    expect(exported.has('meshplane_queue_depth')).toBe(false);
  });

  it('gives every panel a unique id, a title and at least one query', () => {
    const ids = dashboard.panels.map((panel: Loose) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of panels) {
      expect(panel.title).toBeTruthy();
      expect(panel.targets.length).toBeGreaterThan(0);
    }
  });
});

/**
 * Metric names in a PromQL expression: identifiers that are not functions (followed by `(`),
 * label names (inside `{…}` or `by (…)`), strings, durations or Grafana variables.
 */
function metricNames(expression: string): string[] {
  const stripped = expression
    .replace(/"[^"]*"/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\$\w+/g, '')
    // Grafana's label_values(metric, label): the second argument is a label name.
    .replace(/label_values\(([^,)]+),[^)]*\)/g, '$1');
  const names = [...stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)]
    .filter((match) => !/^\s*\(/.test(stripped.slice(match.index + match[0].length)))
    .map((match) => match[0]);
  return [...new Set(names.filter((name) => !/^(and|or|unless|bool|offset)$/.test(name)))];
}

/** Meshplane's own metric names (from the sources) plus prom-client's default Node metrics. */
function exportedMetricNames(): Set<string> {
  const names = new Set<string>();
  const sources = ['libs', 'services'].flatMap((dir) => typeScriptSources(join(repoRoot, dir)));
  for (const path of sources) {
    for (const match of readFileSync(path, 'utf8').matchAll(/name:\s*'(meshplane_[a-z0-9_]+)'/g)) {
      names.add(match[1]!);
    }
  }
  const promClient = dirname(
    createRequire(join(repoRoot, 'libs/platform/package.json')).resolve('prom-client'),
  );
  const defaults = join(promClient, 'lib/metrics');
  for (const file of readdirSync(defaults).filter((f) => f.endsWith('.js'))) {
    for (const match of readFileSync(join(defaults, file), 'utf8').matchAll(
      /=\s*'((?:nodejs|process)_[a-z0-9_]+)'/g,
    )) {
      names.add(match[1]!);
    }
  }
  return names;
}

function typeScriptSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return ['node_modules', 'dist'].includes(entry.name) ? [] : typeScriptSources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

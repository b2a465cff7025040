import { HttpRequestRecordSchema } from '@meshplane/protocol';
import { describe, expect, it } from 'vitest';
import { parseScenario } from './scenario.js';
import { SimulatedCluster } from './simulated-cluster.js';
import { SimulatedHttpSource } from './simulated-http-source.js';

const SCENARIO = `
cluster: l7-sim
seed: 3
podCidr: 10.90.0.0/16
nodes: { count: 1 }
namespaces: [{ name: shop }]
workloads:
  - { name: web, namespace: shop, replicas: 2, labels: { app: web } }
  - { name: api, namespace: shop, replicas: 2, labels: { app: api } }
  - { name: db, namespace: shop, replicas: 1, labels: { app: db } }
services:
  - { name: api, namespace: shop, selector: { app: api }, ports: [{ name: http, port: 80, targetPort: 8080 }] }
  - { name: db, namespace: shop, selector: { app: db }, ports: [{ name: pg, port: 5432 }] }
http: { perSecond: 100, errorBurstEverySeconds: 60, errorBurstSeconds: 10 }
`;

describe('SimulatedHttpSource', () => {
  const scenario = parseScenario(SCENARIO, 'l7-sim.yaml');
  const cluster = new SimulatedCluster(scenario);
  const apiIps = new Set(
    cluster
      .pods()
      .filter((pod) => pod.workload.name === 'api')
      .map((pod) => pod.object.ips[0]),
  );

  it('sends valid, private L7 records to the pods behind HTTP Services only, with a latency spread', () => {
    const requests = new SimulatedHttpSource(scenario, cluster).generate(2_000, 1_800_000_030_000);
    expect(requests).toHaveLength(2_000);
    for (const request of requests) {
      expect(HttpRequestRecordSchema.safeParse({ seq: 1, ...request }).success).toBe(true);
      expect(apiIps.has(request.destination.ip)).toBe(true);
      expect(request.destination.port).toBe(8080);
      expect(request.path).not.toMatch(/[?#]|\d{2,}/);
    }
    const paths = new Set(requests.map((request) => request.path));
    expect(paths).toContain('/orders/{id}');
    expect(paths).toContain('/users/{id}/cart');
    expect(new Set(requests.map((request) => request.method)).size).toBeGreaterThanOrEqual(4);
    const durations = requests.map((request) => request.durationMs).sort((a, b) => a - b);
    expect(durations[Math.floor(durations.length * 0.99)]!).toBeGreaterThan(
      2 * durations[durations.length / 2]!,
    );
  });

  it('has error bursts: one server answers mostly 5xx during a burst, rarely outside it', () => {
    const source = new SimulatedHttpSource(scenario, cluster);
    const share5xx = (now: number) => {
      const requests = source.generate(1_000, now);
      return requests.filter((request) => request.responseCode >= 500).length / requests.length;
    };
    const minute = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);
    expect(share5xx(minute + 5_000)).toBeGreaterThan(0.4);
    expect(share5xx(minute + 30_000)).toBeLessThan(0.05);
  });
});

import { type CalicoResource, PolicyEvaluator, ReferenceDataplane } from '@meshplane/policy';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterState, podId, tenantArb, tenantWorld } from './enforcement.fixtures.js';
import { compileBundles } from './federation-compiler.js';

const RUNS = Number(process.env['DIFFERENTIAL_RUNS'] ?? 2000);

/**
 * Enforcement ≡ intent: for generated tenants, the verdict Meshplane computes over the tenant-wide
 * world (what what-if and the reports use) equals what stock Calico decides in each cluster with
 * the bundle Meshplane compiled for it — egress on the source's cluster, ingress on the
 * destination's — for every ordered pair of pods and a few ports.
 */
describe('enforcement ≡ intent across clusters', () => {
  it('gives every flow between pods of the tenant the verdict each cluster’s Calico enforces', {
    timeout: 180_000,
  }, () => {
    const seed = Number(process.env['DIFFERENTIAL_SEED'] ?? Date.now() % 2 ** 31);
    const started = performance.now();
    let flows = 0;
    let denied = 0;
    let crossCluster = 0;
    fc.assert(
      fc.property(tenantArb, (tenant) => {
        const bundles = compileBundles(tenant.input);
        const dataplanes = new Map(
          tenant.input.clusters.map((cluster) => [
            cluster.id,
            new ReferenceDataplane(
              clusterState(
                tenant,
                cluster.id,
                bundles.get(cluster.id)!.objects as unknown as CalicoResource[],
              ),
            ),
          ]),
        );
        const evaluator = new PolicyEvaluator(tenantWorld(tenant));
        for (const source of tenant.pods) {
          for (const destination of tenant.pods) {
            if (source === destination) continue;
            for (const [protocol, port] of [
              ['TCP', 5432],
              ['UDP', 80],
            ] as const) {
              const packet = {
                source: source.ip,
                destination: destination.ip,
                protocol,
                sourcePort: 40000,
                destinationPort: port,
              };
              const egress = dataplanes.get(source.clusterId)!.decide(packet).egress!;
              const ingress = dataplanes.get(destination.clusterId)!.decide(packet).ingress!;
              const ours = evaluator.evaluate({
                source: { endpoint: podId(source) },
                destination: { endpoint: podId(destination) },
                protocol,
                sourcePort: 40000,
                destinationPort: port,
              });
              flows++;
              if (source.clusterId !== destination.clusterId) crossCluster++;
              if (egress.action === 'Deny' || ingress.action === 'Deny') denied++;
              const flow = `${protocol} ${podId(source)} → ${podId(destination)}:${port}`;
              expect({ flow, egress: ours.egress?.action, ingress: ours.ingress?.action }).toEqual({
                flow,
                egress: egress.action,
                ingress: ingress.action,
              });
            }
          }
        }
      }),
      { numRuns: RUNS, seed },
    );
    console.info(
      `differential (tenants): seed ${seed}, ${RUNS} tenants, ${flows} flows (${crossCluster} across clusters, ${denied} denied), ${Math.round(performance.now() - started)} ms`,
    );
    expect(denied / flows).toBeGreaterThan(0.1);
    expect(denied / flows).toBeLessThan(0.9);
    expect(crossCluster / flows).toBeGreaterThan(0.5);
  });
});

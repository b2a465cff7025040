import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolicyEvaluator } from '../evaluate/evaluator.js';
import { clusterArb, evaluatorWorld, packetsOf } from './dataplane.fixtures.js';
import { ReferenceDataplane } from './reference-dataplane.js';

const RUNS = Number(process.env['DIFFERENTIAL_RUNS'] ?? 2000);

describe('PolicyEvaluator ≡ the reference data plane, inside one cluster', () => {
  it('gives every packet between pods (and outside addresses) the verdict Felix would', {
    timeout: 180_000,
  }, () => {
    const started = performance.now();
    let packets = 0;
    let denied = 0;
    const seed = Number(process.env['DIFFERENTIAL_SEED'] ?? Date.now() % 2 ** 31);
    fc.assert(
      fc.property(clusterArb, (cluster) => {
        const reference = new ReferenceDataplane(cluster.state);
        const evaluator = new PolicyEvaluator(evaluatorWorld(cluster));
        for (const { packet, flow } of packetsOf(cluster)) {
          packets++;
          const felix = reference.decide(packet);
          if (!felix.allowed) denied++;
          const ours = evaluator.evaluate(flow);
          const where = `${packet.protocol} ${packet.source} → ${packet.destination}:${packet.destinationPort ?? ''}`;
          expect({ where, egress: ours.egress?.action, ingress: ours.ingress?.action }).toEqual({
            where,
            egress: felix.egress?.action,
            ingress: felix.ingress?.action,
          });
        }
      }),
      { numRuns: RUNS, seed },
    );
    console.info(
      `differential (one cluster): seed ${seed}, ${RUNS} clusters, ${packets} packets (${denied} denied), ${Math.round(performance.now() - started)} ms`,
    );
    // The generator must give both verdicts often, or the comparison proves nothing.
    expect(denied / packets).toBeGreaterThan(0.05);
    expect(denied / packets).toBeLessThan(0.9);
  });
});

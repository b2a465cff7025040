import { describe, expect, it } from 'vitest';
import { CELL, type LayoutNode, layoutGraph, OUTSIDE } from './graph-layout';

const node = (kind: string, cluster: string | null, namespace: string, name: string): LayoutNode => ({
  id: `${kind}:${cluster ?? ''}/${namespace}/${name}`,
  kind,
  cluster,
  namespace,
  name,
});

/** A tenant-sized graph: clusters × namespaces × workloads, with Services and outside networks. */
function sample(clusters: number, namespaces: number, workloads: number): LayoutNode[] {
  const nodes: LayoutNode[] = [node('network', null, '', 'pub'), node('network', null, '', 'pvt')];
  for (let c = 0; c < clusters; c += 1)
    for (let n = 0; n < namespaces; n += 1)
      for (let w = 0; w < workloads; w += 1) {
        nodes.push(node('workload', `c-${c}`, `ns-${n}`, `w-${w}`));
        if (w % 3 === 0) nodes.push(node('service', `c-${c}`, `ns-${n}`, `w-${w}`));
      }
  return nodes;
}

/** A deterministic shuffle (the answer's order must not matter). */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  let state = 7;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const inside = (p: { x: number; y: number }, b: { x: number; y: number; width: number; height: number }) =>
  p.x > b.x && p.x < b.x + b.width && p.y > b.y && p.y < b.y + b.height;

describe('the service graph layout', () => {
  it('puts the same nodes in the same places whatever order they come in', () => {
    const nodes = sample(3, 4, 7);
    const first = layoutGraph(nodes);
    const again = layoutGraph(shuffled(nodes));
    expect([...again.positions.entries()].sort()).toEqual([...first.positions.entries()].sort());
    expect(again.boxes).toEqual(first.boxes);
  });

  it('places every node once, inside its namespace box inside its cluster box, none on another', () => {
    const nodes = sample(4, 3, 10);
    const { positions, boxes } = layoutGraph(nodes);
    expect(positions.size).toBe(nodes.length);
    const taken = new Set<string>();
    for (const n of nodes) {
      const p = positions.get(n.id)!;
      const key = `${p.x},${p.y}`;
      expect(taken.has(key)).toBe(false);
      taken.add(key);
      const cluster = boxes.find((b) => b.level === 'cluster' && b.label === (n.cluster ?? OUTSIDE))!;
      expect(inside(p, cluster)).toBe(true);
      const namespace = boxes.filter((b) => b.level === 'namespace' && inside(b, cluster) && inside(p, b));
      expect(namespace.map((b) => b.label)).toEqual([n.namespace === '' ? '(no namespace)' : n.namespace]);
    }
  });

  it('keeps cluster boxes apart, outside networks last, and a Service beside its workload', () => {
    const { positions, boxes } = layoutGraph(sample(5, 2, 4));
    const clusters = boxes.filter((b) => b.level === 'cluster');
    expect(clusters.map((b) => b.label)).toEqual(['c-0', 'c-1', 'c-2', 'c-3', 'c-4', OUTSIDE]);
    for (const a of clusters)
      for (const b of clusters) {
        if (a === b) continue;
        const apart =
          a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart).toBe(true);
      }
    const service = positions.get('service:c-0/ns-0/w-0')!;
    const workload = positions.get('workload:c-0/ns-0/w-0')!;
    expect(Math.hypot(service.x - workload.x, service.y - workload.y)).toBe(CELL);
  });

  it('lays out 2,000 nodes in well under a frame budget', () => {
    const nodes = sample(10, 10, 15);
    expect(nodes.length).toBeGreaterThan(2_000);
    const started = performance.now();
    layoutGraph(nodes);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

import type { ServiceGraphQuery } from '../../api/generated';
import type { Answered } from '../../api/graphql';

type Answer = Answered<ServiceGraphQuery>;
export type GraphNodeItem = Answer['serviceGraph']['nodes'][number];
export type GraphEdgeItem = Answer['serviceGraph']['edges'][number];
type Threats = Answer['threatSignals'];

/** allowed: only allowed flows; denied: only denied; mixed: both. */
export type EdgeVerdict = 'allowed' | 'denied' | 'mixed' | 'other';

export interface ModelEdge extends GraphEdgeItem {
  /** Stable key: source and destination ids. */
  readonly key: string;
  readonly verdict: EdgeVerdict;
  /** Allowed traffic between clusters that a compliance zone forbids (its names). */
  readonly violations: readonly string[];
}

export interface ModelNode extends GraphNodeItem {
  /** Denied-flow spikes of this workload in the window (its largest). */
  readonly spike: { deniedFlows: number; baseline: number } | undefined;
}

export interface GraphModel {
  readonly nodes: readonly ModelNode[];
  readonly edges: readonly ModelEdge[];
}

export function edgeKey(source: string, destination: string): string {
  return `${source} → ${destination}`;
}

export function verdictOf(edge: Pick<GraphEdgeItem, 'allowedFlows' | 'deniedFlows'>): EdgeVerdict {
  if (edge.allowedFlows > 0 && edge.deniedFlows > 0) return 'mixed';
  if (edge.deniedFlows > 0) return 'denied';
  if (edge.allowedFlows > 0) return 'allowed';
  return 'other';
}

/**
 * What the page draws from one answer: every edge with its verdict and the compliance zones its
 * allowed traffic crossed, every node with its denied-flow spike; `crossClusterOnly` keeps the
 * edges between clusters and the nodes they join. Order is the API's (nodes by cluster and
 * namespace, edges heaviest first), so the same answer gives the same model.
 */
export function graphModel(
  graph: Pick<Answer['serviceGraph'], 'nodes' | 'edges'>,
  threats: Threats,
  options: { crossClusterOnly: boolean },
): GraphModel {
  const zonesByPair = new Map<string, string[]>();
  for (const crossing of threats.zoneCrossings) {
    const pair = `${crossing.sourceCluster}\u0000${crossing.destinationCluster}`;
    const zones = zonesByPair.get(pair) ?? [];
    if (!zones.includes(crossing.zone)) zones.push(crossing.zone);
    zonesByPair.set(pair, zones);
  }
  const spikes = new Map<string, { deniedFlows: number; baseline: number }>();
  for (const spike of threats.deniedSpikes) {
    const id = `workload:${spike.cluster ?? ''}/${spike.namespace}/${spike.workload}`;
    const known = spikes.get(id);
    if (!known || known.deniedFlows < spike.deniedFlows)
      spikes.set(id, { deniedFlows: spike.deniedFlows, baseline: spike.baseline });
  }
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const edges = graph.edges
    .filter((edge) => !options.crossClusterOnly || edge.crossCluster)
    .map((edge): ModelEdge => {
      const from = byId.get(edge.source)?.cluster;
      const to = byId.get(edge.destination)?.cluster;
      const violations =
        edge.crossCluster && edge.allowedFlows > 0 && from && to
          ? (zonesByPair.get(`${from}\u0000${to}`) ?? [])
          : [];
      return { ...edge, key: edgeKey(edge.source, edge.destination), verdict: verdictOf(edge), violations };
    });
  const used = options.crossClusterOnly
    ? new Set(edges.flatMap((e) => [e.source, e.destination]))
    : undefined;
  const nodes = graph.nodes
    .filter((node) => used === undefined || used.has(node.id))
    .map((node): ModelNode => ({ ...node, spike: spikes.get(node.id) }));
  return { nodes, edges };
}

/** A node as a person reads it: `cluster / namespace / name`. */
export function nodeLabel(node: Pick<GraphNodeItem, 'cluster' | 'namespace' | 'name'>): string {
  return [node.cluster ?? 'outside', node.namespace, node.name].filter((part) => part !== '').join(' / ');
}

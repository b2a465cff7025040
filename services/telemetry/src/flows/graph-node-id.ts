/**
 * Service-graph node ids, `<kind>:<cluster>/<namespace>/<name>` (cluster and namespace empty where
 * the node has none): written by the service graph, read back by the flows filter `edge`, which
 * answers the flows drawn on one edge. Cluster and namespace names hold no `/`, so the name is
 * everything after the second one.
 */

export const GRAPH_NODE_KINDS = ['workload', 'host', 'service', 'network'] as const;
export type GraphNodeKindValue = (typeof GRAPH_NODE_KINDS)[number];

export interface GraphNodeRef {
  kind: GraphNodeKindValue;
  /** Empty for outside networks. */
  cluster: string;
  namespace: string;
  name: string;
}

export function graphNodeId(node: GraphNodeRef): string {
  return `${node.kind}:${node.cluster}/${node.namespace}/${node.name}`;
}

/** The node an id names; undefined for anything the service graph never wrote. */
export function parseGraphNodeId(id: string): GraphNodeRef | undefined {
  const match = /^([a-z]+):([^/]*)\/([^/]*)\/(.+)$/.exec(id);
  if (!match) return undefined;
  const kind = match[1] as GraphNodeKindValue;
  if (!GRAPH_NODE_KINDS.includes(kind)) return undefined;
  const node = { kind, cluster: match[2]!, namespace: match[3]!, name: match[4]! };
  // A network has no cluster; every other kind has one.
  if ((kind === 'network') !== (node.cluster === '')) return undefined;
  return node;
}

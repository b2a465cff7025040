/**
 * The service graph's layout: deterministic (no random seed, no iteration), so the same nodes
 * are drawn in the same places on every refresh, and linear in the number of nodes, so thousands
 * of nodes lay out in milliseconds. Nodes are grouped by cluster (outside networks last), then by
 * namespace; each namespace is a box of nodes on a square grid (sorted by name, then kind, so a
 * Service sits beside its workload), namespaces are packed in rows inside their cluster's box, and
 * clusters in rows on the plane. A node's place depends only on the set of nodes, never on
 * traffic, so changing byte counts move nothing.
 */

export interface LayoutNode {
  readonly id: string;
  readonly kind: string;
  readonly cluster: string | null;
  readonly namespace: string;
  readonly name: string;
}

export interface Box {
  /** `cluster` or `namespace`. */
  readonly level: 'cluster' | 'namespace';
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Layout {
  /** Node id → centre; y grows downwards. */
  readonly positions: ReadonlyMap<string, { x: number; y: number }>;
  /** Cluster and namespace boxes, clusters first. */
  readonly boxes: readonly Box[];
}

/** Grid cell of one node. */
export const CELL = 10;
/** Room above a box's content for its label. */
const HEADER = 6;
const PADDING = 3;
const GAP = 4;

export const OUTSIDE = 'Outside the clusters';

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Sized {
  width: number;
  height: number;
}

/**
 * Places items in rows no wider than `maxWidth` (at least one per row), in order; returns each
 * item's offset and the size of the whole.
 */
function shelves<T extends Sized>(items: readonly T[], maxWidth: number) {
  const placed: { item: T; x: number; y: number }[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  for (const item of items) {
    if (x > 0 && x + item.width > maxWidth) {
      y += rowHeight + GAP;
      x = 0;
      rowHeight = 0;
    }
    placed.push({ item, x, y });
    x += item.width + GAP;
    rowHeight = Math.max(rowHeight, item.height);
    width = Math.max(width, x - GAP);
  }
  return { placed, width, height: y + rowHeight };
}

/** The width a row of boxes should not exceed: about square overall. */
function targetWidth(items: readonly Sized[]): number {
  const area = items.reduce((sum, item) => sum + (item.width + GAP) * (item.height + GAP), 0);
  const widest = items.reduce((max, item) => Math.max(max, item.width), 0);
  return Math.max(widest, Math.sqrt(area) * 1.4);
}

export function layoutGraph(nodes: readonly LayoutNode[]): Layout {
  const clusters = new Map<string, Map<string, LayoutNode[]>>();
  for (const node of nodes) {
    const cluster = node.cluster ?? OUTSIDE;
    let namespaces = clusters.get(cluster);
    if (namespaces === undefined) {
      namespaces = new Map();
      clusters.set(cluster, namespaces);
    }
    const members = namespaces.get(node.namespace);
    if (members === undefined) namespaces.set(node.namespace, [node]);
    else members.push(node);
  }
  const clusterNames = [...clusters.keys()].sort((a, b) =>
    a === OUTSIDE ? 1 : b === OUTSIDE ? -1 : compare(a, b),
  );

  const clusterBoxes = clusterNames.map((cluster) => {
    const namespaces = clusters.get(cluster)!;
    const namespaceBoxes = [...namespaces.keys()].sort(compare).map((namespace) => {
      const members = [...namespaces.get(namespace)!].sort(
        (a, b) => compare(a.name, b.name) || compare(a.kind, b.kind) || compare(a.id, b.id),
      );
      const columns = Math.ceil(Math.sqrt(members.length));
      const rows = Math.ceil(members.length / columns);
      return {
        namespace,
        members,
        columns,
        width: columns * CELL + 2 * PADDING,
        height: rows * CELL + HEADER + 2 * PADDING,
      };
    });
    const inner = shelves(namespaceBoxes, targetWidth(namespaceBoxes));
    return {
      cluster,
      inner,
      width: inner.width + 2 * PADDING,
      height: inner.height + HEADER + 2 * PADDING,
    };
  });

  const outer = shelves(clusterBoxes, targetWidth(clusterBoxes));
  const positions = new Map<string, { x: number; y: number }>();
  const boxes: Box[] = [];
  const namespaceBoxesOut: Box[] = [];
  for (const { item: clusterBox, x: cx, y: cy } of outer.placed) {
    boxes.push({
      level: 'cluster',
      label: clusterBox.cluster,
      x: cx,
      y: cy,
      width: clusterBox.width,
      height: clusterBox.height,
    });
    for (const { item: nsBox, x, y } of clusterBox.inner.placed) {
      const left = cx + PADDING + x;
      const top = cy + HEADER + PADDING + y;
      namespaceBoxesOut.push({
        level: 'namespace',
        label: nsBox.namespace === '' ? '(no namespace)' : nsBox.namespace,
        x: left,
        y: top,
        width: nsBox.width,
        height: nsBox.height,
      });
      nsBox.members.forEach((node, index) => {
        positions.set(node.id, {
          x: left + PADDING + (index % nsBox.columns) * CELL + CELL / 2,
          y: top + HEADER + PADDING + Math.floor(index / nsBox.columns) * CELL + CELL / 2,
        });
      });
    }
  }
  return { positions, boxes: [...boxes, ...namespaceBoxesOut] };
}

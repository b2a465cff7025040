import Graph from 'graphology';
import Sigma from 'sigma';
import type { Layout } from './graph-layout';
import type { EdgeVerdict, GraphModel } from './graph-model';

/**
 * Draws a service graph with sigma.js (WebGL) over graphology: nodes at the layout's places
 * (graph y grows upwards in sigma, so the layout's y is negated), edges coloured by verdict,
 * cluster and namespace boxes on a canvas beneath the edges, redrawn with the camera. Framework-
 * free, so the page and the browser benchmark draw with the same code.
 */

export const KIND_COLOURS: Record<string, string> = {
  WORKLOAD: '#0b5cad',
  SERVICE: '#11703b',
  HOST: '#6b4fbb',
  NETWORK: '#5f6b7a',
};
export const VERDICT_COLOURS: Record<EdgeVerdict, string> = {
  allowed: '#8fb3d9',
  denied: '#d93025',
  mixed: '#e0a000',
  other: '#adb5bd',
};
export const VIOLATION_COLOUR = '#8e24aa';
export const THREAT_COLOUR = '#b3261e';
/**
 * Up to this many edges, edges are arrows and answer clicks; above it they are plain lines and
 * are selected from the edge table (or through a node): arrows and edge picking (a second
 * off-screen pass over every edge) cost several times the frame on a software renderer
 * (`test/bench/graph`).
 */
export const RICH_EDGES_LIMIT = 2_000;
const SELECTED_COLOUR = '#111111';

export type Selection = { kind: 'node'; id: string } | { kind: 'edge'; key: string } | undefined;

export interface GraphRenderer {
  /** Highlights a node or an edge (and the edges of a selected node). */
  select(selection: Selection): void;
  /** The drawn nodes' places in graph coordinates, by id (what the layout gave them). */
  positions(): Record<string, { x: number; y: number }>;
  /** Nodes and edges drawn. */
  counts(): { nodes: number; edges: number };
  /** Where a node is on screen now, in pixels from the canvas's top left. */
  viewportOf(id: string): { x: number; y: number };
  /** Resolves after the next frame sigma draws. */
  nextRender(): Promise<void>;
  readonly sigma: Sigma;
  kill(): void;
}

function edgeSize(bytes: number): number {
  return Math.min(5, 0.6 + Math.log10(1 + bytes) / 3);
}

export function createGraphRenderer(
  container: HTMLElement,
  model: GraphModel,
  layout: Layout,
  onSelect: (selection: Selection) => void,
): GraphRenderer {
  const graph = new Graph({ type: 'directed', multi: false, allowSelfLoops: true });
  for (const node of model.nodes) {
    const place = layout.positions.get(node.id) ?? { x: 0, y: 0 };
    graph.addNode(node.id, {
      x: place.x,
      y: -place.y,
      size: node.spike ? 7 : 4,
      color: node.spike ? THREAT_COLOUR : (KIND_COLOURS[node.kind] ?? '#5f6b7a'),
      label: node.name,
    });
  }
  for (const edge of model.edges) {
    if (!graph.hasNode(edge.source) || !graph.hasNode(edge.destination)) continue;
    graph.addDirectedEdgeWithKey(edge.key, edge.source, edge.destination, {
      size: edgeSize(edge.bytes) + (edge.violations.length > 0 ? 1.5 : 0),
      color: edge.violations.length > 0 ? VIOLATION_COLOUR : VERDICT_COLOURS[edge.verdict],
    });
  }

  let selection: Selection;
  const sigma = new Sigma(graph, container, {
    defaultEdgeType: model.edges.length <= RICH_EDGES_LIMIT ? 'arrow' : 'line',
    enableEdgeEvents: model.edges.length <= RICH_EDGES_LIMIT,
    renderEdgeLabels: false,
    labelRenderedSizeThreshold: model.nodes.length > 300 ? 9 : 3,
    zIndex: true,
    nodeReducer: (node, data) => {
      if (selection?.kind === 'node' && selection.id === node)
        return {
          ...data,
          size: (data.size as number) + 4,
          color: SELECTED_COLOUR,
          zIndex: 2,
          forceLabel: true,
        };
      if (selection?.kind === 'edge') {
        const [source, destination] = graph.extremities(selection.key);
        if (node === source || node === destination) return { ...data, zIndex: 1, forceLabel: true };
      }
      return data;
    },
    edgeReducer: (edge, data) => {
      if (selection?.kind === 'edge' && selection.key === edge)
        return { ...data, size: (data.size as number) + 3, color: SELECTED_COLOUR, zIndex: 2 };
      if (selection?.kind === 'node' && graph.hasExtremity(edge, selection.id))
        return { ...data, size: (data.size as number) + 1.5, zIndex: 1 };
      return data;
    },
  });
  // Frame the boxes, not only the nodes, so that cluster labels and edges stay in view.
  if (layout.boxes.length > 0) {
    const left = Math.min(...layout.boxes.map((b) => b.x));
    const right = Math.max(...layout.boxes.map((b) => b.x + b.width));
    const top = Math.min(...layout.boxes.map((b) => b.y));
    const bottom = Math.max(...layout.boxes.map((b) => b.y + b.height));
    sigma.setCustomBBox({ x: [left, right], y: [-bottom, -top] });
    sigma.refresh();
  }
  sigma.on('clickNode', ({ node }) => onSelect({ kind: 'node', id: node }));
  sigma.on('clickEdge', ({ edge }) => onSelect({ kind: 'edge', key: edge }));

  // Cluster and namespace boxes beneath the edges, redrawn after every frame (pan, zoom, resize).
  const boxes = sigma.createCanvas('groups', { beforeLayer: 'edges' });
  const context = boxes.getContext('2d');
  const drawBoxes = () => {
    if (!context) return;
    const ratio = window.devicePixelRatio || 1;
    const { width, height } = sigma.getDimensions();
    if (boxes.width !== Math.round(width * ratio) || boxes.height !== Math.round(height * ratio)) {
      boxes.width = Math.round(width * ratio);
      boxes.height = Math.round(height * ratio);
      boxes.style.width = `${width}px`;
      boxes.style.height = `${height}px`;
    }
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    for (const box of layout.boxes) {
      const a = sigma.graphToViewport({ x: box.x, y: -box.y });
      const b = sigma.graphToViewport({ x: box.x + box.width, y: -(box.y + box.height) });
      const w = b.x - a.x;
      const h = b.y - a.y;
      if (a.x > width || a.y > height || b.x < 0 || b.y < 0) continue;
      const cluster = box.level === 'cluster';
      context.fillStyle = cluster ? 'rgba(16, 42, 67, 0.04)' : 'rgba(11, 92, 173, 0.05)';
      context.strokeStyle = cluster ? '#9fb3c8' : '#d5dae1';
      context.lineWidth = cluster ? 1.5 : 1;
      context.fillRect(a.x, a.y, w, h);
      context.strokeRect(a.x, a.y, w, h);
      const font = cluster ? 13 : 11;
      if (w > 40 && h > font * 2) {
        context.fillStyle = cluster ? '#102a43' : '#4d5663';
        context.font = `${cluster ? 600 : 400} ${font}px system-ui, sans-serif`;
        context.fillText(box.label, a.x + 4, a.y + font + 2, w - 8);
      }
    }
  };
  sigma.on('afterRender', drawBoxes);
  drawBoxes();

  return {
    sigma,
    select(next) {
      selection = next;
      sigma.refresh({ skipIndexation: true });
    },
    positions() {
      const out: Record<string, { x: number; y: number }> = {};
      graph.forEachNode((id, attributes) => {
        out[id] = { x: attributes.x as number, y: -(attributes.y as number) };
      });
      return out;
    },
    counts: () => ({ nodes: graph.order, edges: graph.size }),
    viewportOf(id) {
      const attributes = graph.getNodeAttributes(id);
      return sigma.graphToViewport({ x: attributes.x as number, y: attributes.y as number });
    },
    nextRender: () => new Promise((resolve) => sigma.once('afterRender', () => resolve())),
    kill() {
      sigma.kill();
    },
  };
}

/**
 * The browser side of the graph benchmark (typechecked with the console: services/console/tsconfig.json), bundled by Vite into one script: the console's own
 * model, layout and sigma renderer (what the Graph page draws with), and a baseline that draws
 * the same nodes and edges as plain SVG elements at the same places.
 */
import type { ServiceGraphQuery } from '../../../services/console/src/api/generated';
import type { Answered } from '../../../services/console/src/api/graphql';
import { layoutGraph } from '../../../services/console/src/pages/graph/graph-layout';
import { graphModel } from '../../../services/console/src/pages/graph/graph-model';
import { createGraphRenderer } from '../../../services/console/src/pages/graph/graph-renderer';

type Graph = Pick<Answered<ServiceGraphQuery>['serviceGraph'], 'nodes' | 'edges'>;

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

export interface Timing {
  /** From the data to the first frame on screen. */
  drawnMs: number;
  /** Each pan: from the camera move to the frame that shows it. */
  panMs: number[];
}

export async function drawSigma(container: HTMLElement, graph: Graph, pans: number): Promise<Timing> {
  const started = performance.now();
  const model = graphModel(graph, { deniedSpikes: [], zoneCrossings: [] }, { crossClusterOnly: false });
  const layout = layoutGraph(model.nodes);
  const renderer = createGraphRenderer(container, model, layout, () => {});
  await frame();
  const drawnMs = performance.now() - started;
  const panMs: number[] = [];
  const camera = renderer.sigma.getCamera();
  for (let i = 0; i < pans; i += 1) {
    const t = performance.now();
    const rendered = renderer.nextRender();
    const state = camera.getState();
    camera.setState({ ...state, x: state.x + (i % 2 === 0 ? 0.05 : -0.05) });
    await rendered;
    await frame();
    panMs.push(performance.now() - t);
  }
  renderer.kill();
  return { drawnMs, panMs };
}

const SVG = 'http://www.w3.org/2000/svg';

export async function drawSvg(container: HTMLElement, graph: Graph, pans: number): Promise<Timing> {
  const started = performance.now();
  const layout = layoutGraph(graph.nodes);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', String(container.clientWidth));
  svg.setAttribute('height', String(container.clientHeight));
  const xs = [...layout.positions.values()].map((p) => p.x);
  const ys = [...layout.positions.values()].map((p) => p.y);
  const scale = Math.min(
    container.clientWidth / (Math.max(...xs) - Math.min(...xs) + 20),
    container.clientHeight / (Math.max(...ys) - Math.min(...ys) + 20),
  );
  const g = document.createElementNS(SVG, 'g');
  let dx = 10 - Math.min(...xs) * scale;
  const dy = 10 - Math.min(...ys) * scale;
  g.setAttribute('transform', `translate(${dx} ${dy}) scale(${scale})`);
  for (const edge of graph.edges) {
    const a = layout.positions.get(edge.source)!;
    const b = layout.positions.get(edge.destination)!;
    const line = document.createElementNS(SVG, 'line');
    line.setAttribute('x1', String(a.x));
    line.setAttribute('y1', String(a.y));
    line.setAttribute('x2', String(b.x));
    line.setAttribute('y2', String(b.y));
    line.setAttribute('stroke', edge.deniedFlows > 0 ? '#d93025' : '#8fb3d9');
    line.setAttribute('stroke-width', '0.5');
    g.append(line);
  }
  for (const node of graph.nodes) {
    const p = layout.positions.get(node.id)!;
    const circle = document.createElementNS(SVG, 'circle');
    circle.setAttribute('cx', String(p.x));
    circle.setAttribute('cy', String(p.y));
    circle.setAttribute('r', '2');
    circle.setAttribute('fill', '#0b5cad');
    g.append(circle);
  }
  svg.append(g);
  container.append(svg);
  await frame();
  await frame();
  const drawnMs = performance.now() - started;
  const panMs: number[] = [];
  for (let i = 0; i < pans; i += 1) {
    const t = performance.now();
    dx += i % 2 === 0 ? 30 : -30;
    g.setAttribute('transform', `translate(${dx} ${dy}) scale(${scale})`);
    await frame();
    await frame();
    panMs.push(performance.now() - t);
  }
  svg.remove();
  return { drawnMs, panMs };
}

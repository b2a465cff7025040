import { useEffect, useRef } from 'react';
import type { Layout } from './graph-layout';
import type { GraphModel } from './graph-model';
import { createGraphRenderer, type GraphRenderer, type Selection } from './graph-renderer';

/** What the canvas element offers a test or a script: what is drawn, and where. */
export interface DrawnGraph {
  positions(): Record<string, { x: number; y: number }>;
  counts(): { nodes: number; edges: number };
  viewportOf(id: string): { x: number; y: number };
}

/**
 * The WebGL canvas of the graph (sigma.js). A canvas says nothing to a screen reader: the page
 * puts the same nodes and edges in tables beside it, where the keyboard selects them.
 */
export function GraphCanvas(props: {
  model: GraphModel;
  layout: Layout;
  selection: Selection;
  onSelect: (selection: Selection) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const renderer = useRef<GraphRenderer | undefined>(undefined);
  const onSelect = useRef(props.onSelect);
  onSelect.current = props.onSelect;
  const selection = useRef(props.selection);
  selection.current = props.selection;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const drawn = createGraphRenderer(element, props.model, props.layout, (s) => onSelect.current(s));
    drawn.select(selection.current);
    renderer.current = drawn;
    const view: DrawnGraph = {
      positions: () => drawn.positions(),
      counts: () => drawn.counts(),
      viewportOf: (id) => drawn.viewportOf(id),
    };
    Object.defineProperty(element, 'meshplaneGraph', { value: view, configurable: true });
    return () => {
      renderer.current = undefined;
      drawn.kill();
    };
  }, [props.model, props.layout]);

  useEffect(() => {
    renderer.current?.select(props.selection);
  }, [props.selection]);

  return (
    <div
      ref={container}
      className="graph-canvas"
      data-testid="graph-canvas"
      role="img"
      aria-label={`Service graph of ${props.model.nodes.length} nodes and ${props.model.edges.length} edges; the tables below list them and select them with the keyboard.`}
    />
  );
}

import { useState } from 'react';
import { formatBytes, formatCount } from '../../components/format';
import { type GraphModel, type ModelEdge, type ModelNode, nodeLabel } from './graph-model';
import type { Selection } from './graph-renderer';

/** Rows a table shows before "Show all". */
const FIRST_ROWS = 200;

function verdictText(edge: ModelEdge): string {
  return `${formatCount(edge.allowedFlows)} allowed, ${formatCount(edge.deniedFlows)} denied`;
}

export function edgeText(edge: ModelEdge, nodes: ReadonlyMap<string, ModelNode>): string {
  const name = (id: string) => {
    const node = nodes.get(id);
    return node ? nodeLabel(node) : id;
  };
  return `${name(edge.source)} → ${name(edge.destination)}`;
}

function MoreRows(props: { shown: number; total: number; onShowAll: () => void; what: string }) {
  if (props.shown >= props.total) return null;
  return (
    <p>
      Showing {formatCount(props.shown)} of {formatCount(props.total)} {props.what}.{' '}
      <button type="button" onClick={props.onShowAll}>
        Show all {props.what}
      </button>
    </p>
  );
}

interface Row {
  key: string;
  /** The row's name, on its select button. */
  label: string;
  selected: boolean;
  onToggle: () => void;
  cells: React.ReactNode[];
  verdict?: string;
}

/** A table whose rows each have a select button (keyboard too), the first rows until "Show all". */
function SelectableTable(props: {
  id: string;
  heading: string;
  caption: string;
  columns: readonly string[];
  rows: readonly Row[];
  what: string;
}) {
  const [all, setAll] = useState(false);
  const rows = all ? props.rows : props.rows.slice(0, FIRST_ROWS);
  return (
    <section className="panel" aria-labelledby={`${props.id}-heading`}>
      <h2 id={`${props.id}-heading`}>
        {props.heading} ({formatCount(props.rows.length)})
      </h2>
      <div className="table-scroll">
        <table className="data" data-testid={props.id}>
          <caption className="visually-hidden">{props.caption}</caption>
          <thead>
            <tr>
              {props.columns.map((column) => (
                <th scope="col" key={column}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-selected={row.selected || undefined} data-verdict={row.verdict}>
                <th scope="row">
                  <button type="button" className="link" aria-pressed={row.selected} onClick={row.onToggle}>
                    {row.label}
                  </button>
                </th>
                {row.cells.map((cell, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional, under their columns
                  <td key={index}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <MoreRows
        shown={rows.length}
        total={props.rows.length}
        onShowAll={() => setAll(true)}
        what={props.what}
      />
    </section>
  );
}

/**
 * The graph as two tables, nodes and edges, each row selectable with the keyboard (its button):
 * what the canvas draws, for screen readers and people without a mouse.
 */
export function GraphTables(props: {
  model: GraphModel;
  nodesById: ReadonlyMap<string, ModelNode>;
  selection: Selection;
  onSelect: (selection: Selection) => void;
}) {
  const degree = new Map<string, { in: number; out: number }>();
  for (const edge of props.model.edges) {
    const from = degree.get(edge.source) ?? { in: 0, out: 0 };
    from.out += 1;
    degree.set(edge.source, from);
    const to = degree.get(edge.destination) ?? { in: 0, out: 0 };
    to.in += 1;
    degree.set(edge.destination, to);
  }
  const selectedNode = props.selection?.kind === 'node' ? props.selection.id : undefined;
  const selectedEdge = props.selection?.kind === 'edge' ? props.selection.key : undefined;
  const edgeRows = props.model.edges.map((edge): Row => {
    const selected = edge.key === selectedEdge;
    return {
      key: edge.key,
      label: edgeText(edge, props.nodesById),
      selected,
      verdict: edge.verdict,
      onToggle: () => props.onSelect(selected ? undefined : { kind: 'edge', key: edge.key }),
      cells: [
        <span key="flows" className={`verdict ${edge.verdict}`}>
          {verdictText(edge)}
        </span>,
        formatBytes(edge.bytes),
        formatCount(edge.packets),
        edge.ports.join(', '),
        edge.policies.join(', ') || '—',
        [edge.crossCluster ? 'cross-cluster' : '', ...edge.violations.map((zone) => `crosses zone ${zone}`)]
          .filter(Boolean)
          .join('; '),
      ],
    };
  });
  const nodeRows = props.model.nodes.map((node): Row => {
    const selected = node.id === selectedNode;
    const d = degree.get(node.id) ?? { in: 0, out: 0 };
    return {
      key: node.id,
      label: nodeLabel(node),
      selected,
      onToggle: () => props.onSelect(selected ? undefined : { kind: 'node', id: node.id }),
      cells: [
        node.kind.toLowerCase(),
        `${d.in} / ${d.out}`,
        node.spike
          ? `denied-flow spike: ${formatCount(node.spike.deniedFlows)} in a minute (baseline ${node.spike.baseline.toFixed(1)})`
          : '',
      ],
    };
  });
  return (
    <div className="graph-tables">
      <SelectableTable
        id="graph-edges"
        heading="Edges"
        caption="Traffic between nodes, heaviest first"
        columns={['Edge', 'Flows', 'Bytes', 'Packets', 'Ports', 'Policies', 'Signals']}
        rows={edgeRows}
        what="edges"
      />
      <SelectableTable
        id="graph-nodes"
        heading="Nodes"
        caption="Workloads, Services and networks, by cluster and namespace"
        columns={['Node', 'Kind', 'Edges in / out', 'Signals']}
        rows={nodeRows}
        what="nodes"
      />
    </div>
  );
}

import { useEffect, useState } from 'react';
import { FlowsDocument } from '../../api/generated';
import { request } from '../../api/graphql';
import { ErrorMessage } from '../../components/error-message';
import { type FlowItem, FlowTable } from '../../components/flow-table';
import { formatBytes, formatCount } from '../../components/format';
import { Link } from '../../components/router';
import { type GraphModel, type ModelEdge, type ModelNode, nodeLabel } from './graph-model';
import type { Selection } from './graph-renderer';
import { edgeText } from './graph-tables';

/** Flows shown for a selected edge; the Flows page pages through the rest. */
const EDGE_FLOWS = 20;

function EdgeFlows(props: {
  edge: ModelEdge;
  window: { from: string; to: string };
  clusterNames: ReadonlyMap<string, string>;
}) {
  const [state, setState] = useState<{ flows?: FlowItem[]; more?: boolean; error?: unknown }>({});
  const { source, destination } = props.edge;
  const { from, to } = props.window;
  useEffect(() => {
    let current = true;
    setState({});
    request(FlowsDocument, { filter: { edge: { source, destination } }, from, to, first: EDGE_FLOWS }).then(
      ({ flows }) => {
        if (current) setState({ flows: flows.nodes, more: flows.pageInfo.hasNextPage });
      },
      (error: unknown) => {
        if (current) setState({ error });
      },
    );
    return () => {
      current = false;
    };
  }, [source, destination, from, to]);
  const flowsLink = `/flows?${new URLSearchParams({ edgeSource: source, edgeDestination: destination })}`;
  return (
    <section aria-labelledby="edge-flows-heading" aria-busy={!state.flows && !state.error}>
      <h3 id="edge-flows-heading">Flows on this edge, with the policy trace that decided them</h3>
      <ErrorMessage error={state.error} />
      {!state.flows && !state.error ? <p role="status">Loading flows…</p> : null}
      {state.flows && state.flows.length === 0 ? (
        <p role="status">No flows of this edge are stored any more.</p>
      ) : null}
      {state.flows && state.flows.length > 0 ? (
        <>
          <FlowTable
            flows={state.flows}
            clusterNames={props.clusterNames}
            caption="Flows on the selected edge"
          />
          <p>
            {state.more ? `The newest ${EDGE_FLOWS}. ` : ''}
            <Link to={flowsLink}>All flows of this edge on the Flows page</Link>
          </p>
        </>
      ) : null}
    </section>
  );
}

/** What is selected: an edge with its flows and their traces, or a node with its edges. */
export function GraphDetails(props: {
  model: GraphModel;
  nodesById: ReadonlyMap<string, ModelNode>;
  selection: Selection;
  window: { from: string; to: string };
  clusterNames: ReadonlyMap<string, string>;
  onSelect: (selection: Selection) => void;
}) {
  const { selection } = props;
  if (selection === undefined)
    return (
      <section className="panel graph-details" aria-labelledby="graph-details-heading">
        <h2 id="graph-details-heading">Selection</h2>
        <p className="hint">
          Select a node or an edge on the graph, or in the tables below, to see its flows.
        </p>
      </section>
    );
  if (selection.kind === 'edge') {
    const edge = props.model.edges.find((e) => e.key === selection.key);
    if (!edge) return null;
    return (
      <section
        className="panel graph-details"
        aria-labelledby="graph-details-heading"
        data-testid="edge-details"
      >
        <h2 id="graph-details-heading">Edge {edgeText(edge, props.nodesById)}</h2>
        <dl className="facts">
          <dt>Flows</dt>
          <dd>
            <span className="verdict allow">{formatCount(edge.allowedFlows)} allowed</span>,{' '}
            <span className="verdict deny">{formatCount(edge.deniedFlows)} denied</span>
          </dd>
          <dt>Traffic</dt>
          <dd>
            {formatBytes(edge.bytes)}, {formatCount(edge.packets)} packets, {formatCount(edge.connections)}{' '}
            connections
          </dd>
          <dt>Ports</dt>
          <dd>{edge.ports.join(', ')}</dd>
          <dt>Policies</dt>
          <dd>{edge.policies.join(', ') || 'none'}</dd>
          {edge.crossCluster ? (
            <>
              <dt>Clusters</dt>
              <dd>cross-cluster</dd>
            </>
          ) : null}
          {edge.violations.length > 0 ? (
            <>
              <dt>Compliance</dt>
              <dd className="violation">Allowed traffic across zone {edge.violations.join(', ')}</dd>
            </>
          ) : null}
        </dl>
        <EdgeFlows edge={edge} window={props.window} clusterNames={props.clusterNames} />
      </section>
    );
  }
  const node = props.nodesById.get(selection.id);
  if (!node) return null;
  const edges = props.model.edges.filter((e) => e.source === node.id || e.destination === node.id);
  const flowsLink = `/flows?${new URLSearchParams({ namespace: node.namespace, workload: node.name })}`;
  return (
    <section
      className="panel graph-details"
      aria-labelledby="graph-details-heading"
      data-testid="node-details"
    >
      <h2 id="graph-details-heading">
        {node.kind.toLowerCase()} {nodeLabel(node)}
      </h2>
      {node.spike ? (
        <p className="violation">
          Denied-flow spike: {formatCount(node.spike.deniedFlows)} denied flows in a minute, against a
          baseline of {node.spike.baseline.toFixed(1)}.
        </p>
      ) : null}
      <h3>Its edges ({edges.length})</h3>
      <ul className="edge-list">
        {edges.slice(0, 50).map((edge) => (
          <li key={edge.key}>
            <button
              type="button"
              className="link"
              onClick={() => props.onSelect({ kind: 'edge', key: edge.key })}
            >
              {edgeText(edge, props.nodesById)}
            </button>{' '}
            <span className={`verdict ${edge.verdict}`}>{edge.verdict}</span>
          </li>
        ))}
      </ul>
      {node.kind === 'WORKLOAD' ? (
        <p>
          <Link to={flowsLink}>Flows of {node.name} on the Flows page</Link>
        </p>
      ) : null}
    </section>
  );
}

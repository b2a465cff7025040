import { useEffect, useMemo, useState } from 'react';
import { type FlowAction, FlowClustersDocument, ServiceGraphDocument } from '../../api/generated';
import { request } from '../../api/graphql';
import { ErrorMessage } from '../../components/error-message';
import { formatCount } from '../../components/format';
import { navigate, usePath, useSearchParams } from '../../components/router';
import { SelectField } from '../../components/select-field';
import { TimeRangeSelect, timeRangeOf, windowOf } from '../../components/time-range';
import { usePolling } from '../../components/use-polling';
import { GraphCanvas } from './graph-canvas';
import { GraphDetails } from './graph-details';
import { layoutGraph } from './graph-layout';
import { graphModel } from './graph-model';
import {
  KIND_COLOURS,
  type Selection,
  THREAT_COLOUR,
  VERDICT_COLOURS,
  VIOLATION_COLOUR,
} from './graph-renderer';
import { GraphTables } from './graph-tables';
import '../../components/flow-views.css';
import './graph.css';

/** How often the graph is read again; the layout only changes when the nodes do. */
export const GRAPH_POLL_MS = 30_000;

const VERDICTS: readonly { value: FlowAction | ''; label: string }[] = [
  { value: '', label: 'Allowed and denied' },
  { value: 'ALLOW', label: 'Allowed only' },
  { value: 'DENY', label: 'Denied only' },
];

function Legend() {
  const items: [string, string][] = [
    ['Workload', KIND_COLOURS.WORKLOAD!],
    ['Service', KIND_COLOURS.SERVICE!],
    ['Network', KIND_COLOURS.NETWORK!],
    ['Denied-flow spike', THREAT_COLOUR],
    ['Allowed traffic', VERDICT_COLOURS.allowed],
    ['Denied traffic', VERDICT_COLOURS.denied],
    ['Allowed and denied', VERDICT_COLOURS.mixed],
    ['Crosses a compliance zone', VIOLATION_COLOUR],
  ];
  return (
    <ul className="legend" aria-label="Legend">
      {items.map(([label, colour]) => (
        <li key={label}>
          <span className="swatch" style={{ background: colour }} aria-hidden="true" />
          {label}
        </li>
      ))}
    </ul>
  );
}

export function GraphPage() {
  const path = usePath();
  const params = useSearchParams();
  const range = timeRangeOf(params.get('range'));
  const cluster = params.get('cluster') ?? '';
  const namespace = params.get('namespace') ?? '';
  const verdict = (VERDICTS.find((v) => v.value === params.get('verdict'))?.value ?? '') as FlowAction | '';
  const crossClusterOnly = params.get('cross') === '1';
  const [selection, setSelection] = useState<Selection>();

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value === '') next.delete(key);
    else next.set(key, value);
    const query = next.toString();
    navigate(query ? `${path}?${query}` : path, { replace: true });
  };

  const filterKey = `${range}|${cluster}|${namespace}|${verdict}`;
  const { data, error, loading, refresh } = usePolling(async () => {
    const window = windowOf(range);
    const filter = {
      ...(cluster ? { cluster } : {}),
      ...(namespace ? { namespace } : {}),
      ...(verdict ? { action: verdict } : {}),
    };
    const answer = await request(ServiceGraphDocument, { ...window, filter });
    return { ...answer, window, key: filterKey };
  }, GRAPH_POLL_MS);
  // Read again when the filters change (and again if that read raced a poll of the old filters).
  useEffect(() => {
    if (data && data.key !== filterKey) void refresh();
  }, [data, filterKey, refresh]);

  const clusters = usePolling(() => request(FlowClustersDocument), 60_000);
  const clusterNames = useMemo(
    () => new Map((clusters.data?.clusters ?? []).map((c) => [c.id, c.name] as const)),
    [clusters.data],
  );

  // The same answer gives the same model and layout: the canvas is redrawn only when it changes.
  const content = data
    ? JSON.stringify([data.serviceGraph.nodes, data.serviceGraph.edges, data.threatSignals])
    : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the answer's content
  const model = useMemo(
    () => (data ? graphModel(data.serviceGraph, data.threatSignals, { crossClusterOnly }) : undefined),
    [content, crossClusterOnly],
  );
  const layout = useMemo(() => (model ? layoutGraph(model.nodes) : undefined), [model]);
  const nodesById = useMemo(() => new Map((model?.nodes ?? []).map((n) => [n.id, n] as const)), [model]);
  const namespaces = useMemo(() => {
    const seen = new Set(data?.serviceGraph.nodes.map((n) => n.namespace).filter((n) => n !== ''));
    if (namespace) seen.add(namespace);
    return [...seen].sort();
  }, [data, namespace]);

  // A selection the new answer no longer has is dropped.
  useEffect(() => {
    if (!model || !selection) return;
    const present =
      selection.kind === 'node'
        ? nodesById.has(selection.id)
        : model.edges.some((edge) => edge.key === selection.key);
    if (!present) setSelection(undefined);
  }, [model, nodesById, selection]);

  const stale = data !== undefined && data.key !== filterKey;
  return (
    <>
      <h1>Service and threat graph</h1>
      <section className="panel" aria-labelledby="graph-filters-heading">
        <h2 id="graph-filters-heading" className="visually-hidden">
          Filters
        </h2>
        <div className="filters">
          <TimeRangeSelect value={range} onChange={(value) => setParam('range', value)} />
          <SelectField
            label="Cluster"
            value={cluster}
            onChange={(value) => setParam('cluster', value)}
            options={[
              { value: '', label: 'All clusters' },
              ...[...new Set([...clusterNames.values(), ...(cluster ? [cluster] : [])])]
                .sort()
                .map((name) => ({ value: name, label: name })),
            ]}
          />
          <SelectField
            label="Namespace"
            value={namespace}
            onChange={(value) => setParam('namespace', value)}
            options={[
              { value: '', label: 'All namespaces' },
              ...namespaces.map((name) => ({ value: name, label: name })),
            ]}
          />
          <SelectField
            label="Verdict"
            value={verdict}
            onChange={(value) => setParam('verdict', value)}
            options={VERDICTS}
          />
          <label className="check">
            <input
              type="checkbox"
              checked={crossClusterOnly}
              onChange={(e) => setParam('cross', e.target.checked ? '1' : '')}
            />
            Cross-cluster only
          </label>
          <button type="button" onClick={() => void refresh()}>
            Refresh
          </button>
        </div>
      </section>
      <ErrorMessage error={error} />
      {loading ? <p role="status">Loading the graph…</p> : null}
      {model && layout ? (
        <>
          <p role="status" className="graph-summary" aria-busy={stale}>
            {formatCount(model.nodes.length)} nodes and {formatCount(model.edges.length)} edges
            {data?.serviceGraph.truncated ? ' (the lightest edges were left out)' : ''}; read every{' '}
            {GRAPH_POLL_MS / 1000} s.
          </p>
          {model.nodes.length === 0 ? (
            <p className="panel">
              No traffic in this window
              {cluster || namespace || verdict || crossClusterOnly ? ' with these filters' : ''}. Flows appear
              here once a connected cluster reports them.
            </p>
          ) : (
            <>
              <div className="graph-main">
                <div className="panel graph-view">
                  <GraphCanvas model={model} layout={layout} selection={selection} onSelect={setSelection} />
                  <Legend />
                </div>
                <GraphDetails
                  model={model}
                  nodesById={nodesById}
                  selection={selection}
                  window={data!.window}
                  clusterNames={clusterNames}
                  onSelect={setSelection}
                />
              </div>
              <GraphTables
                model={model}
                nodesById={nodesById}
                selection={selection}
                onSelect={setSelection}
              />
            </>
          )}
        </>
      ) : null}
    </>
  );
}

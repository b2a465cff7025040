import { useEffect, useMemo, useState } from 'react';
import { type FlowAction, FlowClustersDocument, type FlowFilter, FlowsDocument } from '../../api/generated';
import { request } from '../../api/graphql';
import { ErrorMessage } from '../../components/error-message';
import { FlowTable } from '../../components/flow-table';
import { formatCount } from '../../components/format';
import { navigate, usePath, useSearchParams } from '../../components/router';
import { SelectField } from '../../components/select-field';
import { TimeRangeSelect, timeRangeOf, windowOf } from '../../components/time-range';
import { usePolling } from '../../components/use-polling';
import { flowsCsv } from './flows-csv';
import '../../components/flow-views.css';

/** How often the page shown is read again while auto-refresh is on. */
export const FLOWS_POLL_MS = 10_000;
const PAGE_SIZES = [25, 50, 100, 250] as const;
/** The text filters, as URL parameters and as fields of the form. */
const TEXT_FILTERS = [
  { key: 'namespace', label: 'Namespace' },
  { key: 'workload', label: 'Workload' },
  { key: 'protocol', label: 'Protocol' },
  { key: 'port', label: 'Port' },
  { key: 'policy', label: 'Policy' },
] as const;
const VERDICTS: readonly { value: FlowAction | ''; label: string }[] = [
  { value: '', label: 'Any verdict' },
  { value: 'ALLOW', label: 'Allowed' },
  { value: 'DENY', label: 'Denied' },
];

/**
 * The API's filter from the URL's parameters. The form only submits a port from 0 to 65535; a port
 * in the URL that is no whole number is sent as is, for the API to refuse with its message.
 */
function filterOf(params: URLSearchParams): FlowFilter {
  const filter: FlowFilter = {};
  const text = (key: string) => params.get(key)?.trim() || undefined;
  if (text('cluster')) filter.clusterId = text('cluster');
  if (text('namespace')) filter.namespace = text('namespace');
  if (text('workload')) filter.workload = text('workload');
  if (text('protocol')) filter.protocol = text('protocol');
  if (text('policy')) filter.policy = text('policy');
  const port = text('port');
  if (port) filter.port = /^\d+$/.test(port) ? Number(port) : (port as unknown as number);
  const verdict = VERDICTS.find((v) => v.value !== '' && v.value === params.get('verdict'));
  if (verdict) filter.action = verdict.value as FlowAction;
  const source = text('edgeSource');
  const destination = text('edgeDestination');
  if (source && destination) filter.edge = { source, destination };
  return filter;
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function FlowsPage() {
  const path = usePath();
  const params = useSearchParams();
  const range = timeRangeOf(params.get('range'));
  const size = PAGE_SIZES.find((s) => String(s) === params.get('size')) ?? 50;
  const filter = filterOf(params);
  const filterKey = JSON.stringify([range, size, filter]);
  // Cursors of the pages before the one shown (the first page has none).
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors.at(-1);
  const [autoRefresh, setAutoRefresh] = useState(true);
  const [formKey, setFormKey] = useState(0);

  const key = `${filterKey}|${after ?? ''}`;
  const { data, error, loading, refresh } = usePolling(
    async () => {
      // The window ends now; a later page keeps its cursor, so newer flows never shift it.
      const answer = await request(FlowsDocument, {
        filter,
        ...windowOf(range),
        first: size,
        ...(after ? { after } : {}),
      });
      return { ...answer, key };
    },
    FLOWS_POLL_MS,
    { paused: !autoRefresh },
  );
  useEffect(() => {
    if (data && data.key !== key) void refresh();
  }, [data, key, refresh]);
  // New filters start again from the first page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on the filters only
  useEffect(() => setCursors([]), [filterKey]);

  const clusters = usePolling(() => request(FlowClustersDocument), 60_000);
  const clusterNames = useMemo(
    () => new Map((clusters.data?.clusters ?? []).map((c) => [c.id, c.name] as const)),
    [clusters.data],
  );

  const apply = (next: URLSearchParams) => {
    const query = next.toString();
    navigate(query ? `${path}?${query}` : path, { replace: true });
  };
  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of ['range', 'cluster', 'verdict', 'size', ...TEXT_FILTERS.map((f) => f.key)]) {
      const value = form.get(name);
      if (typeof value === 'string' && value.trim() !== '') next.set(name, value.trim());
    }
    for (const name of ['edgeSource', 'edgeDestination']) {
      const value = params.get(name);
      if (value) next.set(name, value);
    }
    apply(next);
  };
  const clearEdge = () => {
    const next = new URLSearchParams(params);
    next.delete('edgeSource');
    next.delete('edgeDestination');
    apply(next);
  };

  const shown = data && data.key === key ? data.flows : undefined;
  const pageNumber = cursors.length + 1;
  return (
    <>
      <h1>Flows</h1>
      <section className="panel" aria-labelledby="flows-filters-heading">
        <h2 id="flows-filters-heading">Filters</h2>
        <form
          key={`${formKey}|${filterKey}`}
          className="filters"
          onSubmit={onSubmit}
          aria-label="Flow filters"
        >
          <TimeRangeSelectField value={range} />
          <SelectField
            // Mounted again once the clusters are known, so that the URL's cluster is selected.
            key={clusterNames.size}
            label="Reported by"
            name="cluster"
            defaultValue={String(filter.clusterId ?? '')}
            options={[
              { value: '', label: 'Any cluster' },
              ...[...clusterNames].map(([id, name]) => ({ value: id, label: name })),
            ]}
          />
          <SelectField label="Verdict" name="verdict" defaultValue={filter.action ?? ''} options={VERDICTS} />
          {TEXT_FILTERS.map((f) => (
            <div className="field" key={f.key}>
              <label htmlFor={`flows-${f.key}`}>{f.label}</label>
              <input
                id={`flows-${f.key}`}
                name={f.key}
                defaultValue={params.get(f.key) ?? ''}
                {...(f.key === 'port' ? { type: 'number', min: 0, max: 65_535, step: 1 } : {})}
              />
            </div>
          ))}
          <SelectField
            label="Page size"
            name="size"
            defaultValue={String(size)}
            options={PAGE_SIZES.map((s) => ({ value: String(s), label: String(s) }))}
          />
          <button type="submit" className="primary">
            Apply filters
          </button>
          <button
            type="button"
            onClick={() => {
              setFormKey((k) => k + 1);
              apply(new URLSearchParams());
            }}
          >
            Clear
          </button>
        </form>
        {filter.edge ? (
          <p className="toolbar">
            <span>
              Only the edge <code>{filter.edge.source}</code> → <code>{filter.edge.destination}</code>
            </span>
            <button type="button" onClick={clearEdge}>
              Show every edge
            </button>
          </p>
        ) : null}
      </section>
      <section
        className="panel"
        aria-labelledby="flows-list-heading"
        aria-busy={shown === undefined && !error}
      >
        <h2 id="flows-list-heading">Flows, newest first</h2>
        <div className="toolbar">
          <label className="check">
            <input
              type="checkbox"
              checked={autoRefresh}
              onChange={(event) => {
                setAutoRefresh(event.target.checked);
                if (event.target.checked) void refresh();
              }}
            />{' '}
            Auto-refresh every {FLOWS_POLL_MS / 1000} s
          </label>
          <button type="button" onClick={() => void refresh()}>
            Refresh now
          </button>
          <button
            type="button"
            disabled={!shown || shown.nodes.length === 0}
            onClick={() =>
              shown && download(`flows-page-${pageNumber}.csv`, flowsCsv(shown.nodes, clusterNames))
            }
          >
            Download CSV of the rows shown
          </button>
        </div>
        <ErrorMessage error={error} />
        {loading || (shown === undefined && !error) ? <p role="status">Loading flows…</p> : null}
        {shown && shown.nodes.length === 0 ? (
          <p role="status">
            No flows{cursors.length > 0 ? ' on this page' : ' in this window with these filters'}. Flows
            appear once a connected cluster reports them.
          </p>
        ) : null}
        {shown && shown.nodes.length > 0 ? (
          <>
            <p role="status" className="hint">
              Page {pageNumber}: {formatCount(shown.nodes.length)} flows
              {shown.pageInfo.hasNextPage ? ', more follow' : ''}.
            </p>
            <FlowTable
              flows={shown.nodes}
              clusterNames={clusterNames}
              caption={`Flows, page ${pageNumber}`}
            />
          </>
        ) : null}
        <nav className="toolbar" aria-label="Pages of flows">
          <button
            type="button"
            disabled={cursors.length === 0}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            Previous page
          </button>
          <button
            type="button"
            disabled={!shown?.pageInfo.hasNextPage || !shown.pageInfo.endCursor}
            onClick={() => {
              const cursor = shown?.pageInfo.endCursor;
              if (cursor) setCursors((c) => [...c, cursor]);
            }}
          >
            Next page
          </button>
        </nav>
      </section>
    </>
  );
}

/** The time range as a field of the filter form (applied with the others). */
function TimeRangeSelectField({ value }: { value: ReturnType<typeof timeRangeOf> }) {
  const [range, setRange] = useState(value);
  return (
    <>
      <TimeRangeSelect value={range} onChange={setRange} />
      <input type="hidden" name="range" value={range} />
    </>
  );
}

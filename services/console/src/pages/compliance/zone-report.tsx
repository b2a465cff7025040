import { useEffect, useId, useState } from 'react';
import { ComplianceReportDocument, type ComplianceReportQuery } from '../../api/generated';
import { type Answered, request } from '../../api/graphql';
import { DataTable } from '../../components/data-table';
import { ErrorMessage } from '../../components/error-message';
import type { Zone } from './zones';

type Report = Answered<ComplianceReportQuery>['complianceReport'];

/** The windows offered; the API allows at most 31 days. */
const WINDOWS = [
  { label: 'Last hour', hours: 1 },
  { label: 'Last 24 hours', hours: 24 },
  { label: 'Last 7 days', hours: 24 * 7 },
  { label: 'Last 31 days', hours: 24 * 31 },
] as const;

function endpoint(end: { cluster: string | null; namespace: string; workload: string }): string {
  return `${end.cluster ?? 'outside'}/${end.namespace ? `${end.namespace}/` : ''}${end.workload}`;
}

/** Starts a download of `text` as a file, without a server round trip. */
function download(fileName: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The continuous compliance report of one zone over a window ending now: violations (allowed
 * flows between the pairs it separates) with their evidence, blocked attempts, and the CSV.
 */
export function ZoneReport({ zones }: { zones: readonly Zone[] }) {
  const zoneId = useId();
  const windowId = useId();
  const [chosen, setChosen] = useState<string>();
  const [hours, setHours] = useState<number>(24);
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  // "Run again" bumps it: the report is asked again, for a window ending then.
  const [run, setRun] = useState(0);
  const zone = zones.find((z) => z.id === chosen) ?? zones[0];
  const reportedZone = zone?.id;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `run` asks again for a window ending now.
  useEffect(() => {
    if (!reportedZone) return;
    let current = true;
    const to = new Date();
    const from = new Date(to.getTime() - hours * 3_600_000);
    setBusy(true);
    setError(undefined);
    request(ComplianceReportDocument, {
      zoneId: reportedZone,
      from: from.toISOString(),
      to: to.toISOString(),
    })
      .then((answer) => current && setReport(answer.complianceReport))
      .catch((failure: unknown) => current && setError(failure))
      .finally(() => current && setBusy(false));
    return () => {
      current = false;
    };
  }, [reportedZone, hours, run]);

  return (
    <section className="panel" aria-labelledby="report-heading" aria-busy={busy}>
      <h2 id="report-heading">Compliance report</h2>
      {zone === undefined ? (
        <p role="status">Create a zone to see its report.</p>
      ) : (
        <>
          <div className="inline-form report-form">
            <div className="field">
              <label htmlFor={zoneId}>Zone</label>
              <select
                id={zoneId}
                value={zone.id}
                onChange={(event) => {
                  setChosen(event.target.value);
                }}
              >
                {zones.map((z) => (
                  <option key={z.id} value={z.id}>
                    {z.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={windowId}>Window</label>
              <select
                id={windowId}
                value={hours}
                onChange={(event) => {
                  setHours(Number(event.target.value));
                }}
              >
                {WINDOWS.map((w) => (
                  <option key={w.hours} value={w.hours}>
                    {w.label}
                  </option>
                ))}
              </select>
            </div>
            <button type="button" disabled={busy} onClick={() => setRun((n) => n + 1)}>
              Run again
            </button>
            <button
              type="button"
              disabled={!report || busy || report.zone.id !== zone.id}
              onClick={() =>
                report &&
                download(`compliance-${report.zone.name}-${report.from.slice(0, 10)}.csv`, report.csv)
              }
            >
              Download CSV
            </button>
          </div>
          <ErrorMessage error={error} />
          {busy && !report ? <p role="status">Running the report…</p> : null}
          {report ? (
            <div data-testid="compliance-report">
              <p>
                <strong>{report.zone.name}</strong>: {report.violations} violation
                {report.violations === 1 ? '' : 's'}, {report.blocked} blocked attempt
                {report.blocked === 1 ? '' : 's'} from {new Date(report.from).toLocaleString()} to{' '}
                {new Date(report.to).toLocaleString()}.
              </p>
              <p className="hint">
                Member clusters: {report.zone.members.join(', ') || 'none yet'}; separated pairs:{' '}
                {report.zone.forbiddenPairs.length}.
              </p>
              {report.evidence.length === 0 ? (
                <p role="status">No violations in this window.</p>
              ) : (
                <DataTable
                  caption="Violations, newest first"
                  columns={['Started', 'Source', 'Destination', 'Protocol', 'Now']}
                >
                  {report.evidence.map(({ flow, deniedNow }) => (
                    <tr key={`${flow.clusterId}:${flow.seq}`}>
                      <td>{new Date(flow.startTime).toLocaleString()}</td>
                      <td>{endpoint(flow.source)}</td>
                      <td>
                        {endpoint(flow.destination)}
                        {flow.destination.port ? `:${flow.destination.port}` : ''}
                      </td>
                      <td>{flow.protocol}</td>
                      <td>
                        <span className={`badge ${deniedNow ? 'ok' : 'warn'}`}>
                          {deniedNow ? 'Denied now' : 'Still allowed'}
                        </span>
                      </td>
                    </tr>
                  ))}
                </DataTable>
              )}
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}

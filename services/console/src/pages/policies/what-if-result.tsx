import type { PolicyWhatIfQuery } from '../../api/generated';
import type { Answered } from '../../api/graphql';

type Result = Answered<PolicyWhatIfQuery>['whatIf'];
type End = Result['flows'][number]['flow']['source'];

const endName = (end: End) =>
  [end.cluster, end.namespace, end.workload].filter((part) => part !== null && part !== '').join('/') || '—';

/** What a what-if found: the counts, and each recorded flow whose verdict would change. */
export function WhatIfResult({ result, stale }: { result: Result; stale: boolean }) {
  return (
    <section className="panel" aria-labelledby="what-if-heading" data-testid="what-if-result">
      <h3 id="what-if-heading">What-if</h3>
      {stale ? <p className="hint">The policy changed since: run the what-if again.</p> : null}
      <p role="status">
        {result.evaluated} recorded flows evaluated: {result.changed} would change verdict (
        {result.newlyDenied} newly denied, {result.newlyAllowed} newly allowed)
        {result.skipped > 0 ? `; ${result.skipped} could not be evaluated` : ''}
        {result.truncated
          ? '; the window held more flows than one what-if reads (the newest were left out)'
          : ''}
        .
      </p>
      {result.flows.length > 0 ? (
        <div className="table-scroll">
          <table className="grid">
            <caption className="visually-hidden">Recorded flows whose verdict would change</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Source</th>
                <th scope="col">Destination</th>
                <th scope="col">Now</th>
                <th scope="col">With the policy</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {result.flows.map((item, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the changed flows are a positional list
                <tr key={index}>
                  <td>{new Date(item.flow.startTime).toLocaleTimeString()}</td>
                  <td>{endName(item.flow.source)}</td>
                  <td>
                    {endName(item.flow.destination)}
                    {item.flow.destination.port !== null ? `:${item.flow.destination.port}` : ''} (
                    {item.flow.protocol})
                  </td>
                  <td>{item.oldAction}</td>
                  <td>
                    <strong>{item.newAction}</strong>
                  </td>
                  <td>
                    <details>
                      <summary>Trace</summary>
                      <ul className="trace">
                        {item.newTrace.map((line, step) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: trace steps are positional
                          <li key={step}>{line}</li>
                        ))}
                      </ul>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {result.changed > result.flows.length ? (
        <p className="hint">
          Showing the first {result.flows.length} of {result.changed}.
        </p>
      ) : null}
    </section>
  );
}

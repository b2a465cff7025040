import { Fragment, useState } from 'react';
import type { FlowEndFragment, FlowsQuery } from '../api/generated';
import type { Answered } from '../api/graphql';
import { formatBytes, formatCount, formatTime } from './format';
import './flow-views.css';

export type FlowItem = Answered<FlowsQuery>['flows']['nodes'][number];
export type FlowPolicyHitItem = FlowItem['policies'][number];

/** Where an end lives: `cluster / namespace / workload`, or the network it is. */
export function endLabel(end: FlowEndFragment): string {
  const place = [end.cluster ?? 'outside', end.namespace, end.workload].filter((part) => part !== '');
  return place.join(' / ');
}

/** An end's address, `ip:port`, when reported. */
export function endAddress(end: FlowEndFragment): string {
  if (end.ip === null) return '';
  return end.port === null ? end.ip : `${end.ip}:${end.port}`;
}

/** One policy hit as a line of the trace. */
export function hitLabel(hit: FlowPolicyHitItem): string {
  const name = hit.namespace ? `${hit.namespace}/${hit.name}` : hit.name;
  const rule = hit.ruleIndex === null || hit.ruleIndex < 0 ? 'tier default' : `rule ${hit.ruleIndex}`;
  return `${hit.tier} › ${name}: ${hit.action.toLowerCase()} (${rule}${hit.staged ? ', staged' : ''})`;
}

/** The policy trace of a flow: the policies that acted on it, in evaluation order. */
export function PolicyTrace({ flow }: { flow: FlowItem }) {
  if (flow.policies.length === 0)
    return <p className="hint">No policy acted on this flow: {flow.action.toLowerCase()} by default.</p>;
  return (
    <ol className="trace" aria-label="Policy trace">
      {flow.policies.map((hit, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a trace is an ordered list, hits may repeat
        <li key={index} className={hit.staged ? 'staged' : undefined}>
          {hitLabel(hit)}
        </li>
      ))}
    </ol>
  );
}

function Labels({ end }: { end: FlowEndFragment }) {
  if (end.labels.length === 0) return null;
  return (
    <span className="labels">
      {end.labels.map((label) => (
        <span key={label.key} className="label">
          {label.key}={label.value}
        </span>
      ))}
    </span>
  );
}

function End({ end }: { end: FlowEndFragment }) {
  return (
    <>
      <span className="end">{endLabel(end)}</span>
      <span className="hint">
        {' '}
        {[end.type, endAddress(end), end.serviceAccount && `sa ${end.serviceAccount}`]
          .filter(Boolean)
          .join(' · ')}
      </span>
    </>
  );
}

/**
 * Flows as a table, both ends enriched; each row opens its policy trace and the ends' labels.
 * Wide: it scrolls inside its own container.
 */
export function FlowTable(props: {
  flows: readonly FlowItem[];
  clusterNames: ReadonlyMap<string, string>;
  caption: string;
}) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  return (
    <div className="table-scroll">
      <table className="data flows">
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Start</th>
            <th scope="col">Verdict</th>
            <th scope="col">Source</th>
            <th scope="col">Destination</th>
            <th scope="col">Service</th>
            <th scope="col">Protocol</th>
            <th scope="col">Bytes</th>
            <th scope="col">Packets</th>
            <th scope="col">Reported by</th>
            <th scope="col">Trace</th>
          </tr>
        </thead>
        <tbody>
          {props.flows.map((flow) => {
            const key = `${flow.clusterId}:${flow.seq}`;
            const expanded = open.has(key);
            const reporter = props.clusterNames.get(flow.clusterId) ?? flow.clusterId;
            return (
              <Fragment key={key}>
                <tr data-flow={key}>
                  <td>{formatTime(flow.startTime)}</td>
                  <td>
                    <span className={`verdict ${flow.action.toLowerCase()}`}>
                      {flow.action.toLowerCase()}
                    </span>
                  </td>
                  <td>
                    <End end={flow.source} />
                  </td>
                  <td>
                    <End end={flow.destination} />
                  </td>
                  <td>{flow.service ? `${flow.service.namespace}/${flow.service.name}` : '—'}</td>
                  <td>
                    {flow.protocol}
                    {flow.destination.port === null ? '' : `/${flow.destination.port}`}
                  </td>
                  <td>{formatBytes(flow.bytesIn + flow.bytesOut)}</td>
                  <td>{formatCount(flow.packetsIn + flow.packetsOut)}</td>
                  <td>
                    {reporter} ({flow.reporter})
                  </td>
                  <td>
                    <button
                      type="button"
                      aria-expanded={expanded}
                      aria-controls={`trace-${key}`}
                      onClick={() => toggle(key)}
                    >
                      {expanded ? 'Hide' : 'Trace'}
                      <span className="visually-hidden">
                        {' '}
                        of the flow from {endLabel(flow.source)} to {endLabel(flow.destination)} at{' '}
                        {formatTime(flow.startTime)}
                      </span>
                    </button>
                  </td>
                </tr>
                {expanded ? (
                  <tr id={`trace-${key}`} className="trace-row">
                    <td colSpan={10}>
                      <PolicyTrace flow={flow} />
                      <div className="end-labels">
                        <span>Source labels:</span> <Labels end={flow.source} />
                        <span>Destination labels:</span> <Labels end={flow.destination} />
                      </div>
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

import { describe, expect, it } from 'vitest';
import type { FlowItem } from '../../components/flow-table';
import { FLOW_CSV_COLUMNS, flowsCsv } from './flows-csv';

const end = (cluster: string | null, workload: string, labels: Record<string, string> = {}) => ({
  cluster,
  namespace: cluster ? 'shop' : '',
  workload,
  name: `${workload}-*`,
  type: cluster ? 'wep' : 'pub',
  ip: '10.0.0.1',
  port: cluster ? 8080 : null,
  serviceAccount: cluster ? 'default' : null,
  labels: Object.entries(labels).map(([key, value]) => ({ key, value })),
});

const flow = (seq: number, overrides: Partial<FlowItem> = {}): FlowItem => ({
  clusterId: 'c-1',
  seq,
  startTime: '2026-12-03T07:00:00.000Z',
  endTime: '2026-12-03T07:00:10.000Z',
  reporter: 'src',
  action: 'ALLOW',
  protocol: 'tcp',
  source: end('west', 'web', { app: 'web' }),
  destination: end('east', 'db'),
  service: { namespace: 'shop', name: 'db', portName: 'pg', port: 5432 },
  policies: [
    {
      tier: 'security',
      name: 'mesh-peers',
      namespace: null,
      kind: 'GlobalNetworkPolicy',
      action: 'PASS',
      ruleIndex: 0,
      staged: false,
    },
    {
      tier: 'default',
      name: 'allow-db',
      namespace: 'shop',
      kind: 'NetworkPolicy',
      action: 'ALLOW',
      ruleIndex: 1,
      staged: false,
    },
  ],
  bytesIn: 100,
  bytesOut: 50,
  packetsIn: 2,
  packetsOut: 1,
  connectionsStarted: 1,
  ...overrides,
});

/** A small RFC 4180 reader, to read back what was written. */
function parse(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i += 1) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && csv[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += c;
  }
  return rows;
}

describe('the flows CSV', () => {
  it('has a header and one row per flow shown, both ends enriched, the trace in order', () => {
    const rows = parse(
      flowsCsv([flow(1), flow(2, { action: 'DENY', service: null })], new Map([['c-1', 'west']])),
    );
    expect(rows[0]).toEqual([...FLOW_CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    const first = Object.fromEntries(FLOW_CSV_COLUMNS.map((column, i) => [column, rows[1]![i]]));
    expect(first).toMatchObject({
      reported_by: 'west',
      seq: '1',
      action: 'allow',
      source_cluster: 'west',
      source_workload: 'web',
      source_labels: 'app=web',
      source_address: '10.0.0.1:8080',
      destination_cluster: 'east',
      destination_workload: 'db',
      service: 'shop/db',
      bytes_in: '100',
      policies: 'security/mesh-peers:pass > default/shop/allow-db:allow',
    });
    expect(rows[2]![FLOW_CSV_COLUMNS.indexOf('action')]).toBe('deny');
    expect(rows[2]![FLOW_CSV_COLUMNS.indexOf('service')]).toBe('');
  });

  it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas', () => {
    const tricky = flow(3, {
      source: end('west', 'web', { note: 'a, "b"\nc', formula: '=1+1' }),
      destination: end(null, '=HYPERLINK("x")'),
    });
    const csv = flowsCsv([tricky], new Map());
    const [, row] = parse(csv);
    expect(row![FLOW_CSV_COLUMNS.indexOf('source_labels')]).toBe('note=a, "b"\nc;formula==1+1');
    expect(row![FLOW_CSV_COLUMNS.indexOf('destination_workload')]).toBe(`'=HYPERLINK("x")`);
    expect(row![FLOW_CSV_COLUMNS.indexOf('destination_cluster')]).toBe('');
    expect(row![FLOW_CSV_COLUMNS.indexOf('reported_by')]).toBe('c-1');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});

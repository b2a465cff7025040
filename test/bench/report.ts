/**
 * The benchmarks' one report (DESIGN §5): a Vitest reporter that collects every
 * `BENCH <name> | figure … | baseline … | ratio … | target …` line the benchmarks print and ends
 * the run with one table — each quality bar, the figure measured, its baseline from the same run,
 * the ratio and a verdict judged from the target and the figure. A benchmark that fails (or
 * prints nothing for a bar) shows as FAILED in its rows; bars of benchmarks that did not run (a
 * single bench, `npm run bench -- test/bench/push`) are left out.
 */
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';

type UserConsoleLog = Parameters<NonNullable<Reporter['onUserConsoleLog']>>[0];

/** The bars of DESIGN §5, the benchmark (folder under test/bench) that measures each, and its lines. */
export const BARS: readonly { bench: string; bar: string; lines: readonly RegExp[] }[] = [
  { bench: 'agents', bar: '10,000 agents connected to one hub', lines: [/^agents held per hub/] },
  {
    bench: 'agents',
    bar: '< 30 KB memory per agent connection',
    lines: [/^live memory per agent/, /^resident memory per agent/],
  },
  {
    bench: 'push',
    bar: 'policy change acked by 1,000 clusters, p99 < 250 ms',
    lines: [/^config push p99/],
  },
  { bench: 'federation', bar: 'federation 100 x 5,000 cold in < 10 s', lines: [/^federation cold compile/] },
  {
    bench: 'federation',
    bar: 'one endpoint change to affected clusters < 1 s',
    lines: [/^federation one endpoint change/],
  },
  { bench: 'ingest', bar: 'ingest + enrichment >= 1/2 bare COPY', lines: [/^flow ingest/] },
  { bench: 'selectors', bar: '>= 5 M selector matches/s per core', lines: [/^selector matches per second/] },
  { bench: 'selectors', bar: 'label index incremental', lines: [/^label-index update cost/] },
  {
    bench: 'graph',
    bar: 'console draws 2,000 nodes + 10,000 edges interactively < 1 s',
    lines: [/^graph drawn and answering a pan/],
  },
];

export interface BenchLine {
  name: string;
  figure: string;
  baseline: string;
  ratio: string;
  target: string;
}

/** Parses `BENCH name | figure x | baseline y | ratio z | target t`; undefined for any other line. */
export function parseBenchLine(text: string): BenchLine | undefined {
  const match = /^BENCH\s+(.*)$/.exec(text.trim());
  if (!match) return undefined;
  const [name, ...parts] = match[1]!.split(' | ').map((part) => part.trim());
  const field = (key: string) => {
    const part = parts.find((p) => p.startsWith(`${key} `) || p === key);
    return part === undefined ? '' : part.slice(key.length).trim();
  };
  return {
    name: name!,
    figure: field('figure'),
    baseline: field('baseline'),
    ratio: field('ratio'),
    target: field('target'),
  };
}

/** Units the judge converts (to seconds, bytes); any other unit is compared as printed. */
const UNITS: Record<string, number> = {
  µs: 1e-6,
  us: 1e-6,
  ms: 1e-3,
  s: 1,
  B: 1,
  KB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
};

function quantity(text: string): { value: number; unit: string } | undefined {
  const match = /^(-?[\d,]*\.?\d+)\s*([^\s(]*)/.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]!.replaceAll(',', ''));
  return Number.isFinite(value) ? { value, unit: match[2]!.replace(/[x×]$/, '') } : undefined;
}

export type Verdict = 'pass' | 'falls short' | 'no numeric target' | 'not judged';

/**
 * Judges a line from its target: `< 250 ms`, `>= 5,000,000 matches/s`, `ratio >= 0.5` (the
 * ratio column is compared). Figure and target in the same known unit family are converted
 * (µs/ms/s, B/KB/MB); other units are compared as printed. No comparator: no numeric target.
 */
export function judge(line: BenchLine): Verdict {
  const target = /^(ratio\s+)?(<=|>=|<|>|≤|≥)\s*(.+)$/.exec(line.target);
  if (!target) return 'no numeric target';
  const want = quantity(target[3]!);
  const got = quantity(target[1] ? line.ratio : line.figure);
  if (want === undefined || got === undefined) return 'not judged';
  let value = got.value;
  let limit = want.value;
  if (UNITS[want.unit] !== undefined && UNITS[got.unit] !== undefined) {
    value *= UNITS[got.unit]!;
    limit *= UNITS[want.unit]!;
  }
  const ok = {
    '<': value < limit,
    '<=': value <= limit,
    '≤': value <= limit,
    '>': value > limit,
    '>=': value >= limit,
    '≥': value >= limit,
  }[target[2]!];
  return ok ? 'pass' : 'falls short';
}

interface Row {
  bar: string;
  measurement: string;
  figure: string;
  baseline: string;
  ratio: string;
  target: string;
  verdict: string;
}

/** A cell without its parenthesised note (the full line is in the log above the table). */
const cell = (text: string) => text.replace(/\s*\(.*\)\s*$/, '').trim() || '-';

function firstLine(errors: readonly { message?: string }[] | undefined): string {
  const message = errors?.[0]?.message ?? 'failed';
  return message.split('\n')[0]!.slice(0, 100);
}

/** Renders rows as a fixed-width text table. */
export function renderTable(rows: readonly Row[]): string {
  const header: Row = {
    bar: 'DESIGN §5 bar',
    measurement: 'measurement',
    figure: 'figure',
    baseline: 'baseline',
    ratio: 'ratio',
    target: 'target',
    verdict: 'verdict',
  };
  const keys = Object.keys(header) as (keyof Row)[];
  const widths = keys.map((key) => Math.max(...[header, ...rows].map((row) => row[key].length)));
  const render = (row: Row) =>
    keys
      .map((key, i) => row[key].padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  return [render(header), rule, ...rows.map(render)].join('\n');
}

interface Logged {
  line: BenchLine;
  taskId: string | undefined;
}

export default class BenchReport implements Reporter {
  private readonly logged: Logged[] = [];
  private readonly failedTests = new Map<string, string>();

  onUserConsoleLog(log: UserConsoleLog): void {
    for (const text of log.content.split('\n')) {
      const line = parseBenchLine(text);
      if (line) this.logged.push({ line, taskId: log.taskId });
    }
  }

  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.result();
    if (result.state === 'failed') this.failedTests.set(testCase.id, firstLine(result.errors));
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    // Every task id (module, suite, test) → its bench folder, and each bench's failure, if any.
    const benchOf = new Map<string, string>();
    const failures = new Map<string, string>();
    for (const module of modules) {
      const bench = /test\/bench\/([^/]+)\//.exec(module.moduleId)?.[1] ?? module.relativeModuleId;
      benchOf.set(module.id, bench);
      for (const suite of module.children.allSuites()) benchOf.set(suite.id, bench);
      for (const test of module.children.allTests()) {
        benchOf.set(test.id, bench);
        const failed = this.failedTests.get(test.id);
        if (failed !== undefined && !failures.has(bench)) failures.set(bench, `FAILED: ${failed}`);
      }
      const errors = [...module.errors(), ...[...module.children.allSuites()].flatMap((s) => s.errors())];
      if (errors.length > 0 && !failures.has(bench)) failures.set(bench, `FAILED: ${firstLine(errors)}`);
      if (module.state() === 'failed' && !failures.has(bench)) failures.set(bench, 'FAILED');
    }
    const ran = new Set(benchOf.values());
    const used = new Set<Logged>();
    const rows: Row[] = [];
    const row = (bar: string, logged: Logged): Row => {
      const { line } = logged;
      const testFailed = logged.taskId !== undefined ? this.failedTests.get(logged.taskId) : undefined;
      const verdict = judge(line);
      return {
        bar,
        measurement: cell(line.name),
        figure: cell(line.figure),
        baseline: cell(line.baseline),
        ratio: cell(line.ratio),
        target: cell(line.target),
        verdict: testFailed === undefined ? verdict : `FAILED (${verdict}): ${testFailed}`,
      };
    };
    for (const { bench, bar, lines } of BARS) {
      if (!ran.has(bench)) continue;
      const found = this.logged.filter((logged) => lines.some((pattern) => pattern.test(logged.line.name)));
      for (const logged of found) {
        used.add(logged);
        rows.push(row(bar, logged));
      }
      if (found.length === 0) {
        const why = failures.get(bench) ?? 'FAILED: the benchmark printed no figure for this bar';
        rows.push({
          bar,
          measurement: `(${bench})`,
          figure: '-',
          baseline: '-',
          ratio: '-',
          target: '-',
          verdict: why,
        });
      }
    }
    // Lines that belong to no bar: shown for context, without a verdict unless they carry a target.
    for (const logged of this.logged) {
      if (used.has(logged) || !logged.line.figure) continue;
      const bench = (logged.taskId && benchOf.get(logged.taskId)) || 'bench';
      rows.push(row(`(other: ${bench})`, logged));
    }
    if (unhandledErrors.length > 0)
      rows.push({
        bar: '(run)',
        measurement: 'unhandled errors',
        figure: String(unhandledErrors.length),
        baseline: '-',
        ratio: '-',
        target: '0',
        verdict: `FAILED: ${firstLine(unhandledErrors)}`,
      });
    if (rows.length === 0) return;
    const bars = rows.filter((r) => !r.bar.startsWith('('));
    const count = (prefix: string) => bars.filter((r) => r.verdict.startsWith(prefix)).length;
    process.stdout.write(
      `\nMeshplane quality bars (DESIGN §5) — figure and baseline measured in this run\n\n${renderTable(rows)}\n\n` +
        `bar rows: ${count('pass')} pass, ${count('falls short')} fall short, ${count('FAILED')} failed, ` +
        `${count('no numeric target')} without a numeric target\n`,
    );
  }
}

import { SelectField } from './select-field';

/** The windows the graph and flows pages offer, newest data last; the value travels in the URL. */
export const TIME_RANGES = [
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
] as const;

export type TimeRange = (typeof TIME_RANGES)[number]['value'];
export const DEFAULT_TIME_RANGE: TimeRange = '1h';

/** The range a URL parameter names; the default for anything else. */
export function timeRangeOf(value: string | null): TimeRange {
  return TIME_RANGES.find((range) => range.value === value)?.value ?? DEFAULT_TIME_RANGE;
}

/**
 * The window of a range ending now: `to` is the start of the next minute, so the minute under
 * way is included and two reads within a minute ask for the same window.
 */
export function windowOf(range: TimeRange, now = Date.now()): { from: string; to: string } {
  const to = Math.floor(now / 60_000) * 60_000 + 60_000;
  const ms = TIME_RANGES.find((r) => r.value === range)!.ms;
  return { from: new Date(to - ms).toISOString(), to: new Date(to).toISOString() };
}

/** A labelled select of the time ranges. */
export function TimeRangeSelect(props: { value: TimeRange; onChange: (range: TimeRange) => void }) {
  return (
    <SelectField
      label="Time range"
      options={TIME_RANGES}
      value={props.value}
      onChange={(value) => props.onChange(timeRangeOf(value))}
    />
  );
}

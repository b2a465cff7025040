/** The windows of recorded flows a what-if reads or a recommendation learns from, in minutes. */
export const FLOW_WINDOWS = [
  { value: 15, label: 'last 15 minutes' },
  { value: 60, label: 'last hour' },
  { value: 360, label: 'last 6 hours' },
  { value: 1440, label: 'last 24 hours' },
] as const;

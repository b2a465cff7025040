import { parseInput } from '@meshplane/platform';
import { z } from 'zod';

/** The longest window one insight query covers. */
export const MAX_WINDOW_MS = 31 * 86_400_000;

export const WindowSchema = z
  .object({ from: z.date(), to: z.date() })
  .refine((w) => w.from < w.to, { error: 'expected from < to', path: ['to'] })
  .refine((w) => w.to.getTime() - w.from.getTime() <= MAX_WINDOW_MS, {
    error: 'the window may span at most 31 days',
    path: ['to'],
  });

/** A checked window, its start clipped to the tenant's retention. */
export function checkedWindow(
  input: { from?: Date | null; to?: Date | null },
  retentionDays: number,
  now: Date,
): { from: Date; to: Date } {
  const window = parseInput(WindowSchema, { from: input.from, to: input.to });
  const oldest = new Date(now.getTime() - retentionDays * 86_400_000);
  return { from: window.from > oldest ? window.from : oldest, to: window.to };
}

/** The `from` argument of a windowed query. */
export const FROM_ARG = { type: () => Date, description: 'Start of the window (inclusive).' } as const;

/** The `to` argument of a windowed query. */
export const TO_ARG = {
  type: () => Date,
  description: 'End of the window (exclusive); at most 31 days after from.',
} as const;

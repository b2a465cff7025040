export interface BackoffOptions {
  /** Ceiling of the first attempt (attempt 0), in milliseconds. */
  baseMs: number;
  /** The ceiling never grows beyond this, in milliseconds. */
  capMs: number;
  /** A source of numbers in [0, 1); inject a fixed one for deterministic tests. */
  random?: () => number;
}

/**
 * Delay before reconnect attempt `attempt` (0 for the first retry): exponential backoff with
 * full jitter, a uniformly random delay in [0, min(capMs, baseMs · 2^attempt)). Full jitter
 * spreads a fleet of agents that lost the hub at the same moment over the whole window, so a
 * restarted hub is not hit by all of them at once.
 */
export function backoffDelay(
  attempt: number,
  { baseMs, capMs, random = Math.random }: BackoffOptions,
): number {
  const exponent = Number.isFinite(attempt) && attempt > 0 ? Math.floor(attempt) : 0;
  const ceiling = Math.min(capMs, baseMs * 2 ** exponent);
  const fraction = Math.min(Math.max(random(), 0), 1);
  return Math.floor(fraction * ceiling);
}

import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Loads `load()` now and again `intervalMs` after each answer (never two in flight), while the
 * tab is visible; a hidden tab stops polling and catches up when shown again. The last good data
 * stays on screen when a poll fails, beside the error. `paused` stops the timer (the first load
 * and `refresh()` still run).
 */
export function usePolling<T>(
  load: () => Promise<T>,
  intervalMs: number,
  options: { paused?: boolean } = {},
) {
  const paused = useRef(options.paused ?? false);
  paused.current = options.paused ?? false;
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const loadRef = useRef(load);
  loadRef.current = load;
  const timer = useRef<number | undefined>(undefined);
  const inFlight = useRef(false);

  const poll = useCallback(async () => {
    window.clearTimeout(timer.current);
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      setData(await loadRef.current());
      setError(undefined);
    } catch (failure) {
      setError(failure);
    } finally {
      inFlight.current = false;
      if (document.visibilityState === 'visible' && !paused.current) {
        timer.current = window.setTimeout(() => void poll(), intervalMs);
      }
    }
  }, [intervalMs]);

  useEffect(() => {
    void poll();
    const onVisibility = () => {
      if (document.visibilityState === 'visible' && !paused.current) void poll();
      else window.clearTimeout(timer.current);
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.clearTimeout(timer.current);
    };
  }, [poll]);

  return { data, error, loading: data === undefined && error === undefined, refresh: poll };
}

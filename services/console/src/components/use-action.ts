import { useState } from 'react';

/**
 * One action a button starts (a confirmation dialog's, a query's): busy while it runs, the error
 * it failed with (shown as the server said), `reset` to forget the error.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, reset: () => setError(undefined) };
}

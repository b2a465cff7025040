import { useState } from 'react';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorMessage } from './error-message';

/**
 * An action on one item behind a confirmation dialog: `ask(item)` opens it, `confirm()` runs the
 * action (busy meanwhile; the dialog stays open with the error when it fails), `cancel()` closes it.
 */
export function useConfirmed<T>(action: (item: T) => Promise<void>) {
  const [item, setItem] = useState<T>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const confirm = async () => {
    if (item === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      await action(item);
      setItem(undefined);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return {
    item,
    busy,
    error,
    ask: (next: T) => setItem(next),
    confirm: () => void confirm(),
    cancel: () => {
      setItem(undefined);
      setError(undefined);
    },
  };
}

/** The confirmation dialog of a `useConfirmed` action, with the error it failed with. */
export function ConfirmedDialog<T>(props: {
  confirmed: ReturnType<typeof useConfirmed<T>>;
  title: (item: T) => string;
  confirmLabel: string;
  children: React.ReactNode;
}) {
  const { confirmed } = props;
  return (
    <ConfirmDialog
      open={confirmed.item !== undefined}
      title={confirmed.item === undefined ? '' : props.title(confirmed.item)}
      confirmLabel={props.confirmLabel}
      busy={confirmed.busy}
      onConfirm={confirmed.confirm}
      onCancel={confirmed.cancel}
    >
      {props.children}
      <ErrorMessage error={confirmed.error} />
    </ConfirmDialog>
  );
}

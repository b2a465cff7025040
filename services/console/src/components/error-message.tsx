import { ApiError } from '../api/api-error';

/** An API error as the server said it (with the field it names), announced to screen readers. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const named = error instanceof ApiError ? error.field : undefined;
  // Some messages already start with the field they name; say it once.
  const field = named && !message.startsWith(named) ? named : undefined;
  return (
    <p className="error" role="alert">
      {field ? <strong>{field}: </strong> : null}
      {message}
    </p>
  );
}

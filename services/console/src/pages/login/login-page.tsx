import { type Session, sessionApi } from '../../api/session';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { Link } from '../../components/router';
import { text, useSubmit } from '../../components/use-submit';

export function LoginPage({
  onSignedIn,
  logoutError,
}: {
  onSignedIn: (session: Session) => Promise<void>;
  /** Why the server could not end the session this browser just logged out of, if it could not. */
  logoutError?: unknown;
}) {
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    const session = await sessionApi.login({
      tenant: text(form, 'tenant'),
      email: text(form, 'email'),
      password: String(form.get('password') ?? ''),
    });
    await onSignedIn(session);
  });
  return (
    <main className="auth">
      <h1>Log in to Meshplane</h1>
      {logoutError ? (
        <p className="error" role="alert">
          This browser is signed out, but the server could not end the session (
          {logoutError instanceof Error ? logoutError.message : String(logoutError)}): a copy of it stays
          valid until it expires.
        </p>
      ) : null}
      <form onSubmit={onSubmit} aria-label="Log in">
        <Field
          label="Tenant"
          name="tenant"
          autoComplete="organization"
          required
          hint="Your tenant's slug, e.g. acme"
        />
        <Field label="Email" name="email" type="email" autoComplete="username" required />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p>
        New to Meshplane? <Link to="/signup">Create a tenant</Link>
      </p>
    </main>
  );
}

import { type Session, sessionApi } from '../../api/session';
import { ErrorMessage } from '../../components/error-message';
import { Field, NewPasswordField } from '../../components/field';
import { Link } from '../../components/router';
import { text, useSubmit } from '../../components/use-submit';

export function SignupPage({ onSignedIn }: { onSignedIn: (session: Session) => Promise<void> }) {
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    const session = await sessionApi.signUp({
      tenantName: text(form, 'tenantName'),
      email: text(form, 'email'),
      password: String(form.get('password') ?? ''),
    });
    await onSignedIn(session);
  });
  return (
    <main className="auth">
      <h1>Create a tenant</h1>
      <form onSubmit={onSubmit} aria-label="Sign up">
        <Field
          label="Organisation"
          name="tenantName"
          autoComplete="organization"
          required
          hint="2–64 characters"
        />
        <Field label="Email" name="email" type="email" autoComplete="username" required />
        <NewPasswordField />
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Sign up'}
        </button>
      </form>
      <p>
        Already have a tenant? <Link to="/login">Log in</Link>
      </p>
    </main>
  );
}

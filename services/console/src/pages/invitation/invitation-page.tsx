import { type Session, sessionApi } from '../../api/session';
import { ErrorMessage } from '../../components/error-message';
import { Field, NewPasswordField } from '../../components/field';
import { Link } from '../../components/router';
import { text, useSubmit } from '../../components/use-submit';

/** Where an invitation link points; the token travels in the fragment, which no server sees. */
export const INVITATION_PATH = '/invitation';

/** The link an admin passes on: `/invitation#token=mpv_…` on this console's origin. */
export function invitationLink(token: string): string {
  return `${window.location.origin}${INVITATION_PATH}#${new URLSearchParams({ token })}`;
}

function tokenInAddress(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}

/**
 * The invitee opens the link, chooses a password and lands signed in (the gateway's
 * `/auth/accept-invitation` moves the session into the httpOnly cookie, as log-in does).
 */
export function InvitationPage({ onSignedIn }: { onSignedIn: (session: Session) => Promise<void> }) {
  const fromLink = tokenInAddress();
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    const session = await sessionApi.acceptInvitation({
      token: fromLink || text(form, 'token'),
      password: String(form.get('password') ?? ''),
    });
    await onSignedIn(session);
  });
  return (
    <main className="auth">
      <h1>Accept your invitation</h1>
      <form onSubmit={onSubmit} aria-label="Accept the invitation">
        {fromLink ? (
          <p className="hint">Choose the password you will log in with. The invitation works once.</p>
        ) : (
          <Field
            label="Invitation token"
            name="token"
            required
            autoComplete="off"
            hint="The mpv_… token from the invitation link you were sent"
          />
        )}
        <NewPasswordField />
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Accept and sign in'}
        </button>
      </form>
      <p>
        Already a member? <Link to="/login">Log in</Link>
      </p>
    </main>
  );
}

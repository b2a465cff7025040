import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './api/api-error';
import { ViewerDocument, type ViewerQuery } from './api/generated';
import { type Answered, request } from './api/graphql';
import { type Session, sessionApi } from './api/session';
import { ErrorMessage } from './components/error-message';
import { Layout } from './components/layout';
import { navigate, usePath } from './components/router';
import { ViewerProvider } from './components/viewer-context';
import { INVITATION_PATH, InvitationPage } from './pages/invitation/invitation-page';
import { LoginPage } from './pages/login/login-page';
import { HOME, pageAt } from './pages/pages';
import { SignupPage } from './pages/signup/signup-page';

type State =
  | { kind: 'loading' }
  | { kind: 'failed'; error: unknown }
  /** `logoutError`: this browser forgot the session, but the server could not end it. */
  | { kind: 'signed-out'; logoutError?: unknown }
  | { kind: 'signed-in'; viewer: Answered<ViewerQuery>['me']; session: Session };

/** Refresh the session a minute before it expires (at least 10 s from now). */
function refreshDelay(session: Session): number {
  return Math.max(10_000, Date.parse(session.expiresAt) - Date.now() - 60_000);
}

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const path = usePath();

  const signedIn = useCallback(async (session: Session) => {
    const { me } = await request(ViewerDocument);
    setState({ kind: 'signed-in', viewer: me, session });
  }, []);

  const resume = useCallback(async () => {
    try {
      const session = await sessionApi.resume();
      if (session) await signedIn(session);
      else setState({ kind: 'signed-out' });
    } catch (error) {
      if (error instanceof ApiError && error.unauthenticated) setState({ kind: 'signed-out' });
      else setState({ kind: 'failed', error });
    }
  }, [signedIn]);

  useEffect(() => {
    void resume();
  }, [resume]);

  // Keep the cookie session alive while the console is open. A refused refresh reads the
  // cookie's session again: another tab may have refreshed it first (the cookies are shared, the
  // CSRF token in memory is not), or logged out, which signs this tab out too.
  useEffect(() => {
    if (state.kind !== 'signed-in') return;
    const timer = window.setTimeout(() => {
      sessionApi
        .refresh()
        .then((session) => setState((s) => (s.kind === 'signed-in' ? { ...s, session } : s)))
        .catch(() => void resume());
    }, refreshDelay(state.session));
    return () => window.clearTimeout(timer);
  }, [state, resume]);

  // Keep the address bar in step with what is shown.
  const page = pageAt(path);
  useEffect(() => {
    const signedOutPage = path === '/signup' || path === INVITATION_PATH;
    if (state.kind === 'signed-out' && !signedOutPage) navigate('/login', { replace: true });
    if (state.kind === 'signed-in' && page === undefined) navigate(HOME.path, { replace: true });
  }, [state.kind, path, page]);
  useEffect(() => {
    document.title = state.kind === 'signed-in' && page ? `${page.title} · Meshplane` : 'Meshplane';
  }, [state.kind, page]);

  switch (state.kind) {
    case 'loading':
      return (
        <main className="auth">
          <p role="status">Loading…</p>
        </main>
      );
    case 'failed':
      return (
        <main className="auth">
          <h1>Meshplane</h1>
          <ErrorMessage error={state.error} />
          <button type="button" onClick={() => void resume()}>
            Try again
          </button>
        </main>
      );
    case 'signed-out':
      if (path === INVITATION_PATH) return <InvitationPage onSignedIn={signedIn} />;
      return path === '/signup' ? (
        <SignupPage onSignedIn={signedIn} />
      ) : (
        <LoginPage onSignedIn={signedIn} logoutError={state.logoutError} />
      );
    case 'signed-in':
      return (
        <ViewerProvider value={state.viewer}>
          <Layout
            path={path}
            onLogout={() => {
              void sessionApi.logout().then(
                () => setState({ kind: 'signed-out' }),
                (logoutError: unknown) => setState({ kind: 'signed-out', logoutError }),
              );
            }}
          >
            {(page ?? HOME).render()}
          </Layout>
        </ViewerProvider>
      );
  }
}

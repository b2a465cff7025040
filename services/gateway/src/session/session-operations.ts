/**
 * The operations the session endpoints run through the supergraph. `session-operations.spec.ts`
 * validates them against the committed supergraph (`npm run schema:check` covers only the
 * console's `.graphql` files).
 */
const SESSION_FIELDS = 'token expiresAt user { id email } tenant { id slug name }';

export const SESSION_OPERATIONS = {
  login: `mutation ConsoleLogin($input: LoginInput!) { login(input: $input) { ${SESSION_FIELDS} } }`,
  signUp: `mutation ConsoleSignUp($input: SignUpInput!) { signUp(input: $input) { ${SESSION_FIELDS} } }`,
  acceptInvitation: `mutation ConsoleAcceptInvitation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ${SESSION_FIELDS} } }`,
  refreshSession: `mutation ConsoleRefreshSession { refreshSession { ${SESSION_FIELDS} } }`,
} as const;

export type SessionOperation = keyof typeof SESSION_OPERATIONS;

/** Ends the session of the token the request is authenticated with (`POST /auth/logout`). */
export const LOGOUT_OPERATION = 'mutation ConsoleLogout { logout { sessionId endedAt } }';

export interface LogoutPayload {
  sessionId: string;
  endedAt: string;
}

/** What each session operation answers (the same selection for all of them). */
export interface SessionPayload {
  token: string;
  expiresAt: string;
  user: { id: string; email: string };
  tenant: { id: string; slug: string; name: string };
}

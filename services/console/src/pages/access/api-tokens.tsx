import { useId, useState } from 'react';
import {
  type ApiTokensQuery,
  CreateApiTokenDocument,
  type CreateApiTokenMutation,
  RevokeApiTokenDocument,
  type Role,
} from '../../api/generated';
import { type Answered, request } from '../../api/graphql';
import { CopyButton } from '../../components/copy-button';
import { DataTable } from '../../components/data-table';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { ConfirmedDialog, useConfirmed } from '../../components/use-confirmed';
import { text, useSubmit } from '../../components/use-submit';
import { useViewer } from '../../components/viewer-context';
import { rolesUpTo } from './access-rules';
import { RoleSelect } from './role-select';

type ApiToken = Answered<ApiTokensQuery>['apiTokens'][number];
type Created = CreateApiTokenMutation['createApiToken'];

/** The API's bound on a token's lifetime. */
const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

function tokenState(token: ApiToken): { label: string; tone: string } {
  if (token.revokedAt) return { label: 'Revoked', tone: 'muted' };
  if (!token.active) return { label: 'Expired', tone: 'muted' };
  return { label: 'Active', tone: 'ok' };
}

/**
 * API tokens (admins and owners): create one, its secret shown this once with a copy button and
 * kept nowhere (a reload forgets it); revoke one behind a confirmation.
 */
export function ApiTokens(props: {
  tokens: readonly ApiToken[] | undefined;
  loading: boolean;
  error: unknown;
  emailOf: (userId: string) => string;
  onChanged: () => void;
}) {
  const viewer = useViewer();
  const daysId = useId();
  const [created, setCreated] = useState<Created>();
  const revocation = useConfirmed(async (token: ApiToken) => {
    await request(RevokeApiTokenDocument, { id: token.id });
    props.onChanged();
  });
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    const days = Number(text(form, 'days'));
    const result = await request(CreateApiTokenDocument, {
      input: {
        name: text(form, 'name'),
        role: text(form, 'role') as Role,
        expiresAt: new Date(Date.now() + days * DAY_MS).toISOString(),
      },
    });
    setCreated(result.createApiToken);
    props.onChanged();
  });

  return (
    <section className="panel" aria-labelledby="tokens-heading" aria-busy={props.loading}>
      <h2 id="tokens-heading">API tokens</h2>
      <p className="hint">
        For automation: send the secret as <code>Authorization: Bearer …</code>. A token never does more than
        its creator's current role.
      </p>
      <form
        key={created?.apiToken.id}
        onSubmit={onSubmit}
        aria-label="Create an API token"
        className="inline-form token-form"
      >
        <Field label="Token name" name="name" required hint="What it is for (1–64 characters)" />
        <RoleSelect label="Token role" name="role" roles={rolesUpTo(viewer.role)} defaultValue="viewer" />
        <div className="field">
          <label htmlFor={daysId}>Expires in (days)</label>
          <input id={daysId} name="days" type="number" min={1} max={MAX_DAYS} defaultValue={90} required />
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create token'}
        </button>
      </form>
      <ErrorMessage error={error} />
      {created ? (
        <div className="install" aria-live="polite">
          <p>
            The secret of <strong>{created.apiToken.name}</strong>. Store it now: it is never shown again.
          </p>
          <div className="command">
            <code data-testid="token-secret">{created.secret}</code>
            <CopyButton text={created.secret} label={`Copy the secret of ${created.apiToken.name}`} />
          </div>
        </div>
      ) : null}
      <ErrorMessage error={props.error} />
      {props.loading ? <p role="status">Loading API tokens…</p> : null}
      {props.tokens && props.tokens.length === 0 ? <p role="status">No API tokens yet.</p> : null}
      {props.tokens && props.tokens.length > 0 ? (
        <DataTable
          caption="API tokens"
          columns={['Token', 'Role', 'Status', 'Created by', 'Expires', 'Last used', '']}
        >
          {props.tokens.map((token) => {
            const state = tokenState(token);
            return (
              <tr key={token.id}>
                <th scope="row">{token.name}</th>
                <td>{token.role}</td>
                <td>
                  <span className={`badge ${state.tone}`}>{state.label}</span>
                </td>
                <td>{props.emailOf(token.createdByUserId)}</td>
                <td>{new Date(token.expiresAt).toLocaleDateString()}</td>
                <td>{token.lastUsedAt ? new Date(token.lastUsedAt).toLocaleString() : 'never'}</td>
                <td>
                  {token.active ? (
                    <button
                      type="button"
                      className="danger"
                      aria-label={`Revoke the token ${token.name}`}
                      onClick={() => revocation.ask(token)}
                    >
                      Revoke
                    </button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </DataTable>
      ) : null}
      <ConfirmedDialog
        confirmed={revocation}
        title={(t) => `Revoke the token ${t.name}?`}
        confirmLabel="Revoke"
      >
        <p>The next request that uses it is refused. This cannot be undone.</p>
      </ConfirmedDialog>
    </section>
  );
}

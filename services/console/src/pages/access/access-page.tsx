import { useCallback } from 'react';
import { ApiTokensDocument, MembersDocument } from '../../api/generated';
import { request } from '../../api/graphql';
import { usePolling } from '../../components/use-polling';
import { useCan } from '../../components/viewer-context';
import { ApiTokens } from './api-tokens';
import { AuditLog } from './audit-log';
import { Members } from './members';
import './access.css';

/** How often members (an accepted invitation) and tokens (last used) are read again. */
export const ACCESS_POLL_MS = 10_000;

/**
 * Who may do what in the tenant. Everyone sees the members; admins and owners (the API's
 * @RequireRole('admin') on every mutation here, and on the token and audit queries) also invite,
 * change roles, remove members, manage API tokens and read the audit log.
 */
export function AccessPage() {
  const isAdmin = useCan('admin');
  const members = usePolling(() => request(MembersDocument), ACCESS_POLL_MS);
  const emailOf = useCallback(
    (userId: string) => members.data?.members.find((m) => m.id === userId)?.email ?? 'a former member',
    [members.data],
  );
  return (
    <>
      <h1>Access</h1>
      <Members
        members={members.data?.members}
        loading={members.loading}
        error={members.error}
        onChanged={() => void members.refresh()}
      />
      {isAdmin ? (
        <AdminSections members={members.data?.members ?? []} emailOf={emailOf} />
      ) : (
        <p className="panel">Admins and owners manage members, API tokens and read the audit log.</p>
      )}
    </>
  );
}

function AdminSections(props: {
  members: readonly { id: string; email: string }[];
  emailOf: (userId: string) => string;
}) {
  const tokens = usePolling(() => request(ApiTokensDocument), ACCESS_POLL_MS);
  return (
    <>
      <ApiTokens
        tokens={tokens.data?.apiTokens}
        loading={tokens.loading}
        error={tokens.error}
        emailOf={props.emailOf}
        onChanged={() => void tokens.refresh()}
      />
      <AuditLog members={props.members} emailOf={props.emailOf} />
    </>
  );
}

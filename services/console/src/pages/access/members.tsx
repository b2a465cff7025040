import { useState } from 'react';
import {
  InviteMemberDocument,
  type InviteMemberMutation,
  type MembersQuery,
  RemoveMemberDocument,
  type Role,
  UpdateMemberRoleDocument,
} from '../../api/generated';
import { type Answered, request } from '../../api/graphql';
import { CopyButton } from '../../components/copy-button';
import { DataTable } from '../../components/data-table';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { ConfirmedDialog, useConfirmed } from '../../components/use-confirmed';
import { text, useSubmit } from '../../components/use-submit';
import { useCan, useViewer } from '../../components/viewer-context';
import { invitationLink } from '../invitation/invitation-page';
import { grantableRoles } from './access-rules';
import { RoleSelect } from './role-select';

export type Member = Answered<MembersQuery>['members'][number];
type Invitation = InviteMemberMutation['inviteMember'];

/** Members and invitations; admins invite, change roles and remove (owners only touch owners). */
export function Members(props: {
  members: readonly Member[] | undefined;
  loading: boolean;
  error: unknown;
  onChanged: () => void;
}) {
  const viewer = useViewer();
  const canManage = useCan('admin');
  const roles = grantableRoles(viewer.role);
  const removal = useConfirmed(async (member: Member) => {
    await request(RemoveMemberDocument, { userId: member.id });
    props.onChanged();
  });
  const manageable = (member: Member) =>
    canManage && member.id !== viewer.user.id && (viewer.role === 'owner' || member.role !== 'owner');

  return (
    <section className="panel" aria-labelledby="members-heading" aria-busy={props.loading}>
      <h2 id="members-heading">Members</h2>
      {canManage ? <InviteMember roles={roles} onInvited={props.onChanged} /> : null}
      <ErrorMessage error={props.error} />
      {props.loading ? <p role="status">Loading members…</p> : null}
      {props.members ? (
        <DataTable
          caption="Members, their roles and status"
          columns={['Member', 'Role', 'Status', 'Added', canManage && 'Actions']}
        >
          {props.members.map((member) => (
            <tr key={member.id}>
              <th scope="row">
                {member.email}
                {member.id === viewer.user.id ? <span className="hint"> (you)</span> : null}
              </th>
              <td>{member.role}</td>
              <td>
                {member.status === 'invited' ? (
                  <span className="badge warn">Invitation pending</span>
                ) : (
                  <span className="badge ok">Active</span>
                )}
              </td>
              <td>{new Date(member.createdAt).toLocaleDateString()}</td>
              {canManage ? (
                <td>
                  {manageable(member) ? (
                    <div className="row-actions">
                      <ChangeRole
                        key={`${member.id}:${member.role}`}
                        member={member}
                        roles={roles}
                        onChanged={props.onChanged}
                      />
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Remove ${member.email}`}
                        onClick={() => removal.ask(member)}
                      >
                        Remove
                      </button>
                    </div>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </DataTable>
      ) : null}
      <ConfirmedDialog confirmed={removal} title={(m) => `Remove ${m.email}?`} confirmLabel="Remove">
        <p>Their sessions and the API tokens they created stop working at once.</p>
      </ConfirmedDialog>
    </section>
  );
}

function ChangeRole(props: { member: Member; roles: readonly Role[]; onChanged: () => void }) {
  const { member } = props;
  const [role, setRole] = useState<Role>(member.role);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await request(UpdateMemberRoleDocument, { input: { userId: member.id, role } });
      props.onChanged();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <RoleSelect
        label={`Role of ${member.email}`}
        visuallyHiddenLabel
        roles={props.roles.includes(member.role) ? props.roles : [member.role, ...props.roles]}
        value={role}
        onChange={setRole}
      />
      <button type="button" disabled={busy || role === member.role} onClick={() => void save()}>
        {busy ? 'Saving…' : 'Change role'}
      </button>
      <ErrorMessage error={error} />
    </>
  );
}

function InviteMember(props: { roles: readonly Role[]; onInvited: () => void }) {
  const [invitation, setInvitation] = useState<Invitation>();
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    const result = await request(InviteMemberDocument, {
      input: { email: text(form, 'email'), role: text(form, 'role') as Role },
    });
    setInvitation(result.inviteMember);
    props.onInvited();
  });
  const link = invitation ? invitationLink(invitation.invitationToken) : '';
  return (
    <>
      {/* A new key after each invitation: the form starts empty again. */}
      <form
        key={invitation?.member.id}
        onSubmit={onSubmit}
        aria-label="Invite a member"
        className="inline-form"
      >
        <Field label="Email" name="email" type="email" autoComplete="off" required />
        <RoleSelect label="Role" name="role" roles={props.roles} defaultValue="viewer" />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Inviting…' : 'Invite'}
        </button>
      </form>
      <ErrorMessage error={error} />
      {invitation ? (
        <div className="install" aria-live="polite">
          <p>
            Send <strong>{invitation.member.email}</strong> this link: they choose a password and join as{' '}
            {invitation.member.role}. It works once, until {new Date(invitation.expiresAt).toLocaleString()},
            and is not shown again.
          </p>
          <div className="command">
            <code data-testid="invitation-link">{link}</code>
            <CopyButton text={link} label={`Copy the invitation link for ${invitation.member.email}`} />
          </div>
        </div>
      ) : null}
    </>
  );
}
